/**
 * How a minted token is handed on: which checks verify runs for which kind of token, and what
 * export-env puts in the job's environment for a database token and for a group token.
 */
import { describe, expect, it } from '@jest/globals'
import { useEmulator } from './support/emulator.js'
import { expectNoLeaks } from './support/leaks.js'
import { runAction } from './support/run-action.js'

const emulator = useEmulator()

function inputs(extra: Record<string, string> = {}): Record<string, string> {
  return { operation: 'create-token', 'api-url': emulator.url, 'api-token': emulator.apiToken, organization: 'acme', database: 'app-db', ...extra }
}

/** The SQL of each libSQL pipeline request the action sent, in order. */
function libsqlStatements(): string[][] {
  return emulator.requests
    .filter((request) => request.target === 'libsql')
    .map((request) => (JSON.parse(request.body) as { requests: Array<{ type: string; stmt?: { sql: string } }> }).requests.map((entry) => entry.stmt?.sql ?? entry.type))
}

describe('verify a token with fine-grained permissions', () => {
  it('runs only the read check: such a token may legitimately be denied the write lock', async () => {
    const run = await runAction(inputs({ verify: 'true', permissions: 'all:data_read' }))
    expect(run.exitCode).toBe(0)
    expect(libsqlStatements()).toEqual([['SELECT 1', 'close']])
    expect(run.stdout).toMatch(/Verified the new token on http:\/\/127\.0\.0\.1:\d+: read access works/)
    expect(run.summary).toMatch(/\| Verified \| read on 127\.0\.0\.1:\d+ \|/)
    expectNoLeaks(run, [emulator.apiToken, run.outputs.token])
  })

  it('a read-only token with fine-grained permissions: the read check alone as well', async () => {
    const run = await runAction(inputs({ verify: 'true', 'read-only': 'true', permissions: 'all:data_read' }))
    expect(run.exitCode).toBe(0)
    expect(libsqlStatements()).toEqual([['SELECT 1', 'close']])
  })
})

describe('what the log and the summary say about the minted token', () => {
  it('a read-only token with an expiry: its access and its expiry time', async () => {
    const run = await runAction(inputs({ 'read-only': 'true', expiration: '2h' }))
    expect(run.exitCode).toBe(0)
    const expiresAt = run.outputs['expires-at']
    expect(expiresAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/)
    expect(run.stdout).toContain(`Minted a read-only token, expiring ${expiresAt}\n`)
    expect(run.summary).toContain(`| Token | read-only, expires ${expiresAt} |`)
  })

  it('a full-access token that never expires: says so, with an empty expires-at', async () => {
    const run = await runAction(inputs())
    expect(run.exitCode).toBe(0)
    expect(run.outputs['expires-at']).toBe('')
    expect(run.stdout).toContain('Minted a full-access token, never expiring\n')
    expect(run.summary).toContain('| Token | full-access, never expires |')
  })
})

describe('export-env with a group token', () => {
  it('exports TURSO_AUTH_TOKEN alone: a group has no single database URL, and an empty one would break clients', async () => {
    const run = await runAction(inputs({ database: '', group: 'default', 'export-env': 'true' }))
    expect(run.exitCode).toBe(0)
    expect(run.exported).toEqual({ TURSO_AUTH_TOKEN: run.outputs.token })
    expect(Object.keys(run.exported)).not.toContain('TURSO_DATABASE_URL')
    expect(run.outputs['database-url']).toBeUndefined()
    // A group token has no database to look up: nothing is asked, so nothing can warn.
    expect(emulator.requests.filter((request) => request.method === 'GET')).toEqual([])
    expect(run.stdout).not.toMatch(/^::warning::/m)
    expect(run.stdout).toContain('Exported TURSO_AUTH_TOKEN to the following steps of this job')
    expect(run.summary).toContain('| Exported | `TURSO_AUTH_TOKEN` |')
    expectNoLeaks(run, [emulator.apiToken, run.outputs.token])
  })
})

describe('export-env with a database token', () => {
  it('exports the database URL and the token, and says so', async () => {
    const run = await runAction(inputs({ 'export-env': 'true' }))
    expect(run.exitCode).toBe(0)
    expect(run.exported).toEqual({ TURSO_DATABASE_URL: `libsql://${emulator.hostnameOf('app-db', 'acme')}`, TURSO_AUTH_TOKEN: run.outputs.token })
    expect(run.stdout).toContain('Exported TURSO_DATABASE_URL and TURSO_AUTH_TOKEN to the following steps of this job')
    expect(run.summary).toContain('| Exported | `TURSO_DATABASE_URL`, `TURSO_AUTH_TOKEN` |')
  })

  it('when the lookup failed: the token alone, never an empty TURSO_DATABASE_URL', async () => {
    emulator.addFault({ method: 'GET', path: '/v1/organizations/acme/databases/app-db', status: 500, body: '{"error":"internal error"}', times: 5 })
    const run = await runAction(inputs({ 'export-env': 'true', retries: '0' }))
    expect(run.exitCode).toBe(0)
    expect(run.exported).toEqual({ TURSO_AUTH_TOKEN: run.outputs.token })
    expect(run.outputs['database-url']).toBe('')
  })
})
