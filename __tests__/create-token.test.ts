import { tmpdir } from 'node:os'
import { describe, expect, it } from '@jest/globals'
import type { Emulator } from '../emulator/server.js'
import { USER_AGENT } from '../src/version.js'
import { useEmulator } from './support/emulator.js'
import { expectNoLeaks } from './support/leaks.js'
import { runAction } from './support/run-action.js'

const emulator = useEmulator()

const apiRequests = (): Emulator['requests'] => emulator.requests.filter((request) => request.target === 'api')

function databaseInputs(extra: Record<string, string> = {}): Record<string, string> {
  return { operation: 'create-token', 'api-url': emulator.url, 'api-token': emulator.apiToken, organization: 'acme', database: 'app-db', ...extra }
}

describe('create-token for a database with the defaults', () => {
  it('sends exactly one mint request and one lookup (side by side), and sets token, expires-at and database-url', async () => {
    const run = await runAction(databaseInputs())
    expect(run.exitCode).toBe(0)

    expect(apiRequests()).toHaveLength(2)
    const mint = apiRequests().find((request) => request.method === 'POST') as Emulator['requests'][number]
    const lookup = apiRequests().find((request) => request.method === 'GET') as Emulator['requests'][number]
    expect(mint.method).toBe('POST')
    expect(mint.path).toBe('/v1/organizations/acme/databases/app-db/auth/tokens')
    expect(mint.query).toEqual({ expiration: 'never', authorization: 'full-access' })
    expect(mint.headers.authorization).toBe(`Bearer ${emulator.apiToken}`)
    expect(mint.headers['user-agent']).toBe(USER_AGENT)
    expect(mint.body).toBe('')
    expect(lookup.method).toBe('GET')
    expect(lookup.path).toBe('/v1/organizations/acme/databases/app-db')
    expect(lookup.headers.authorization).toBe(`Bearer ${emulator.apiToken}`)

    const token = run.outputs.token
    expect(emulator.verifyDatabaseToken(token, 'app-db', 'acme')).toMatchObject({ valid: true, access: 'rw' })
    expect(run.outputs['expires-at']).toBe('')
    expect(run.outputs['database-url']).toBe(`libsql://${emulator.hostnameOf('app-db', 'acme')}`)
    expect(run.exported).toEqual({})
    expectNoLeaks(run, [emulator.apiToken, token])
  })

  it('masks the API token first and the minted token before it is set as an output', async () => {
    const run = await runAction(databaseInputs())
    expect(run.stdout.split('\n')[0]).toBe(`::add-mask::${emulator.apiToken}`)
    expect(run.maskedBeforeFiles.get(run.outputs.token)).toBe(true)
  })

  it('writes a job summary that names the target and holds no secret', async () => {
    const run = await runAction(databaseInputs())
    expect(run.summary).toContain("database 'app-db' in organization 'acme'")
    expect(run.summary).toContain('never expires')
    expect(run.summary).toContain('✅ done')
    expectNoLeaks(run, [emulator.apiToken, run.outputs.token])
  })
})

describe('create-token with every mint option', () => {
  it('sends expiration, read-only, fine-grained permissions and attach databases as Turso expects', async () => {
    const before = Date.now()
    const run = await runAction(
      databaseInputs({
        expiration: '7d',
        'read-only': 'true',
        permissions: 'all:data_read\ncomments:data_add,data_update',
        'attach-databases': 'analytics, staging-db'
      })
    )
    expect(run.exitCode).toBe(0)
    const mint = apiRequests().find((request) => request.method === 'POST') as Emulator['requests'][number]
    expect(mint.query).toEqual({ expiration: '7d', authorization: 'read-only' })
    expect(mint.headers['content-type']).toBe('application/json')
    expect(JSON.parse(mint.body)).toEqual({
      permissions: { read_attach: { databases: ['analytics', 'staging-db'] } },
      fine_grained_permissions: [
        { t: null, a: ['data_read'] },
        { t: ['comments'], a: ['data_add', 'data_update'] }
      ]
    })
    const expiresAt = Date.parse(run.outputs['expires-at'])
    const week = 7 * 24 * 3600 * 1000
    expect(expiresAt).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + week)
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + week)
    expect(run.outputs['expires-at']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/)
    expect(emulator.verifyDatabaseToken(run.outputs.token, 'app-db', 'acme')).toMatchObject({ valid: true, access: 'ro' })
  })
})

