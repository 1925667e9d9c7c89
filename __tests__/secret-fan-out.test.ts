/**
 * secret-targets end to end, in process, against the emulator and the fake GitHub: every
 * destination's public key is read before anything is minted or rotated; every destination is
 * written, each sealed with its own store's key, even when one of them fails; the summary has one
 * row per destination; the step fails naming what was not written; nothing is sent in clear.
 */
import { describe, expect, it } from '@jest/globals'
import { createTokenInputs, type Inputs } from './support/action-inputs.js'
import { useEmulator } from './support/emulator.js'
import { useFakeGitHub, type SecretScopeName } from './support/fake-github.js'
import { expectNoLeaks } from './support/leaks.js'
import { runAction } from './support/run-action.js'
import { errorLines } from './support/workflow-commands.js'

const emulator = useEmulator()
const github = useFakeGitHub()

const ALL_FIVE = [
  'repository octo-org/app',
  'environment octo-org/app production',
  'organization octo-org',
  'dependabot octo-org/app',
  'dependabot-organization octo-org'
].join('\n')

/** Where each line of ALL_FIVE lands in the fake, and which store's key must open it. */
const STORED: Array<[key: string, scope: SecretScopeName]> = [
  ['repo:octo-org/app:TURSO_DB_TOKEN', 'repository'],
  ['env:octo-org/app:production:TURSO_DB_TOKEN', 'environment'],
  ['org:octo-org:TURSO_DB_TOKEN', 'organization'],
  ['dependabot:octo-org/app:TURSO_DB_TOKEN', 'dependabot-repository'],
  ['dependabot-org:octo-org:TURSO_DB_TOKEN', 'dependabot-organization']
]

const PUBLIC_KEYS = [
  'GET /repos/octo-org/app/actions/secrets/public-key',
  'GET /repos/octo-org/app/environments/production/secrets/public-key',
  'GET /orgs/octo-org/actions/secrets/public-key',
  'GET /repos/octo-org/app/dependabot/secrets/public-key',
  'GET /orgs/octo-org/dependabot/secrets/public-key'
]

const inputs = (extra: Inputs = {}): Inputs =>
  createTokenInputs(emulator, github, { 'secret-name': 'TURSO_DB_TOKEN', 'secret-targets': ALL_FIVE, retries: '0', ...extra })

const run = (extra: Record<string, string> = {}): ReturnType<typeof runAction> => runAction(inputs(extra), { GITHUB_API_URL: github.url })
const githubCalls = (): string[] => github.requests.map((request) => `${request.method} ${request.path}`)
const turso = (): string[] => emulator.requests.filter((request) => request.target === 'api').map((request) => `${request.method} ${request.path}`)

/** For each GitHub request, the Turso requests made before it was answered. */
function tursoCallsSeenByGitHub(): Array<[string, string[]]> {
  const seen: Array<[string, string[]]> = []
  github.beforeAnswer = (request) => {
    seen.push([`${request.method} ${request.path}`, turso()])
  }
  return seen
}

/** Opens the stored value with its own store's key, and checks that no other store's key opens it. */
async function expectSealedFor(key: string, scope: SecretScopeName, value: string): Promise<void> {
  const stored = github.secrets.get(key)
  expect(stored?.key_id).toBe(github.keys[scope].keyId)
  expect(await github.decryptFor(scope, stored?.encrypted_value ?? '')).toBe(value)
  for (const other of Object.keys(github.keys) as SecretScopeName[]) {
    if (other !== scope) await expect(github.decryptFor(other, stored?.encrypted_value ?? '')).rejects.toThrow()
  }
}

/** No request body sent to GitHub holds the token in clear. */
function expectNothingInClear(token: string): void {
  for (const request of github.requests) expect(JSON.stringify(request.body ?? '')).not.toContain(token)
}

