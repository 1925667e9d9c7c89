import { describe, expect, it } from '@jest/globals'
import { useFakeGitHub } from './support/fake-github.js'
import { useEmulator } from './support/emulator.js'
import { expectNoLeaks } from './support/leaks.js'
import { runAction } from './support/run-action.js'
import { sentence } from '../src/operations/rotation-errors.js'
import { firstErrorLine } from './support/workflow-commands.js'

const emulator = useEmulator()
const github = useFakeGitHub()

const apiCalls = (): string[] =>
  emulator.requests.filter((request) => request.target === 'api').map((request) => `${request.method} ${request.path}`)

function rotateInputs(extra: Record<string, string> = {}): Record<string, string> {
  return { operation: 'rotate', 'api-url': emulator.url, 'api-token': emulator.apiToken, organization: 'acme', database: 'app-db', ...extra }
}

/** A token minted before the rotation, to prove the rotation kills it. */
async function tokenBeforeRotation(extra: Record<string, string> = {}): Promise<string> {
  const run = await runAction({ ...rotateInputs(extra), operation: 'create-token' })
  expect(run.exitCode).toBe(0)
  emulator.clearRequests()
  return run.outputs.token
}

describe('rotate a database that belongs to a group', () => {
  it('looks it up, invalidates, mints the replacement, and says the whole group was invalidated', async () => {
    const oldToken = await tokenBeforeRotation()
    const before = Date.now()
    const run = await runAction(rotateInputs({ expiration: '30d' }))
    expect(run.exitCode).toBe(0)
    expect(apiCalls()).toEqual([
      'GET /v1/organizations/acme/databases/app-db',
      'GET /v1/organizations/acme/databases',
      'POST /v1/organizations/acme/databases/app-db/auth/tokens',
      'POST /v1/organizations/acme/databases/app-db/auth/rotate',
      'POST /v1/organizations/acme/databases/app-db/auth/tokens'
    ])
    expect(emulator.requests[1].query).toEqual({ group: 'default' })
    // The throw-away token: the shortest expiration, the replacement's other options.
    expect(emulator.requests[2].query).toEqual({ expiration: '1s', authorization: 'full-access' })
    const rotate = emulator.requests[3]
    expect(rotate.body).toBe('')
    expect(rotate.query).toEqual({})
    expect(emulator.requests[4].query).toEqual({ expiration: '30d', authorization: 'full-access' })
    expect(run.stdout).toContain("Rotating invalidates the tokens of 2 databases: 'app-db', 'analytics'\n")
    expect(run.stdout).toContain("The old tokens of 'app-db', 'analytics' no longer work\n")
    expect(run.stdout.indexOf('Rotating invalidates')).toBeLessThan(run.stdout.indexOf('Invalidating every token of group'))
    expect(run.summary).toContain("| Databases affected | 'app-db', 'analytics' |")
    expect(run.summary).not.toContain('Rotate request')
    // No attach-databases: nothing said about them.
    expect(run.stdout).not.toContain('attach-databases')

    expect(Date.parse(run.outputs['rotated-at'])).toBeGreaterThanOrEqual(before)
    expect(emulator.verifyDatabaseToken(oldToken, 'app-db', 'acme').valid).toBe(false)
    expect(emulator.verifyDatabaseToken(run.outputs.token, 'app-db', 'acme').valid).toBe(true)
    expect(run.outputs['database-url']).toBe(`libsql://${emulator.hostnameOf('app-db', 'acme')}`)
    expect(run.stdout).toMatch(/Invalidated every token of group 'default' \(database 'app-db' belongs to it.*all databases of the group/)
    expect(run.summary).toContain("every token of group 'default'")
    expectNoLeaks(run, [emulator.apiToken, oldToken, run.outputs.token])
  })
})

describe('rotate a group', () => {
  it('uses the organization group path and invalidates the tokens of every database in it', async () => {
    const oldToken = await tokenBeforeRotation({ database: '', group: 'default' })
    const run = await runAction(rotateInputs({ database: '', group: 'default' }))
    expect(run.exitCode).toBe(0)
    expect(apiCalls()).toEqual([
      'GET /v1/organizations/acme/databases',
      'POST /v1/organizations/acme/groups/default/auth/tokens',
      'POST /v1/organizations/acme/groups/default/auth/rotate',
      'POST /v1/organizations/acme/groups/default/auth/tokens'
    ])
    expect(run.stdout).toContain("Rotating invalidates the tokens of 2 databases: 'app-db', 'analytics'\n")
    expect(emulator.verifyDatabaseToken(oldToken, 'analytics', 'acme').valid).toBe(false)
    expect(emulator.verifyDatabaseToken(run.outputs.token, 'analytics', 'acme').valid).toBe(true)
    expect(run.stdout).toContain("Invalidated every token of group 'default' in organization 'acme', for all of its databases")
  })

  it('uses the user-account path when organization is empty', async () => {
    const run = await runAction(rotateInputs({ organization: '', database: '', group: 'default' }))
    expect(run.exitCode).toBe(0)
    expect(apiCalls()).toEqual(['POST /v1/groups/default/auth/tokens', 'POST /v1/groups/default/auth/rotate', 'POST /v1/groups/default/auth/tokens'])
    expect(run.stdout).toContain(
      "Rotating invalidates the tokens of every database of group 'default' of your user account (not listed: set organization to your username to have them named)"
    )
    // No other row comes first here: the request's row is still replaced once it succeeded.
    expect(run.summary).not.toContain('Rotate request')
    expect(run.summary).toMatch(/\| Invalidated \| every token of group 'default' of your user account, for all of its databases at /)
  })
})

describe('rotate with mint: false', () => {
  it('only invalidates, and sets rotated-at alone', async () => {
    const run = await runAction(rotateInputs({ mint: 'false' }))
    expect(run.exitCode).toBe(0)
    expect(apiCalls()).toEqual([
      'GET /v1/organizations/acme/databases/app-db',
      'GET /v1/organizations/acme/databases',
      'POST /v1/organizations/acme/databases/app-db/auth/rotate'
    ])
    expect(Object.keys(run.outputs)).toEqual(['rotated-at'])
  })
})

describe('rotate when the replacement cannot be minted', () => {
  it('fails saying the old tokens are already dead and how to recover', async () => {
    // The first mint is the throw-away one before the rotation.
    emulator.addFault({ method: 'POST', path: '/v1/organizations/acme/databases/app-db/auth/tokens', status: 503, body: '{"error":"service unavailable"}', times: 5, skip: 1 })
    const run = await runAction(rotateInputs({ retries: '0' }))
    expect(run.exitCode).toBe(1)
    expect(run.outputs['rotated-at']).toBeDefined()
    expect(run.outputs.token).toBeUndefined()
    const error = firstErrorLine(run.stdout)
    expect(error).toContain('The old tokens are already invalid')
    expect(error).toContain('service unavailable')
    expect(error).toContain('re-run this step with operation: create-token')
    expect(run.summary).toContain('❌ failed')
    expectNoLeaks(run, [emulator.apiToken])
  })
})

describe('rotate and store the replacement as a GitHub secret', () => {
  it('writes the sealed token that decrypts to the minted token', async () => {
    const run = await runAction(
      rotateInputs({ 'secret-name': 'TURSO_AUTH_TOKEN', 'github-token': github.token, 'secret-repository': 'octo-org/app' }),
      { GITHUB_API_URL: github.url }
    )
    expect(run.exitCode).toBe(0)
    expect(github.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
      'GET /repos/octo-org/app/actions/secrets/public-key',
      'PUT /repos/octo-org/app/actions/secrets/TURSO_AUTH_TOKEN'
    ])
    const stored = github.secrets.get('repo:octo-org/app:TURSO_AUTH_TOKEN')
    expect(stored?.key_id).toBe(github.keyId)
    expect(await github.decrypt(stored?.encrypted_value ?? '')).toBe(run.outputs.token)
    expect(run.summary).toContain('TURSO_AUTH_TOKEN')
    expectNoLeaks(run, [emulator.apiToken, run.outputs.token, github.token])
  })

  it('writes an environment secret when secret-environment is set', async () => {
    const run = await runAction(
      rotateInputs({ 'secret-name': 'TURSO_AUTH_TOKEN', 'github-token': github.token, 'secret-repository': 'octo-org/app', 'secret-environment': 'production' }),
      { GITHUB_API_URL: github.url }
    )
    expect(run.exitCode).toBe(0)
    const stored = github.secrets.get('env:octo-org/app:production:TURSO_AUTH_TOKEN')
    expect(await github.decrypt(stored?.encrypted_value ?? '')).toBe(run.outputs.token)
  })
})

