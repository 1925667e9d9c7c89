/**
 * Rotation's safety rules through the bundled dist/index.js, run as the runner runs it, against
 * the emulator (real, short downtimes on the wall clock) and the fake GitHub. Durations are
 * scaled down from Turso-sized ones (the fake-clock versions are in verify-readiness.test.ts);
 * `retries: 0` leaves every wait to the verify-timeout loop. No assertion depends on timing
 * beyond "the first check lands inside a downtime that started a moment before".
 */
import { describe, expect, it } from '@jest/globals'
import { runBundledAction, type ActionRun } from '../scripts/lib/runner.js'
import { mintDatabaseToken, rotateGroupOnSecretWrite, useEmulator } from './support/emulator.js'
import { useFakeGitHub } from './support/fake-github.js'
import { expectNoLeaks } from './support/leaks.js'
import { errorLines } from './support/workflow-commands.js'

const emulator = useEmulator()
const github = useFakeGitHub()

const SECRET_KEY = 'repo:octo-org/app:TURSO_AUTH_TOKEN'
const ROTATE = 'POST /v1/organizations/acme/databases/app-db/auth/rotate'

function inputs(extra: Record<string, string> = {}): Record<string, string> {
  return {
    operation: 'rotate',
    'api-url': emulator.url,
    organization: 'acme',
    database: 'app-db',
    verify: 'true',
    retries: '0',
    'verify-timeout': '30',
    'secret-name': 'TURSO_AUTH_TOKEN',
    'github-token': github.token,
    'secret-repository': 'octo-org/app',
    ...extra
  }
}

const run = (extra: Record<string, string> = {}): Promise<ActionRun> =>
  runBundledAction(inputs(extra), { TURSO_API_TOKEN: emulator.apiToken, GITHUB_API_URL: github.url })

const apiCalls = (): string[] => emulator.requests.filter((request) => request.target === 'api').map((request) => `${request.method} ${request.path}`)
const waitLines = (stdout: string): string[] => stdout.split('\n').filter((line) => line.startsWith('Database not ready'))

async function storedSecret(): Promise<string | undefined> {
  const stored = github.secrets.get(SECRET_KEY)
  return stored === undefined ? undefined : github.decrypt(stored.encrypted_value)
}

/** A token of the default group minted before the rotation (so the rotation must kill it). */
const tokenBefore = (): Promise<string> => mintDatabaseToken(emulator, github)

describe('dist/index.js: rotate + verify + secret waits out the downtime after the rotation', () => {
  it.each<[string, '503' | 'reset' | '401', RegExp]>([
    ['503s', '503', /\(HTTP 503\) on attempt 1;/],
    ['reset connections', 'reset', /\(no answer: connection reset\) on attempt 1;/],
    ['401s while the new key propagates', '401', /\(HTTP 401: the new signing key may not have reached the database yet\) on attempt 1;/]
  ])('survives %s, then stores the token only once it verified', async (_label, mode, firstWait) => {
    const old = await tokenBefore()
    emulator.setAvailability({ afterRotation: [{ mode, ms: 1500 }] })
    const result = await run()
    expect(result.stderr).toBe('')
    expect(result.exitCode).toBe(0)
    const waits = waitLines(result.stdout)
    expect(waits[0]).toMatch(firstWait)
    expect(waits[0]).toMatch(/trying again in \d+\.\d s \(\d+\.\d s left of verify-timeout\)$/)
    // Stored only after the verification that succeeded, which came after the last wait.
    const log = result.stdout
    expect(log.lastIndexOf('Database not ready')).toBeLessThan(log.indexOf('Verified the new token'))
    expect(log.indexOf('Verified the new token')).toBeLessThan(log.indexOf('Stored the token'))
    expect(await storedSecret()).toBe(result.outputs.token)
    expect(emulator.verifyDatabaseToken(result.outputs.token, 'app-db', 'acme').valid).toBe(true)
    expect(emulator.verifyDatabaseToken(old, 'app-db', 'acme').valid).toBe(false)
    expectNoLeaks(result, [emulator.apiToken, result.outputs.token, github.token, old])
  })
})

