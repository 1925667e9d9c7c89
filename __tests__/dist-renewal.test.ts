/**
 * Renewal and secret-targets through the bundled dist/index.js, run as the runner runs it, against
 * the emulator and the fake GitHub: the lazily loaded chunks (renewal, fan-out, the secret store)
 * are the ones the runner would load. The same scenarios run in process in renewal.test.ts and
 * secret-fan-out.test.ts, where mutation testing can see them.
 */
import { describe, expect, it } from '@jest/globals'
import { runBundledAction, type ActionRun } from '../scripts/lib/runner.js'
import { renewalInputs as renewalInputsFor, type Inputs } from './support/action-inputs.js'
import { mintDatabaseToken, useEmulator } from './support/emulator.js'
import { useFakeGitHub, type SecretScopeName } from './support/fake-github.js'
import { expectNoLeaks } from './support/leaks.js'
import { errorLines } from './support/workflow-commands.js'

const emulator = useEmulator()
const github = useFakeGitHub()

const MINT = 'POST /v1/organizations/acme/databases/app-db/auth/tokens'

/** The API token comes from TURSO_API_TOKEN (see `run`): the input stays at action.yml's default, empty. */
const renewalInputs = (currentToken: string, extra: Inputs = {}): Inputs =>
  renewalInputsFor(emulator, github, currentToken, { 'api-token': '', ...extra })

const run = (inputs: Record<string, string>): Promise<ActionRun> =>
  runBundledAction(inputs, { TURSO_API_TOKEN: emulator.apiToken, GITHUB_API_URL: github.url })

const apiCalls = (): string[] => emulator.requests.filter((request) => request.target === 'api').map((request) => `${request.method} ${request.path}`)

const tokenExpiringIn = (expiration: string): Promise<string> => mintDatabaseToken(emulator, github, { expiration })

async function stored(key: string, scope: SecretScopeName): Promise<string | undefined> {
  const secret = github.secrets.get(key)
  return secret === undefined ? undefined : github.decryptFor(scope, secret.encrypted_value)
}

async function expectRenewed(result: ActionRun, current: string): Promise<void> {
  expect(result.stderr).toBe('')
  expect(result.exitCode).toBe(0)
  expect(result.outputs.renewed).toBe('true')
  expect(result.outputs.token).not.toBe(current)
  expect(apiCalls()).toContain(MINT)
  expect(apiCalls().some((call) => call.endsWith('/auth/rotate'))).toBe(false)
  expect(await stored('repo:octo-org/app:TURSO_DB_TOKEN', 'repository')).toBe(result.outputs.token)
  expectNoLeaks(result, [emulator.apiToken, github.token, result.outputs.token, current])
}

describe('dist/index.js: renewal', () => {
  it('not due: the current token is kept, nothing minted or stored', async () => {
    const current = await tokenExpiringIn('30d')
    const result = await run(renewalInputs(current))
    expect(result.stderr).toBe('')
    expect(result.exitCode).toBe(0)
    expect(result.outputs.renewed).toBe('false')
    expect(result.outputs.token).toBe(current)
    expect(apiCalls()).toEqual(['GET /v1/organizations/acme/databases/app-db'])
    expect(github.requests).toEqual([])
    expect(result.summary).toContain('| Next renewal due |')
    expectNoLeaks(result, [emulator.apiToken, github.token, current])
  })

  it('due: expiring within renew-within, a new token is minted and stored; the old one still works', async () => {
    const current = await tokenExpiringIn('3d')
    const result = await run(renewalInputs(current))
    await expectRenewed(result, current)
    expect(emulator.verifyDatabaseToken(current, 'app-db', 'acme').valid).toBe(true)
  })

  it('first run: an empty current-token', async () => {
    const result = await run(renewalInputs(''))
    await expectRenewed(result, '')
    expect(result.stdout).toContain('Renewal due: current-token is empty')
  })

  it('unreadable: not a JWT, warned', async () => {
    const result = await run(renewalInputs('garbage-token-value'))
    await expectRenewed(result, 'garbage-token-value')
    expect(result.stdout).toMatch(/^::warning::current-token is not a JWT/m)
  })

  it('dead but not expired: with verify, a token the database refuses is renewed', async () => {
    const current = await tokenExpiringIn('30d')
    await fetch(`${emulator.url}/v1/organizations/acme/groups/default/auth/rotate`, { method: 'POST', headers: { authorization: `Bearer ${emulator.apiToken}` } })
    emulator.clearRequests()
    const result = await run(renewalInputs(current, { verify: 'true' }))
    await expectRenewed(result, current)
    expect(result.stdout).toMatch(/Renewal due: the database refuses current-token \(HTTP 401\)/)
  })

  it('refused locally: renew-within not shorter than expiration, nothing sent', async () => {
    const result = await run(renewalInputs('', { 'renew-within': '30d' }))
    expect(result.exitCode).toBe(1)
    expect(errorLines(result.stdout)[0]).toMatch(/^::error::Input 'renew-within' \(30d\) must be shorter than 'expiration' \(30d\)/)
    expect(emulator.requests).toEqual([])
    expect(github.requests).toEqual([])
  })
})