describe('rotate when the secret cannot be written', () => {
  it('stops before rotating: nothing is invalidated, and the error says the old tokens still work', async () => {
    const oldToken = await tokenBeforeRotation()
    const run = await runAction(
      rotateInputs({ 'secret-name': 'TURSO_AUTH_TOKEN', 'github-token': 'ghp_wrongTokenForTheFakeGitHub000000', 'secret-repository': 'octo-org/app' }),
      { GITHUB_API_URL: github.url }
    )
    expect(run.exitCode).toBe(1)
    expect(apiCalls()).toEqual(['GET /v1/organizations/acme/databases/app-db', 'GET /v1/organizations/acme/databases'])
    expect(emulator.verifyDatabaseToken(oldToken, 'app-db', 'acme').valid).toBe(true)
    expect(run.outputs).toEqual({})
    const error = firstErrorLine(run.stdout)
    expect(error).toMatch(/^::error::Nothing was rotated: the old tokens still work\. Before rotating, reading the public key of secret TURSO_AUTH_TOKEN with github-token failed: /)
    expect(error).toMatch(/github-token/i)
    expect(github.requests.map((request) => request.method)).toEqual(['GET'])
    expectNoLeaks(run, [emulator.apiToken, oldToken, 'ghp_wrongTokenForTheFakeGitHub000000'])
  })
})