describe('create-token for a group', () => {
  it('uses the organization path when organization is set, and sets no database-url', async () => {
    const run = await runAction({ operation: 'create-token', 'api-url': emulator.url, 'api-token': emulator.apiToken, organization: 'acme', group: 'default' })
    expect(run.exitCode).toBe(0)
    expect(apiRequests().map((request) => `${request.method} ${request.path}`)).toEqual([
      'POST /v1/organizations/acme/groups/default/auth/tokens'
    ])
    expect(run.outputs).not.toHaveProperty('database-url')
    for (const database of ['app-db', 'analytics']) {
      expect(emulator.verifyDatabaseToken(run.outputs.token, database, 'acme').valid).toBe(true)
    }
    expect(emulator.verifyDatabaseToken(run.outputs.token, 'staging-db', 'acme').valid).toBe(false)
  })

  it('uses the user-account path /v1/groups/{group} when organization is empty', async () => {
    const run = await runAction({ operation: 'create-token', 'api-url': emulator.url, 'api-token': emulator.apiToken, group: 'default' })
    expect(run.exitCode).toBe(0)
    expect(apiRequests().map((request) => `${request.method} ${request.path}`)).toEqual(['POST /v1/groups/default/auth/tokens'])
  })
})

describe('create-token with the API token from TURSO_API_TOKEN', () => {
  it('reads, masks and sends it', async () => {
    const run = await runAction(databaseInputs({ 'api-token': '' }), { TURSO_API_TOKEN: emulator.apiToken })
    expect(run.exitCode).toBe(0)
    expect(apiRequests()[0].headers.authorization).toBe(`Bearer ${emulator.apiToken}`)
    expectNoLeaks(run, [emulator.apiToken, run.outputs.token])
  })
})

describe('create-token when the database lookup fails', () => {
  it('still delivers the token, warns, and leaves database-url empty', async () => {
    emulator.addFault({ method: 'GET', path: '/v1/organizations/acme/databases/app-db', status: 500, body: '{"error":"internal error"}', times: 10 })
    const run = await runAction(databaseInputs({ retries: '0' }))
    expect(run.exitCode).toBe(0)
    expect(run.outputs['database-url']).toBe('')
    expect(run.stdout).toMatch(/^::warning::The token was minted, but database-url is empty: Could not look up database 'app-db'.*internal error/m)
    expect(emulator.verifyDatabaseToken(run.outputs.token, 'app-db', 'acme').valid).toBe(true)
  })
})

describe('create-token with dry-run', () => {
  it('prints the planned requests, sends nothing and sets no output', async () => {
    const run = await runAction(databaseInputs({ 'dry-run': 'true', expiration: '12h', permissions: 'all:data_read' }))
    expect(run.exitCode).toBe(0)
    expect(emulator.requests).toEqual([])
    expect(run.outputs).toEqual({})
    expect(run.stdout).toContain(
      'POST /v1/organizations/acme/databases/app-db/auth/tokens?expiration=12h&authorization=full-access body {"fine_grained_permissions":[{"t":null,"a":["data_read"]}]}'
    )
    expect(run.stdout).toContain('GET /v1/organizations/acme/databases/app-db')
    expect(run.summary).toContain('dry run')
    expectNoLeaks(run, [emulator.apiToken])
  })
})

describe('create-token when the job summary cannot be written', () => {
  it('warns and still succeeds: the summary is a report, not the work', async () => {
    const run = await runAction(databaseInputs(), { GITHUB_STEP_SUMMARY: tmpdir() })
    expect(run.exitCode).toBe(0)
    expect(run.stdout).toMatch(/^::warning::Could not write the job summary: /m)
    expect(run.outputs.token).toBeDefined()
  })
})