describe('create-token fanned out to all five kinds of destination', () => {
  it('reads the five public keys before minting, then writes all five, each sealed with its own key', async () => {
    github.secrets.clear()
    const seen = tursoCallsSeenByGitHub()
    const result = await run()
    expect(result.exitCode).toBe(0)
    const token = result.outputs.token
    expect(githubCalls()).toEqual([
      ...PUBLIC_KEYS,
      'PUT /repos/octo-org/app/actions/secrets/TURSO_DB_TOKEN',
      'PUT /repos/octo-org/app/environments/production/secrets/TURSO_DB_TOKEN',
      'PUT /orgs/octo-org/actions/secrets/TURSO_DB_TOKEN',
      'PUT /repos/octo-org/app/dependabot/secrets/TURSO_DB_TOKEN',
      'PUT /orgs/octo-org/dependabot/secrets/TURSO_DB_TOKEN'
    ])
    // Every key was read while Turso had not been asked for anything.
    for (const [call, before] of seen.slice(0, 5)) expect([call, before]).toEqual([call, []])
    for (const [, before] of seen.slice(5)) expect(before).toContain('POST /v1/organizations/acme/databases/app-db/auth/tokens')
    for (const [key, scope] of STORED) await expectSealedFor(key, scope, token)
    expect(github.secrets.get('org:octo-org:TURSO_DB_TOKEN')?.visibility).toBe('private')
    // The store's own log line, per destination.
    expect(result.stdout).toContain('GitHub secret TURSO_DB_TOKEN created in Dependabot secrets of repository octo-org/app.\n')
    for (const location of [
      'repository octo-org/app',
      'environment "production" of repository octo-org/app',
      'organization octo-org (visible to its private and internal repositories)',
      'Dependabot secrets of repository octo-org/app',
      'Dependabot secrets of organization octo-org (visible to its private and internal repositories)'
    ]) {
      expect(result.summary).toContain(`| Stored as secret | \`TURSO_DB_TOKEN\` in ${location} |`)
      expect(result.stdout).toContain(`Stored the token in secret TURSO_DB_TOKEN in ${location}\n`)
    }
    expectNothingInClear(token)
    expectNoLeaks(result, [emulator.apiToken, github.token, token])
  })

  it('an organization line with selected repositories: their IDs are resolved before the mint', async () => {
    const result = await run({ 'secret-targets': 'organization octo-org\nrepository octo-org/web', 'secret-visibility': 'selected', 'secret-repositories': 'octo-org/api' })
    expect(result.exitCode).toBe(0)
    expect(githubCalls().slice(0, 3)).toEqual([
      'GET /orgs/octo-org/actions/secrets/public-key',
      'GET /repos/octo-org/api',
      'GET /repos/octo-org/web/actions/secrets/public-key'
    ])
    expect(github.secrets.get('org:octo-org:TURSO_DB_TOKEN')).toMatchObject({ visibility: 'selected', selected_repository_ids: [github.repositoryIds.get('octo-org/api')] })
    await expectSealedFor('repo:octo-org/web:TURSO_DB_TOKEN', 'repository', result.outputs.token)
  })
})

describe('one destination failing mid-way', () => {
  it('the others are still written; the step fails naming the one that was not, with a row for each in the summary', async () => {
    github.secrets.clear()
    // The organization store starts refusing once every key has been read.
    github.beforeAnswer = (request) => {
      if (request.path === '/orgs/octo-org/dependabot/secrets/public-key') github.deniedScopes.add('organization')
    }
    const result = await run()
    expect(result.exitCode).toBe(1)
    const token = result.outputs.token
    expect(githubCalls().filter((call) => call.startsWith('PUT'))).toHaveLength(5)
    for (const [key, scope] of STORED) {
      if (scope === 'organization') expect(github.secrets.has(key)).toBe(false)
      else await expectSealedFor(key, scope, token)
    }
    const [error] = errorLines(result.stdout)
    expect(error).toMatch(
      /^::error::Secret TURSO_DB_TOKEN was written to 4 of 5 destinations\. Not written to organization octo-org \(visible to its private and internal repositories\): writing the encrypted value failed: .*\(HTTP 403\)\..* The 4 written hold the new token: fix what each reason says/
    )
    expect(result.summary).toMatch(/\| Not stored as secret \| `TURSO_DB_TOKEN` in organization octo-org \(visible to its private and internal repositories\): writing the encrypted value failed: .*\|/)
    expect(result.summary.match(/\| Stored as secret \|/g)).toHaveLength(4)
    expectNothingInClear(token)
    expectNoLeaks(result, [emulator.apiToken, github.token, token])
  })

  it('a single destination fails exactly as before: its own error, nothing about fan-out', async () => {
    github.beforeAnswer = (request) => {
      if (request.method === 'GET') github.deniedScopes.add('repository')
    }
    const result = await run({ 'secret-targets': 'repository octo-org/app' })
    expect(result.exitCode).toBe(1)
    expect(errorLines(result.stdout)[0]).toMatch(/^::error::Could not write secret TURSO_DB_TOKEN to repository octo-org\/app: writing the encrypted value failed/)
  })
})

