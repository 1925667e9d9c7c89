import { describe, expect, it } from '@jest/globals'
import type { Emulator } from '../emulator/server.js'
import { useFakeGitHub } from './support/fake-github.js'
import { useEmulator } from './support/emulator.js'
import { expectNoLeaks } from './support/leaks.js'
import { runAction } from './support/run-action.js'

const emulator = useEmulator()
const github = useFakeGitHub()

const MINT_PATH = '/v1/organizations/acme/databases/app-db/auth/tokens'

function inputs(extra: Record<string, string> = {}): Record<string, string> {
  return { operation: 'create-token', 'api-url': emulator.url, 'api-token': emulator.apiToken, organization: 'acme', database: 'app-db', verify: 'true', ...extra }
}

const libsqlRequests = (): Emulator['requests'] => emulator.requests.filter((request) => request.target === 'libsql')

/** Statements of one pipeline request, in order. */
function statements(body: string): string[] {
  const pipeline = JSON.parse(body) as { requests: Array<{ type: string; stmt?: { sql: string } }> }
  return pipeline.requests.map((request) => request.stmt?.sql ?? request.type)
}

/** A token minted straight from the emulator's API, to be served in place of the one the action asked for. */
async function mintDirectly(path: string, query: string): Promise<string> {
  const response = await fetch(`${emulator.url}${path}?${query}`, { method: 'POST', headers: { authorization: `Bearer ${emulator.apiToken}` } })
  const { jwt } = (await response.json()) as { jwt: string }
  emulator.clearRequests()
  return jwt
}

describe('verify a full-access database token', () => {
  it('runs SELECT 1, then the rolled-back write probe, on the database with the new token', async () => {
    const run = await runAction(inputs({ 'export-env': 'true' }))
    expect(run.exitCode).toBe(0)
    const [read, write, ...rest] = libsqlRequests()
    expect(rest).toEqual([])
    for (const request of [read, write]) {
      expect(request.method).toBe('POST')
      expect(request.path).toBe('/v2/pipeline')
      expect(request.database).toBe('app-db')
      expect(request.headers.authorization).toBe(`Bearer ${run.outputs.token}`)
    }
    expect(statements(read.body)).toEqual(['SELECT 1', 'close'])
    expect(statements(write.body)).toEqual(['BEGIN IMMEDIATE', 'CREATE TABLE IF NOT EXISTS "_turso_token_verify_probe" ("x")', 'ROLLBACK', 'close'])
    expect(run.exported.TURSO_AUTH_TOKEN).toBe(run.outputs.token)
    expect(run.summary).toMatch(/Verified \| read and write/)
    expectNoLeaks(run, [emulator.apiToken, run.outputs.token])
  })
})

describe('verify a read-only token', () => {
  it('runs only the read check', async () => {
    const run = await runAction(inputs({ 'read-only': 'true' }))
    expect(run.exitCode).toBe(0)
    // The token really is read-only: asked for so, and minted so (the `a` claim).
    const mint = emulator.requests.find((request) => request.method === 'POST' && request.path === MINT_PATH)
    expect(mint?.query.authorization).toBe('read-only')
    const claims = JSON.parse(Buffer.from(run.outputs.token.split('.')[1] as string, 'base64url').toString('utf8')) as { a?: string }
    expect(claims.a).toBe('ro')
    expect(libsqlRequests().map((request) => statements(request.body))).toEqual([['SELECT 1', 'close']])
  })
})

describe('verify a group token', () => {
  it("finds the group's first database through the API and checks the token there", async () => {
    const run = await runAction(inputs({ database: '', group: 'default' }))
    expect(run.exitCode).toBe(0)
    const list = emulator.requests.find((request) => request.method === 'GET')
    expect(list?.path).toBe('/v1/organizations/acme/databases')
    expect(list?.query).toEqual({ group: 'default' })
    expect(libsqlRequests().map((request) => request.database)).toEqual(['app-db', 'app-db'])
  })
})

describe('verify a token the database refuses', () => {
  it('fails, and neither exports nor stores it', async () => {
    // A valid token of another group: Turso would never answer with it, which is the point.
    const foreign = await mintDirectly('/v1/organizations/acme/databases/staging-db/auth/tokens', 'expiration=never&authorization=full-access')
    emulator.addFault({ method: 'POST', path: MINT_PATH, status: 200, body: JSON.stringify({ jwt: foreign }) })
    const run = await runAction(
      inputs({ 'export-env': 'true', 'secret-name': 'TURSO_AUTH_TOKEN', 'github-token': github.token, 'secret-repository': 'octo-org/app' }),
      { GITHUB_API_URL: github.url }
    )
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toMatch(/^::error::Token verification against http:\/\/127\.0\.0\.1:\d+ failed: the new token was rejected by the database/m)
    expect(run.exported).toEqual({})
    // The public key is read before minting (no point minting for a store that cannot work); nothing is written.
    expect(github.requests.map((request) => request.method)).toEqual(['GET'])
    expect(github.secrets.size).toBe(0)
    expectNoLeaks(run, [emulator.apiToken, foreign, github.token])
  })
})