const FIVE = 'repository octo-org/app\nenvironment octo-org/app production\norganization octo-org\ndependabot octo-org/app\ndependabot-organization octo-org'
const STORES: Array<[string, SecretScopeName]> = [
  ['repo:octo-org/app:T', 'repository'],
  ['env:octo-org/app:production:T', 'environment'],
  ['org:octo-org:T', 'organization'],
  ['dependabot:octo-org/app:T', 'dependabot-repository'],
  ['dependabot-org:octo-org:T', 'dependabot-organization']
]

function fanOutInputs(extra: Record<string, string> = {}): Record<string, string> {
  return { operation: 'create-token', 'api-url': emulator.url, organization: 'acme', database: 'app-db', 'secret-name': 'T', 'secret-targets': FIVE, 'github-token': github.token, retries: '0', ...extra }
}

describe('dist/index.js: secret-targets', () => {
  it('writes all five kinds of destination, each sealed with its own key', async () => {
    github.secrets.clear()
    const result = await run(fanOutInputs())
    expect(result.stderr).toBe('')
    expect(result.exitCode).toBe(0)
    for (const [key, scope] of STORES) expect(await stored(key, scope)).toBe(result.outputs.token)
    expect(result.summary.match(/\| Stored as secret \|/g)).toHaveLength(5)
    expectNoLeaks(result, [emulator.apiToken, github.token, result.outputs.token])
  })

  it('one destination failing mid-way: the other four are written, the step fails naming it', async () => {
    github.secrets.clear()
    github.beforeAnswer = (request) => {
      if (request.path === '/orgs/octo-org/dependabot/secrets/public-key') github.deniedScopes.add('environment')
    }
    const result = await run(fanOutInputs())
    expect(result.exitCode).toBe(1)
    for (const [key, scope] of STORES) expect(await stored(key, scope)).toBe(scope === 'environment' ? undefined : result.outputs.token)
    expect(errorLines(result.stdout)[0]).toMatch(/^::error::Secret T was written to 4 of 5 destinations\. Not written to environment "production" of repository octo-org\/app: /)
    expectNoLeaks(result, [emulator.apiToken, github.token, result.outputs.token])
  })

  it('a destination whose key cannot be read stops a rotation before it starts', async () => {
    github.deniedScopes.add('dependabot-organization')
    const result = await run(fanOutInputs({ operation: 'rotate' }))
    expect(result.exitCode).toBe(1)
    expect(apiCalls().some((call) => call.endsWith('/auth/rotate'))).toBe(false)
    expect(github.requests.some((request) => request.method === 'PUT')).toBe(false)
    expect(errorLines(result.stdout)[0]).toMatch(/Dependabot secrets of organization octo-org .*reading its public key failed/)
    expectNoLeaks(result, [emulator.apiToken, github.token])
  })
})