describe('rotate checks what it can before the irreversible request', () => {
  it('a group with verify: finds the database to verify on before rotating, and verifies there', async () => {
    const run = await runAction(rotateInputs({ database: '', group: 'default', verify: 'true' }))
    expect(run.exitCode).toBe(0)
    expect(apiCalls()).toEqual([
      'GET /v1/organizations/acme/databases',
      'GET /v1/organizations/acme/databases/app-db/configuration',
      'POST /v1/organizations/acme/groups/default/auth/tokens',
      'POST /v1/organizations/acme/groups/default/auth/rotate',
      'POST /v1/organizations/acme/groups/default/auth/tokens'
    ])
    expect(emulator.requests.filter((request) => request.target === 'libsql').map((request) => request.database)).toEqual(['app-db', 'app-db'])
    expect(run.stdout).toContain(`The group token will be verified on the first database of group 'default' (${emulator.hostnameOf('app-db', 'acme')})\n`)
    expect(run.stdout.indexOf("The group token will be verified on the first database of group 'default'")).toBeLessThan(run.stdout.indexOf('Invalidated'))
  })

  it('a group with verify but no database: stops before rotating', async () => {
    const old = await tokenBeforeRotation({ database: '', group: 'staging' })
    emulator.addFault({ method: 'GET', path: '/v1/organizations/acme/databases', status: 200, body: '{"databases":[]}' })
    const run = await runAction(rotateInputs({ database: '', group: 'staging', verify: 'true' }))
    expect(run.exitCode).toBe(1)
    expect(apiCalls()).toEqual(['GET /v1/organizations/acme/databases'])
    expect(run.stdout).toMatch(/^::error::Nothing was rotated: the old tokens still work\. Before rotating, finding a database of group 'staging' to verify the new token on failed: .*has no database/m)
    expect(emulator.verifyDatabaseToken(old, 'staging-db', 'acme').valid).toBe(true)
  })

  it('attach-databases: looks up each entry in the organization before rotating', async () => {
    const run = await runAction(rotateInputs({ 'attach-databases': 'analytics,staging-db' }))
    expect(run.exitCode).toBe(0)
    expect(apiCalls()).toEqual([
      'GET /v1/organizations/acme/databases/app-db',
      'GET /v1/organizations/acme/databases',
      'GET /v1/organizations/acme/databases/analytics',
      'GET /v1/organizations/acme/databases/staging-db',
      'POST /v1/organizations/acme/databases/app-db/auth/tokens',
      'POST /v1/organizations/acme/databases/app-db/auth/rotate',
      'POST /v1/organizations/acme/databases/app-db/auth/tokens'
    ])
    expect(run.stdout).toContain("Checked before rotating: attach-databases 'analytics', 'staging-db' exist in organization 'acme'")
  })

  it('attach-databases with a user-account group: cannot be looked up, so it warns and rotates', async () => {
    const run = await runAction(rotateInputs({ organization: '', database: '', group: 'default', 'attach-databases': 'notes' }))
    expect(run.exitCode).toBe(0)
    expect(run.stdout).toMatch(/^::warning::attach-databases could not be checked before rotating: a user-account group has no organization.*Set organization to your username/m)
    expect(apiCalls()).toEqual(['POST /v1/groups/default/auth/tokens', 'POST /v1/groups/default/auth/rotate', 'POST /v1/groups/default/auth/tokens'])
  })

  it('mint: false keeps the lookup a warning, since nothing needs the address', async () => {
    emulator.addFault({ method: 'GET', path: '/v1/organizations/acme/databases/app-db', status: 403, body: '{"error":"forbidden"}' })
    const run = await runAction(rotateInputs({ mint: 'false' }))
    expect(run.exitCode).toBe(0)
    expect(run.stdout).toMatch(/^::warning::Could not look up the database before rotating, so its group is unknown/m)
    expect(apiCalls()).toContain('POST /v1/organizations/acme/databases/app-db/auth/rotate')
  })

  it('dry-run lists the checks before the rotate request', async () => {
    const run = await runAction(rotateInputs({ 'dry-run': 'true', 'attach-databases': 'analytics' }))
    expect(run.exitCode).toBe(0)
    expect(emulator.requests).toEqual([])
    const planned = run.stdout.split('\n').filter((line) => line.startsWith('  '))
    expect(planned.map((line) => line.trim().split('?')[0].split(' body')[0])).toEqual([
      'GET /v1/organizations/acme/databases/app-db',
      'GET /v1/organizations/acme/databases',
      'GET /v1/organizations/acme/databases/analytics',
      'POST /v1/organizations/acme/databases/app-db/auth/tokens',
      'POST /v1/organizations/acme/databases/app-db/auth/rotate',
      'POST /v1/organizations/acme/databases/app-db/auth/tokens'
    ])
  })
})