describe('verify the write access of a token that can only read', () => {
  it('fails on the write check, and neither exports nor stores it', async () => {
    const readOnly = await mintDirectly(MINT_PATH, 'expiration=never&authorization=read-only')
    emulator.addFault({ method: 'POST', path: MINT_PATH, status: 200, body: JSON.stringify({ jwt: readOnly }) })
    const run = await runAction(
      inputs({ 'export-env': 'true', 'secret-name': 'TURSO_AUTH_TOKEN', 'github-token': github.token, 'secret-repository': 'octo-org/app' }),
      { GITHUB_API_URL: github.url }
    )
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toMatch(/^::error::Token verification .* failed: the token cannot write/m)
    expect(run.stdout).toContain('Authorization forbidden')
    expect(libsqlRequests()).toHaveLength(2)
    expect(run.exported).toEqual({})
    // The public key is read before minting (no point minting for a store that cannot work); nothing is written.
    expect(github.requests.map((request) => request.method)).toEqual(['GET'])
    expect(github.secrets.size).toBe(0)
    expectNoLeaks(run, [emulator.apiToken, readOnly, github.token])
  })
})

describe('rotate with verify, export-env and a secret', () => {
  it('invalidates, mints, verifies, stores and exports, in that order', async () => {
    const run = await runAction(
      inputs({ operation: 'rotate', 'export-env': 'true', 'secret-name': 'TURSO_AUTH_TOKEN', 'github-token': github.token, 'secret-repository': 'octo-org/app' }),
      { GITHUB_API_URL: github.url }
    )
    expect(run.exitCode).toBe(0)
    expect(emulator.requests.map((request) => `${request.target} ${request.method} ${request.path}`)).toEqual([
      'api GET /v1/organizations/acme/databases/app-db',
      'api GET /v1/organizations/acme/databases',
      'api GET /v1/organizations/acme/databases/app-db/configuration',
      `api POST ${MINT_PATH}`,
      'api POST /v1/organizations/acme/databases/app-db/auth/rotate',
      `api POST ${MINT_PATH}`,
      'libsql POST /v2/pipeline',
      'libsql POST /v2/pipeline',
      // Once more after storing: a concurrent rotation of the group would have killed the token.
      'libsql POST /v2/pipeline'
    ])
    expect(await github.decrypt(github.secrets.get('repo:octo-org/app:TURSO_AUTH_TOKEN')?.encrypted_value ?? '')).toBe(run.outputs.token)
    expect(run.exported).toEqual({ TURSO_DATABASE_URL: run.outputs['database-url'], TURSO_AUTH_TOKEN: run.outputs.token })
    const log = run.stdout
    expect(log.indexOf('Invalidated')).toBeLessThan(log.indexOf('Verified'))
    expect(log.indexOf('Verified')).toBeLessThan(log.indexOf('Stored the token'))
    expect(log.indexOf('Stored the token')).toBeLessThan(log.indexOf('Exported'))
    expect(log.indexOf('Exported')).toBeLessThan(log.indexOf('Checked the token again after delivering it: still accepted'))
    expectNoLeaks(run, [emulator.apiToken, run.outputs.token, github.token])
  })
})

describe('verify when the database cannot be looked up', () => {
  it('fails saying the address is unknown, and exports nothing', async () => {
    emulator.addFault({ method: 'GET', path: '/v1/organizations/acme/databases/app-db', status: 500, times: 5 })
    const run = await runAction(inputs({ retries: '0', 'export-env': 'true' }))
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toMatch(/^::warning::The token was minted, but database-url is empty/m)
    expect(run.stdout).toMatch(/^::error::Could not verify the new token: the database lookup failed/m)
    expect(libsqlRequests()).toEqual([])
    expect(run.exported).toEqual({})
  })
})

describe('verify a group token when the group has no database', () => {
  it('fails naming the group, and exports nothing', async () => {
    emulator.addFault({ method: 'GET', path: '/v1/organizations/acme/databases', status: 200, body: '{"databases":[]}' })
    const run = await runAction(inputs({ database: '', group: 'default', 'export-env': 'true' }))
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toMatch(/^::error::Could not verify the new token: group 'default' has no database to run SELECT 1 on/m)
    expect(run.exported).toEqual({})
  })
})
