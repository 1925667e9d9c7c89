/**
 * The start-up the stack itself costs: a bundle of nothing but `@actions/core` (which loads
 * @actions/http-client and with it undici), failing like the action does on an invalid input.
 * `npm run bench` bundles it with ncc, exactly like dist/, and times it as scenario E.
 */
import * as core from '@actions/core'

core.setFailed("Input 'operation' must be one of create-token, rotate, revoke")