describe('create-token with a secret', () => {
  it('reads the public key before minting: a github-token that cannot read it stops the step with nothing minted', async () => {
    const run = await runAction(
      rotateInputs({ operation: 'create-token', 'secret-name': 'TURSO_AUTH_TOKEN', 'github-token': 'ghp_wrongTokenForTheFakeGitHub000000', 'secret-repository': 'octo-org/app' }),
      { GITHUB_API_URL: github.url }
    )
    expect(run.exitCode).toBe(1)
    expect(apiCalls()).toEqual([])
    expect(run.outputs).toEqual({})
    expect(run.stdout).toMatch(/^::error::Could not write secret TURSO_AUTH_TOKEN to .*reading its public key failed/m)
  })
})

describe('rotate when the secret write fails after the key was read', () => {
  it('fails with PartialRotationError: the old tokens are invalid, the cause, then the recovery advice as its own sentence', async () => {
    // The key is read (before the rotation); the PUT after it is refused.
    github.failNext(
      { status: 200, body: { key_id: github.keyId, key: Buffer.from(github.keyPair.publicKey).toString('base64') } },
      { status: 403, body: { message: 'Resource not accessible by personal access token' } }
    )
    const run = await runAction(
      rotateInputs({ 'secret-name': 'TURSO_AUTH_TOKEN', 'github-token': github.token, 'secret-repository': 'octo-org/app' }),
      { GITHUB_API_URL: github.url }
    )
    expect(run.exitCode).toBe(1)
    const error = firstErrorLine(run.stdout)
    expect(error).toMatch(/^::error::The old tokens are already invalid .*but the replacement was not completed: Could not write secret TURSO_AUTH_TOKEN/)
    expect(error).toMatch(/[.!?…] To recover, re-run this step with operation: create-token/)
  })
})

describe('sentence (joins a cause to the advice after it in PartialRotationError and PreflightError)', () => {
  it.each([
    ['the address is unknown', 'the address is unknown.'],
    ['Check the name.', 'Check the name.'],
    ['Is it there?  ', 'Is it there?'],
    ['cut short…', 'cut short…']
  ])('%j -> %j, so two messages never run together', (text, expected) => {
    expect(sentence(text)).toBe(expected)
  })
})
