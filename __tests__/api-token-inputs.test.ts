/**
 * create-api-token and rotate-api-token refuse bad input before any request: one `::error::`
 * naming the input, nothing sent to Turso or GitHub, nothing set.
 */
import { describe, expect, it } from '@jest/globals'
import { useEmulator } from './support/emulator.js'
import { useFakeGitHub } from './support/fake-github.js'
import { expectRefusedBeforeRequests } from './support/refusal.js'
import { runAction } from './support/run-action.js'
import { errorLines } from './support/workflow-commands.js'

const emulator = useEmulator()
const github = useFakeGitHub()

function create(extra: Record<string, string> = {}): Record<string, string> {
  return { operation: 'create-api-token', 'api-url': emulator.url, 'api-token': emulator.apiToken, organization: 'acme', 'token-name': 'ci', ...extra }
}

function rotate(extra: Record<string, string> = {}): Record<string, string> {
  return create({ operation: 'rotate-api-token', 'secret-name': 'TURSO_API_TOKEN', 'secret-repository': 'octo-org/app', 'github-token': github.token, ...extra })
}

/** [what is wrong, inputs, the input the error must name, words the error must hold] */
const refusals: Array<[string, () => Record<string, string>, string, string]> = [
  ['create without token-name', () => create({ 'token-name': '' }), 'token-name', "Input 'token-name' is required for operation 'create-api-token': the new Platform API token's name"],
  ['rotate without token-name', () => rotate({ 'token-name': '' }), 'token-name', "Input 'token-name' is required for operation 'rotate-api-token': the base name of the API token generations"],
  ['a token-name with a slash', () => create({ 'token-name': 'ci/x' }), 'token-name', "it contains '/' or '\\'"],
  ['rotate with a base name leaving no room for the stamp', () => rotate({ 'token-name': 'n'.repeat(239) }), 'token-name', 'each generation is named <token-name>-<yyyymmddThhmmssZ>, which must fit in 255 characters'],
  ['create without organization', () => create({ organization: '' }), 'organization', "Input 'organization' is required for operation 'create-api-token': the slug of the organization the new API token is restricted to (Turso deprecates unrestricted tokens)"],
  ['rotate without organization', () => rotate({ organization: '' }), 'organization', "Input 'organization' is required for operation 'rotate-api-token'"],
  ['an organization in capitals', () => create({ organization: 'Acme' }), 'organization', "write 'acme'"],
  ['a group with a space', () => create({ group: 'sta ging', scopes: 'read' }), 'group', "only lowercase letters"],
  ['scopes without group', () => create({ scopes: 'read' }), 'scopes', "set input 'group' too"],
  ['group without scopes', () => create({ group: 'staging' }), 'scopes', "it is required with 'group'"],
  ['an unknown scope', () => rotate({ group: 'staging', scopes: 'read,db:rotate' }), 'scopes', "'db:rotate' is not a scope"],
  ['an expiration, which API tokens do not take', () => create({ expiration: '30d' }), 'expiration', 'Turso creates Platform API tokens without an expiry'],
  ['rotate without secret-name', () => rotate({ 'secret-name': '' }), 'secret-name', "Input 'secret-name' is required for operation 'rotate-api-token'"],
  ['a secret-name without github-token', () => create({ 'secret-name': 'TURSO_API_TOKEN', 'secret-repository': 'octo-org/app' }), 'github-token', "Input 'github-token' is required with 'secret-name'"],
  ['verify that is not a boolean', () => create({ verify: 'yes' }), 'verify', 'a boolean'],
  ['export-env that is not a boolean', () => rotate({ 'export-env': 'sure' }), 'export-env', 'a boolean']
]

describe('API-token operations: local refusals', () => {
  it.each(refusals)('%s: fails naming the input and sends nothing', async (_what, inputs, input, words) => {
    const run = await runAction(inputs(), { GITHUB_API_URL: github.url })
    expectRefusedBeforeRequests(run, input, words, { emulator, github })
  })

  it('an unknown operation lists all five', async () => {
    const run = await runAction(create({ operation: 'rotate-api-tokens' }))
    expect(errorLines(run.stdout)).toEqual([
      "::error::Input 'operation' must be one of create-token, rotate, revoke, create-api-token, rotate-api-token; got 'rotate-api-tokens'"
    ])
    expect(emulator.requests).toEqual([])
  })

  it('the longest base name that fits is accepted', async () => {
    const run = await runAction(rotate({ 'token-name': 'n'.repeat(238), 'dry-run': 'true' }), { GITHUB_API_URL: github.url })
    expect(run.exitCode).toBe(0)
  })
})

describe('API-token operations: inputs that do not apply', () => {
  it('warn and are ignored', async () => {
    const run = await runAction(create({ database: 'app-db', permissions: 'all:data_read', 'attach-databases': 'analytics', 'token-owner': 'alice', 'token-name': 'ci-warned' }))
    expect(run.exitCode).toBe(0)
    for (const input of ['database', 'permissions', 'attach-databases', 'token-owner']) {
      expect(run.stdout).toContain(`::warning::Input '${input}' does not apply to operation 'create-api-token' and is ignored`)
    }
  })

  it('scopes warn for the other operations', async () => {
    const run = await runAction({ operation: 'create-token', 'api-url': emulator.url, 'api-token': emulator.apiToken, organization: 'acme', database: 'app-db', scopes: 'read' })
    expect(run.exitCode).toBe(0)
    expect(run.stdout).toContain("::warning::Input 'scopes' does not apply to operation 'create-token' and is ignored")
    const revoke = await runAction({ operation: 'revoke', 'api-url': emulator.url, 'api-token': emulator.apiToken, 'token-name': 'no-such', scopes: 'read' })
    expect(revoke.stdout).toContain("::warning::Input 'scopes' does not apply to operation 'revoke' and is ignored")
  })
})
