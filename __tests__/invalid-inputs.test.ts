import { describe, expect, it } from '@jest/globals'
import { useEmulator } from './support/emulator.js'
import { expectNoLeaks } from './support/leaks.js'
import { runAction } from './support/run-action.js'
import { errorLines } from './support/workflow-commands.js'

const emulator = useEmulator()

const GITHUB_TOKEN = 'ghp_exampleGitHubToken0123456789abcdef'

function valid(): Record<string, string> {
  return { operation: 'create-token', 'api-url': emulator.url, 'api-token': emulator.apiToken, organization: 'acme', database: 'app-db' }
}

/** [what is wrong, inputs over the valid ones, the input the error must name] */
const invalidInputs: Array<[string, Record<string, string>, string]> = [
  ['no operation', { operation: '' }, 'operation'],
  ['an unknown operation', { operation: 'mint' }, 'operation'],
  ['no API token anywhere', { 'api-token': '' }, 'api-token'],
  ['no target', { database: '' }, 'database'],
  ['both targets', { group: 'default' }, 'group'],
  ['a database without organization', { organization: '' }, 'organization'],
  ['an expiration with an unknown unit', { expiration: '1y' }, 'expiration'],
  ['a negative expiration', { expiration: '-1h' }, 'expiration'],
  ['an expiration without unit', { expiration: '30' }, 'expiration'],
  ['an unknown permission action', { permissions: 'all:data_insert' }, 'permissions'],
  ['a permission without a colon', { permissions: 'data_read' }, 'permissions'],
  ['read-only that is not a boolean', { 'read-only': 'yes' }, 'read-only'],
  ['a database name that escapes its path segment', { database: '../groups/default' }, 'database'],
  ['a database name with a newline', { database: 'app-db\n::error::fake' }, 'database'],
  ['an organization with a slash', { organization: 'acme/../x' }, 'organization'],
  ['an absurdly long database name', { database: 'a'.repeat(5000) }, 'database'],
  ['an attach database with a space', { 'attach-databases': 'good-db, bad db' }, 'attach-databases'],
  ['a plain http api-url to a remote host', { 'api-url': 'http://api.turso.tech' }, 'api-url'],
  ['an api-url with credentials', { 'api-url': 'https://user:pass@api.turso.tech' }, 'api-url'],
  ['an api-url that is not a URL', { 'api-url': 'api.turso.tech' }, 'api-url'],
  ['an absurdly long api-url', { 'api-url': `https://${'a'.repeat(10_000)}.example` }, 'api-url'],
  ['retries out of range', { retries: '100' }, 'retries'],
  ['a timeout that is not a number', { timeout: 'soon' }, 'timeout'],
  ['a verify-timeout that is not a number', { verify: 'true', 'verify-timeout': '1m' }, 'verify-timeout'],
  ['a rotate with a verify-timeout over an hour', { operation: 'rotate', verify: 'true', 'verify-timeout': '7200' }, 'verify-timeout'],
  ['secret-name without github-token', { 'secret-name': 'TURSO_TOKEN' }, 'github-token'],
  ['a secret name GitHub refuses', { 'secret-name': 'GITHUB_TOKEN_X', 'github-token': GITHUB_TOKEN, 'secret-repository': 'acme/app' }, 'secret-name'],
  ['a malformed secret repository', { 'secret-name': 'TURSO_TOKEN', 'github-token': GITHUB_TOKEN, 'secret-repository': 'not-a-repo' }, 'secret-repository'],
  ['verify on a user-account group', { database: '', organization: '', group: 'default', verify: 'true' }, 'verify'],
  ['rotate with mint false and a secret to store', { operation: 'rotate', mint: 'false', 'secret-name': 'T', 'github-token': GITHUB_TOKEN, 'secret-repository': 'acme/app' }, 'secret-name'],
  ['revoke without token-name', { operation: 'revoke' }, 'token-name'],
  ['revoke with a token name holding a control character', { operation: 'revoke', 'token-name': 'ci\u0000token' }, 'token-name']
]

describe('invalid inputs', () => {
  it.each(invalidInputs)('%s: fails naming the input and sends no request', async (_what, inputs, input) => {
    const run = await runAction({ ...valid(), ...inputs })
    expect(run.exitCode).toBe(1)
    const errors = errorLines(run.stdout)
    expect(errors).toHaveLength(1)
    expect(errors[0]).toContain(`'${input}'`)
    expect(emulator.requests).toEqual([])
    expect(run.outputs).toEqual({})
    expectNoLeaks(run, [emulator.apiToken, GITHUB_TOKEN])
  })

  it('lists the three operations when the operation is unknown', async () => {
    const run = await runAction({ ...valid(), operation: 'delete' })
    expect(run.stdout).toMatch(/::error::.*create-token.*rotate.*revoke/)
  })

  it('lists the valid actions when a permission action is unknown', async () => {
    const run = await runAction({ ...valid(), permissions: 'all:data_insert' })
    expect(run.stdout).toMatch(/::error::.*data_read.*data_add.*data_update.*data_delete.*schema_add.*schema_update.*schema_delete/)
  })

  it('never echoes a hostile value raw: no second workflow command can be injected', async () => {
    const run = await runAction({ ...valid(), database: 'x\n::warning::injected' })
    expect(run.stdout).not.toMatch(/^::warning::injected/m)
  })
})
