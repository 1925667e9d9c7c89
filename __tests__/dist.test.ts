import { describe, expect, it } from '@jest/globals'
import { runBundledAction } from '../scripts/lib/runner.js'
import { useEmulator } from './support/emulator.js'
import { expectNoLeaks } from './support/leaks.js'

/** The committed bundle, run as a child process exactly as the runner runs it. */
const emulator = useEmulator()

const common = (): Record<string, string> => ({ 'api-url': emulator.url, organization: 'acme', database: 'app-db' })

describe('dist/index.js: create-token', () => {
  it('mints a working token, writes GITHUB_OUTPUT and the summary, and exits 0', async () => {
    const run = await runBundledAction({ ...common(), operation: 'create-token', expiration: '1h' }, { TURSO_API_TOKEN: emulator.apiToken })
    expect(run.stderr).toBe('')
    expect(run.exitCode).toBe(0)
    expect(emulator.verifyDatabaseToken(run.outputs.token, 'app-db', 'acme').valid).toBe(true)
    expect(run.outputs['expires-at']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/)
    expect(run.outputs['database-url']).toBe(`libsql://${emulator.hostnameOf('app-db', 'acme')}`)
    expect(run.summary).toContain('✅ done')
    const lines = run.stdout.split('\n')
    expect(lines[0]).toBe(`::add-mask::${emulator.apiToken}`)
    expect(lines[1]).toBe(`::add-mask::${run.outputs.token}`)
    expectNoLeaks(run, [emulator.apiToken, run.outputs.token])
  })

  it('exports TURSO_DATABASE_URL and TURSO_AUTH_TOKEN through GITHUB_ENV with export-env', async () => {
    const run = await runBundledAction({ ...common(), operation: 'create-token', 'export-env': 'true' }, { TURSO_API_TOKEN: emulator.apiToken })
    expect(run.exitCode).toBe(0)
    expect(run.exported).toEqual({ TURSO_DATABASE_URL: run.outputs['database-url'], TURSO_AUTH_TOKEN: run.outputs.token })
    expectNoLeaks(run, [emulator.apiToken, run.outputs.token])
  })
})

describe('dist/index.js: failures', () => {
  it('an invalid input fails with ::error:: naming it, exit 1, no request and no stack trace', async () => {
    const run = await runBundledAction({ ...common(), operation: 'create-token', expiration: '10 days' }, { TURSO_API_TOKEN: emulator.apiToken })
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toMatch(/^::error::Input 'expiration' must be/m)
    expect(run.stdout + run.stderr).not.toMatch(/^\s+at /m)
    expect(emulator.requests).toEqual([])
  })

  it('a wrong API token fails with the 401 guidance and leaks nothing', async () => {
    const wrong = 'emulator-wrong-token-0000000000000000'
    const run = await runBundledAction({ ...common(), operation: 'create-token' }, { TURSO_API_TOKEN: wrong })
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toMatch(/^::error::Could not create a token for database 'app-db' in organization 'acme'\. Turso answered HTTP 401.*API token is wrong, revoked or expired/m)
    expectNoLeaks(run, [wrong])
  })
})

describe('dist/index.js: rotate then revoke', () => {
  it('rotates (old token refused, new one works) and revokes an API token', async () => {
    const before = await runBundledAction({ ...common(), operation: 'create-token' }, { TURSO_API_TOKEN: emulator.apiToken })
    const rotated = await runBundledAction({ ...common(), operation: 'rotate' }, { TURSO_API_TOKEN: emulator.apiToken })
    expect(rotated.exitCode).toBe(0)
    expect(emulator.verifyDatabaseToken(before.outputs.token, 'app-db', 'acme').valid).toBe(false)
    expect(emulator.verifyDatabaseToken(rotated.outputs.token, 'app-db', 'acme').valid).toBe(true)

    const revoked = await runBundledAction({ operation: 'revoke', 'api-url': emulator.url, 'token-name': 'ci-deployer' }, { TURSO_API_TOKEN: emulator.apiToken })
    expect(revoked.exitCode).toBe(0)
    expect(revoked.outputs).toEqual({ 'token-name': 'ci-deployer' })
    expectNoLeaks(rotated, [emulator.apiToken, rotated.outputs.token])
  })
})
