/**
 * The error catalogue: every failure answer the Turso Platform API documents (and a few it
 * does not), for each operation, gives exactly one `::error::` that says what was attempted,
 * what Turso said, and what to do next. The emulator's own answers are used where it gives
 * them (wrong token, restricted token, unknown names); faults stand in for the rest.
 */
import { describe, expect, it } from '@jest/globals'
import type { Fault } from '../emulator/server.js'
import { useEmulator } from './support/emulator.js'
import { expectNoLeaks } from './support/leaks.js'
import { runAction } from './support/run-action.js'
import { errorLines } from './support/workflow-commands.js'

const emulator = useEmulator()

const WRONG_TOKEN = 'turso-api-token-that-was-revoked-0000'
const GROUP_RESTRICTED_TOKEN = 'emulator-api-token-0003' // seed: staging-bot, group 'staging' of acme, mint scopes only
const ORG_RESTRICTED_TOKEN = 'emulator-api-token-0002' // seed: ci-deployer, organization 'acme'
const MINT_PATH = '/v1/organizations/acme/databases/app-db/auth/tokens'

const DB_APP = "database 'app-db' in organization 'acme'"
const CREATE_APP = `Could not create a token for ${DB_APP}`

const NEXT = {
  400: 'Turso rejected the request: check expiration, permissions and attach-databases against the README.',
  401: 'The API token is wrong, revoked or expired: create a new one with `turso auth api-tokens mint <name>` and update the secret passed as api-token.',
  402: 'The organization has no active subscription for this: check its plan and billing at turso.tech.',
  // Turso's 403 names no scope: the action names the one the call needed, and the other causes.
  403: (scope: string) =>
    'The API token is not allowed to do this: check that it belongs to a member of the organization, that a group-scoped token has ' +
    `the ${scope} scope this call needs, and that the token is not restricted to another organization or group (Turso's answer does not say which).`,
  409: 'Turso reports a conflict with the current state: wait a moment and re-run the job.',
  429: 'Turso is rate limiting this token and the retries ran out: re-run later or raise the retries input.',
  serverError: 'Turso had a server error and the retries ran out: re-run the job later; see status.turso.tech.',
  network: 'Check that api-url is right and reachable from the runner (and HTTPS_PROXY / NO_PROXY when a proxy is in the way)'
}

interface Case {
  inputs?: Record<string, string>
  faults?: Fault[]
  /** What was attempted, as the error starts. */
  attempted: string
  /** Turso's message, as printed after the status. */
  said: string
  next: string
}