describe('dist/index.js: create-token + verify on an idle database', () => {
  it('survives a wake-up longer than the HTTP timeout: the timed-out attempt is tried again', async () => {
    // `analytics` is used by no other test here, so it is still asleep; it holds requests for 2.5 s.
    emulator.setAvailability({ wakeUp: { ms: 2500 } })
    const result = await run({ operation: 'create-token', database: 'analytics', timeout: '1', 'secret-name': '', 'github-token': '', 'secret-repository': '' })
    expect(result.exitCode).toBe(0)
    expect(waitLines(result.stdout)[0]).toMatch(/^Database not ready for the new token \(no answer: timed out\) on attempt 1;/)
    expect(emulator.verifyDatabaseToken(result.outputs.token, 'analytics', 'acme').valid).toBe(true)
  })
})

describe('dist/index.js: a refused token without a rotation', () => {
  it('fails at the first refusal, without waiting, and stores nothing', async () => {
    const foreign = await mintDatabaseToken(emulator, github, { database: 'staging-db' })
    emulator.addFault({ method: 'POST', path: '/v1/organizations/acme/databases/app-db/auth/tokens', status: 200, body: JSON.stringify({ jwt: foreign }) })
    const result = await run({ operation: 'create-token', 'export-env': 'true' })
    expect(result.exitCode).toBe(1)
    expect(waitLines(result.stdout)).toEqual([])
    expect(emulator.requests.filter((request) => request.target === 'libsql')).toHaveLength(1)
    expect(errorLines(result.stdout)[0]).toMatch(/the new token was rejected by the database \(HTTP 401\)/)
    expect(github.requests.map((request) => request.method)).toEqual(['GET'])
    expect(github.secrets.size).toBe(0)
    expect(result.exported).toEqual({})
    expectNoLeaks(result, [emulator.apiToken, foreign, github.token])
  })
})

describe('dist/index.js: a database that never comes back after the rotation', () => {
  it('stores and exports the token anyway, then fails saying it is stored but unverified and how to check it', async () => {
    await tokenBefore()
    emulator.setAvailability({ afterRotation: [{ mode: '503', ms: 600_000 }] })
    const result = await run({ 'verify-timeout': '2', 'export-env': 'true' })
    expect(result.exitCode).toBe(1)
    expect(result.outputs.token).toMatch(/^eyJ/)
    expect(await storedSecret()).toBe(result.outputs.token)
    expect(result.exported.TURSO_AUTH_TOKEN).toBe(result.outputs.token)
    const [error, ...more] = errorLines(result.stdout)
    expect(more).toEqual([])
    expect(error).toMatch(
      /^::error::The new token is set as the token output, stored in secret TURSO_AUTH_TOKEN in repository octo-org\/app and exported as TURSO_AUTH_TOKEN, but it is unverified: The database did not accept the new token within verify-timeout \(2\.0 s, \d+ attempt\(s\)\)/
    )
    expect(error).toContain('so the replacement was delivered anyway')
    expect(error).toContain('turso db show app-db')
    expect(error).toContain('re-run this step with operation: create-token')
    expect(error).not.toContain('the replacement was not completed')
    expect(result.summary).toContain('❌ failed')
    expectNoLeaks(result, [emulator.apiToken, result.outputs.token, github.token])
  })
})

describe('dist/index.js: preflight failures stop the rotation before it starts', () => {
  it.each<[string, () => void, Record<string, string>, RegExp]>([
    [
      'the database lookup is refused',
      () => emulator.addFault({ method: 'GET', path: '/v1/organizations/acme/databases/app-db', status: 403, body: '{"error":"forbidden"}' }),
      {},
      /Before rotating, the database lookup \(its address is needed for database-url, verify and export-env\) failed: Could not look up database 'app-db'.*HTTP 403: forbidden/
    ],
    [
      'an attach-databases entry does not exist',
      () => undefined,
      { 'attach-databases': 'analytics, analytcs' },
      /Before rotating, checking attach-databases entry 'analytcs' failed: .*HTTP 404/
    ],
    [
      'github-token cannot read the secrets public key',
      () => undefined,
      { 'github-token': 'ghp_cannotReadSecrets0000000000000000' },
      /Before rotating, reading the public key of secret TURSO_AUTH_TOKEN with github-token failed: /
    ]
  ])('%s: no rotate request, old tokens still work, and the error says so', async (_label, arrange, extra, reason) => {
    const old = await tokenBefore()
    arrange()
    const result = await run(extra)
    expect(result.exitCode).toBe(1)
    expect(apiCalls()).not.toContain(ROTATE)
    expect(apiCalls().filter((call) => call.startsWith('POST'))).toEqual([])
    expect(emulator.verifyDatabaseToken(old, 'app-db', 'acme').valid).toBe(true)
    expect(result.outputs).toEqual({})
    const [error] = errorLines(result.stdout)
    expect(error).toMatch(/^::error::Nothing was rotated: the old tokens still work\. /)
    expect(error).toMatch(reason)
    expect(github.secrets.size).toBe(0)
    expectNoLeaks(result, [emulator.apiToken, old, github.token, extra['github-token'] ?? github.token])
  })
})