describe('a destination whose public key cannot be read', () => {
  it('create-token: nothing is minted; every destination is tried so that the error names each unreachable one', async () => {
    github.deniedScopes.add('environment')
    github.deniedScopes.add('dependabot-organization')
    const result = await run()
    expect(result.exitCode).toBe(1)
    expect(turso()).toEqual([])
    expect(githubCalls()).toEqual(PUBLIC_KEYS)
    const [error] = errorLines(result.stdout)
    expect(error).toMatch(/^::error::Could not reach 2 of the 5 destinations of secret TURSO_DB_TOKEN with github-token, so nothing was minted or written\. Could not write /)
    expect(error).toContain('Could not write secret TURSO_DB_TOKEN to environment "production" of repository octo-org/app: reading its public key failed')
    expect(error).toContain('Could not write secret TURSO_DB_TOKEN to Dependabot secrets of organization octo-org')
    expectNoLeaks(result, [emulator.apiToken, github.token])
  })

  it('rotate: stops before the rotation, so the old tokens keep working', async () => {
    const response = await fetch(`${emulator.url}/v1/organizations/acme/groups/default/auth/tokens`, { method: 'POST', headers: { authorization: `Bearer ${emulator.apiToken}` } })
    const { jwt: old } = (await response.json()) as { jwt: string }
    emulator.clearRequests()
    github.deniedScopes.add('dependabot-repository')
    const result = await run({ operation: 'rotate', database: '', group: 'default' })
    expect(result.exitCode).toBe(1)
    expect(turso().some((call) => call.endsWith('/auth/rotate'))).toBe(false)
    expect(emulator.verifyDatabaseToken(old, 'app-db', 'acme').valid).toBe(true)
    expect(errorLines(result.stdout)[0]).toMatch(/Dependabot secrets of repository octo-org\/app: reading its public key failed/)
    expect(github.requests.some((request) => request.method === 'PUT')).toBe(false)
    expectNoLeaks(result, [emulator.apiToken, github.token])
  })
})

describe('rotate a group and write the Actions and Dependabot secrets of two repositories', () => {
  it('all four hold the new token, which works, and the old one is dead', async () => {
    github.secrets.clear()
    const response = await fetch(`${emulator.url}/v1/organizations/acme/groups/default/auth/tokens`, { method: 'POST', headers: { authorization: `Bearer ${emulator.apiToken}` } })
    const { jwt: old } = (await response.json()) as { jwt: string }
    const result = await run({
      operation: 'rotate',
      database: '',
      group: 'default',
      verify: 'true',
      'secret-targets': 'repository octo-org/app\ndependabot octo-org/app\nrepository octo-org/api\ndependabot octo-org/api'
    })
    expect(result.exitCode).toBe(0)
    const token = result.outputs.token
    await expectSealedFor('repo:octo-org/app:TURSO_DB_TOKEN', 'repository', token)
    await expectSealedFor('dependabot:octo-org/app:TURSO_DB_TOKEN', 'dependabot-repository', token)
    await expectSealedFor('repo:octo-org/api:TURSO_DB_TOKEN', 'repository', token)
    await expectSealedFor('dependabot:octo-org/api:TURSO_DB_TOKEN', 'dependabot-repository', token)
    expect(emulator.verifyDatabaseToken(token, 'app-db', 'acme').valid).toBe(true)
    expect(emulator.verifyDatabaseToken(old, 'app-db', 'acme').valid).toBe(false)
    expect(result.stdout).toContain('Checked the token again after delivering it')
    expectNothingInClear(token)
    expectNoLeaks(result, [emulator.apiToken, github.token, token])
  })

  it('one of the four failing after the rotation: the step fails, says the other three hold the new token and how to recover', async () => {
    github.secrets.clear()
    github.beforeAnswer = (request) => {
      if (request.path === '/repos/octo-org/api/dependabot/secrets/public-key') github.failNext({ status: 500, body: { message: 'Server Error' } })
    }
    const result = await run({
      operation: 'rotate',
      database: '',
      group: 'default',
      'secret-targets': 'repository octo-org/app\ndependabot octo-org/app\nrepository octo-org/api\ndependabot octo-org/api'
    })
    expect(result.exitCode).toBe(1)
    expect(github.secrets.has('repo:octo-org/app:TURSO_DB_TOKEN')).toBe(false)
    expect([...github.secrets.keys()].sort()).toEqual(['dependabot:octo-org/api:TURSO_DB_TOKEN', 'dependabot:octo-org/app:TURSO_DB_TOKEN', 'repo:octo-org/api:TURSO_DB_TOKEN'])
    const [error] = errorLines(result.stdout)
    expect(error).toMatch(/^::error::The old tokens are already invalid .*Secret TURSO_DB_TOKEN was written to 3 of 4 destinations\. Not written to repository octo-org\/app: writing the encrypted value failed: Server Error \(HTTP 500\)\..* The 3 written hold the new token/)
    expect(error).toMatch(/re-run this step with operation: create-token and the same inputs/)
    expectNoLeaks(result, [emulator.apiToken, github.token, result.outputs.token])
  })
})