const catalogue: Record<string, Case> = {
  '400 Bad Request': {
    faults: [{ method: 'POST', path: MINT_PATH, status: 400, body: '{"error":"Invalid expiration format"}' }],
    attempted: CREATE_APP,
    said: 'HTTP 400: Invalid expiration format',
    next: NEXT[400]
  },
  '401 wrong API token (create-token)': {
    inputs: { 'api-token': WRONG_TOKEN },
    attempted: CREATE_APP,
    said: 'HTTP 401: Authentication required',
    next: NEXT[401]
  },
  '401 wrong API token (rotate)': {
    // mint: false, so the lookup is only a warning and the rotate request itself is refused.
    inputs: { operation: 'rotate', mint: 'false', 'api-token': WRONG_TOKEN },
    attempted: `Could not invalidate the tokens of ${DB_APP}`,
    said: 'HTTP 401: Authentication required',
    next: NEXT[401]
  },
  '401 wrong API token (revoke)': {
    inputs: { operation: 'revoke', 'token-name': 'ci-deployer', database: '', organization: '', 'api-token': WRONG_TOKEN },
    attempted: "Could not revoke the API token 'ci-deployer'",
    said: 'HTTP 401: Authentication required',
    next: NEXT[401]
  },
  '402 Payment Required': {
    faults: [{ method: 'POST', path: MINT_PATH, status: 402, body: '{"error":"this feature requires a paid plan","code":"feature_not_available_for_starter_plan"}' }],
    attempted: CREATE_APP,
    said: 'HTTP 402: this feature requires a paid plan',
    next: NEXT[402]
  },
  '403 token restricted to another group': {
    inputs: { 'api-token': GROUP_RESTRICTED_TOKEN },
    attempted: CREATE_APP,
    said: 'HTTP 403: forbidden',
    next: NEXT[403]('db:mint-token')
  },
  '403 token restricted to another organization': {
    inputs: { organization: 'octo', database: '', group: 'default', 'api-token': ORG_RESTRICTED_TOKEN },
    attempted: "Could not create a token for group 'default' in organization 'octo'",
    said: 'HTTP 403: forbidden',
    next: NEXT[403]('group:mint-token')
  },
  '403 token without the rotate scope': {
    inputs: { operation: 'rotate', database: '', group: 'staging', 'api-token': GROUP_RESTRICTED_TOKEN },
    attempted: "Could not invalidate the tokens of group 'staging' in organization 'acme'",
    said: 'HTTP 403: forbidden',
    next: NEXT[403]('group:rotate-creds')
  },
  '403 token without the read scope (database lookup before a rotation)': {
    inputs: { operation: 'rotate' },
    faults: [{ method: 'GET', path: '/v1/organizations/acme/databases/app-db', status: 403, body: '{"error":"forbidden"}' }],
    attempted: 'Nothing was rotated: the old tokens still work.',
    said: 'HTTP 403: forbidden',
    next: NEXT[403]('read')
  },
  '404 unknown database': {
    inputs: { database: 'no-such-db' },
    attempted: "Could not create a token for database 'no-such-db' in organization 'acme'",
    said: 'HTTP 404: could not find database with name no-such-db: record not found',
    next: "Check the name: database 'no-such-db' was not found in organization 'acme' (list them with `turso db list`; check the organization slug with `turso org list`)."
  },
  '404 unknown organization': {
    inputs: { organization: 'no-such-org' },
    attempted: "Could not create a token for database 'app-db' in organization 'no-such-org'",
    said: 'HTTP 404: organization not found',
    next: "Check the name: database 'app-db' was not found in organization 'no-such-org'"
  },
  '404 unknown group': {
    inputs: { database: '', group: 'no-such-group' },
    attempted: "Could not create a token for group 'no-such-group' in organization 'acme'",
    said: 'HTTP 404: group not found',
    next: "Check the name: group 'no-such-group' was not found in organization 'acme' (list them with `turso group list`"
  },
  '404 unknown group of the user account': {
    inputs: { organization: '', database: '', group: 'no-such-group' },
    attempted: "Could not create a token for group 'no-such-group' of your user account",
    said: 'HTTP 404: group not found',
    next: "Check the name: group 'no-such-group' was not found in your user account (list them with `turso group list`)."
  },
  '404 unknown database on rotate': {
    inputs: { operation: 'rotate', mint: 'false', database: 'no-such-db' },
    attempted: "Could not invalidate the tokens of database 'no-such-db' in organization 'acme'",
    said: 'HTTP 404: could not find database with name no-such-db: record not found',
    next: "Check the name: database 'no-such-db' was not found in organization 'acme'"
  },
  '404 unknown database on rotate, found by the check before it': {
    inputs: { operation: 'rotate', database: 'no-such-db' },
    attempted:
      "Nothing was rotated: the old tokens still work. Before rotating, the database lookup (its address is needed for database-url, verify and export-env) failed: Could not look up database 'no-such-db' in organization 'acme'",
    said: 'HTTP 404: could not find database with name no-such-db: record not found',
    next: "Check the name: database 'no-such-db' was not found in organization 'acme'"
  },
  // An unknown API token name no longer reaches Turso's 404: revoke lists first (revoke.test.ts).
  '404 organization of an organization token revoke': {
    inputs: { operation: 'revoke', 'token-name': 'laptop', database: '', organization: 'no-such-org' },
    attempted: "Could not revoke the API token 'laptop' in organization 'no-such-org' (listing the organization's tokens)",
    said: 'HTTP 404: organization not found',
    next: "Check the name: organization 'no-such-org' was not found (check the slug with `turso org list`)."
  },
  '409 Conflict': {
    faults: [{ method: 'POST', path: MINT_PATH, status: 409, body: '{"error":"a rotation is already in progress"}' }],
    attempted: CREATE_APP,
    said: 'HTTP 409: a rotation is already in progress',
    next: NEXT[409]
  },
  '429 Too Many Requests, retries used up': {
    inputs: { retries: '1' },
    faults: [{ method: 'POST', path: MINT_PATH, status: 429, body: '{"error":"rate limit exceeded"}', headers: { 'retry-after': '0' }, times: 5 }],
    attempted: CREATE_APP,
    said: 'HTTP 429 to the last of 2 attempts: rate limit exceeded',
    next: NEXT[429]
  },
  '500 Internal Server Error': {
    faults: [{ method: 'POST', path: MINT_PATH, status: 500, body: '{"error":"internal error"}' }],
    attempted: CREATE_APP,
    said: 'HTTP 500: internal error',
    next: NEXT.serverError
  },
  '503 Service Unavailable as an HTML page, retries used up': {
    inputs: { retries: '1' },
    faults: [{ method: 'POST', path: MINT_PATH, status: 503, body: '<html><h1>503 Service Temporarily Unavailable</h1></html>', headers: { 'retry-after': '0' }, times: 5 }],
    attempted: CREATE_APP,
    said: 'HTTP 503 to the last of 2 attempts: <html><h1>503 Service Temporarily Unavailable</h1></html>',
    next: NEXT.serverError
  },
  'no answer at all (connection refused)': {
    inputs: { 'api-url': 'http://127.0.0.1:1' },
    attempted: CREATE_APP,
    said: 'POST http://127.0.0.1:1/v1/organizations/acme/databases/app-db/auth/tokens failed after 1 attempt: connection refused',
    next: NEXT.network
  }
}

describe('error catalogue: one ::error:: with what was attempted, what Turso said, and what to do', () => {
  it.each(Object.entries(catalogue))('%s', async (_label, entry) => {
    emulator.addFault(...(entry.faults ?? []))
    const inputs = {
      operation: 'create-token',
      'api-url': emulator.url,
      'api-token': emulator.apiToken,
      organization: 'acme',
      database: 'app-db',
      retries: '0',
      ...entry.inputs
    }
    const run = await runAction(inputs)
    expect(run.exitCode).toBe(1)
    const errors = errorLines(run.stdout)
    expect(errors).toHaveLength(1)
    const [error] = errors
    expect(error.startsWith(`::error::${entry.attempted}`)).toBe(true)
    expect(error).toContain(entry.said)
    expect(error).toContain(entry.next)
    // The order a reader needs: attempt, then Turso's words, then the way out.
    expect(error.indexOf(entry.said)).toBeLessThan(error.indexOf(entry.next))
    expect(run.summary).toContain('❌ failed')
    expect(run.outputs.token).toBeUndefined()
    expectNoLeaks(run, [emulator.apiToken, inputs['api-token']])
  })
})