describe('dist/index.js: a concurrent rotation of the same group', () => {
  it('right after the PUT makes the step fail, explaining what happened and what to do', async () => {
    await tokenBefore()
    github.beforeAnswer = rotateGroupOnSecretWrite(emulator)
    const result = await run()
    expect(result.exitCode).toBe(1)
    expect(await storedSecret()).toBe(result.outputs.token)
    expect(emulator.verifyDatabaseToken(result.outputs.token, 'app-db', 'acme').valid).toBe(false)
    const [error] = errorLines(result.stdout)
    expect(error).toMatch(/^::error::The new token verified and was then set as the token output and stored in secret TURSO_AUTH_TOKEN in repository octo-org\/app, but the database refused it when checked again right after \(HTTP 401\): another rotation of the same Turso group/)
    expect(error).toContain('Re-run this step once the other rotation has finished')
    expect(error).toContain('concurrency: turso-rotate-<organization>-<group>')
    expectNoLeaks(result, [emulator.apiToken, result.outputs.token, github.token])
  })

  it('without one, the check after the PUT passes and says so', async () => {
    await tokenBefore()
    const result = await run()
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toContain('Checked the token again after delivering it: still accepted')
    expect(emulator.requests.filter((request) => request.target === 'libsql')).toHaveLength(3)
  })
})

describe('dist/index.js: the rotate answer is lost on every attempt, after Turso applied it', () => {
  it('still ends with a working replacement stored, then fails saying the old tokens may be invalid', async () => {
    const old = await tokenBefore()
    emulator.addFault({ method: 'POST', path: '/v1/organizations/acme/databases/app-db/auth/rotate', dropResponse: true })
    const result = await run()
    expect(result.exitCode).toBe(1)
    expect(emulator.verifyDatabaseToken(old, 'app-db', 'acme').valid).toBe(false)
    expect(await storedSecret()).toBe(result.outputs.token)
    expect(emulator.verifyDatabaseToken(result.outputs.token, 'app-db', 'acme').valid).toBe(true)
    const [error, ...more] = errorLines(result.stdout)
    expect(more).toEqual([])
    expect(error).toMatch(/^::error::The request to invalidate every token of group 'default' .* got no clear answer \(.*connection reset\), so Turso may have applied it: the old tokens may already be invalid\. The replacement is set as the token output and stored in secret TURSO_AUTH_TOKEN in repository octo-org\/app, so clients that use it keep working either way\./)
    expectNoLeaks(result, [emulator.apiToken, old, result.outputs.token, github.token])
  })
})

describe('dist/index.js: an API token that may rotate but not mint', () => {
  it('never rotates: the throw-away mint is refused first', async () => {
    const old = await tokenBefore()
    const response = await fetch(`${emulator.url}/v1/auth/api-tokens/dist-rotate-only-${Date.now()}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${emulator.apiToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ organization: 'acme', group: 'default', scopes: ['read', 'db:rotate-creds'] })
    })
    const scoped = ((await response.json()) as { token: string }).token
    emulator.clearRequests()
    const result = await runBundledAction(inputs(), { TURSO_API_TOKEN: scoped, GITHUB_API_URL: github.url })
    expect(result.exitCode).toBe(1)
    expect(apiCalls()).not.toContain(ROTATE)
    expect(emulator.verifyDatabaseToken(old, 'app-db', 'acme').valid).toBe(true)
    expect(errorLines(result.stdout)[0]).toMatch(/^::error::Nothing was rotated: the old tokens still work\. Before rotating, minting a throw-away token \(expiring in 1s\) to prove api-token may mint the replacement failed: .*HTTP 403/)
    expect(github.secrets.size).toBe(0)
    expectNoLeaks(result, [emulator.apiToken, scoped, old, github.token])
  })
})
