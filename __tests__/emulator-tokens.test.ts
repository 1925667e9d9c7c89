/**
 * Database and group tokens minted by the emulator: real EdDSA JWTs, checked per database against
 * the group's current key, invalidated by rotation, and expiring (with libsql-server's 60 s leeway).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startEmulator, type Emulator } from '../emulator/server.js'

const START_MS = Date.UTC(2026, 0, 1, 12, 0, 0)
let clockMs = START_MS
let emulator: Emulator

beforeAll(async () => {
  emulator = await startEmulator({ now: () => clockMs })
})

afterAll(async () => {
  await emulator.close()
})

async function post(path: string): Promise<Response> {
  return fetch(`${emulator.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${emulator.apiToken}` } })
}

async function mint(path: string): Promise<string> {
  const response = await post(path)
  expect(response.status).toBe(200)
  return ((await response.json()) as { jwt: string }).jwt
}

const part = (jwt: string, index: number): Record<string, unknown> =>
  JSON.parse(Buffer.from(jwt.split('.')[index] as string, 'base64url').toString('utf8')) as Record<string, unknown>

async function selectOne(database: string, jwt: string): Promise<Response> {
  return fetch(`http://${emulator.hostnameOf(database)}/v2/pipeline`, {
    method: 'POST',
    headers: { authorization: `Bearer ${jwt}` },
    body: JSON.stringify({ baton: null, requests: [{ type: 'execute', stmt: { sql: 'SELECT 1' } }, { type: 'close' }] })
  })
}

describe('minted tokens are Ed25519 JWTs with Turso-like claims', () => {
  it('has an EdDSA header and the documented claims', async () => {
    const jwt = await mint('/v1/organizations/acme/databases/app-db/auth/tokens?expiration=1.5h&authorization=read-only')
    expect(part(jwt, 0)).toEqual({ alg: 'EdDSA', typ: 'JWT' })
    expect(part(jwt, 1)).toEqual({ a: 'ro', exp: START_MS / 1000 + 5400, iat: START_MS / 1000, id: '0eb771dd-0000-4000-8000-00000000e001' })
    expect(Buffer.from(jwt.split('.')[2] as string, 'base64url')).toHaveLength(64)
  })

  it('gives group tokens a gid and no exp for `never`', async () => {
    const jwt = await mint('/v1/organizations/acme/groups/default/auth/tokens')
    expect(part(jwt, 1)).toEqual({ a: 'rw', gid: '6d1f0a3e-0000-4000-8000-00000000b001', iat: START_MS / 1000, id: '6d1f0a3e-0000-4000-8000-00000000b001' })
  })

  it('rejects a token whose payload was altered', async () => {
    const jwt = await mint('/v1/organizations/acme/databases/app-db/auth/tokens?authorization=read-only')
    const [header, payload, signature] = jwt.split('.') as [string, string, string]
    const widened = Buffer.from(JSON.stringify({ ...part(jwt, 1), a: 'rw' })).toString('base64url')
    expect(payload).not.toBe(widened)
    const verdict = emulator.verifyDatabaseToken(`${header}.${widened}.${signature}`, 'app-db')
    expect(verdict.valid).toBe(false)
    expect(emulator.verifyDatabaseToken('not.a.jwt', 'app-db').valid).toBe(false)
    expect(emulator.verifyDatabaseToken('garbage', 'app-db').valid).toBe(false)
  })
})

describe('verifyDatabaseToken scopes tokens to their database or group', () => {
  it('accepts a database token only for its own database', async () => {
    const jwt = await mint('/v1/organizations/acme/databases/app-db/auth/tokens')
    expect(emulator.verifyDatabaseToken(jwt, 'app-db')).toMatchObject({ valid: true, access: 'rw', claims: { id: '0eb771dd-0000-4000-8000-00000000e001' } })
    expect(emulator.verifyDatabaseToken(jwt, 'app-db', 'acme').valid).toBe(true)
    const sameGroup = emulator.verifyDatabaseToken(jwt, 'analytics')
    expect(sameGroup).toEqual({ valid: false, reason: expect.stringContaining('not for database "analytics"') })
    const otherGroup = emulator.verifyDatabaseToken(jwt, 'staging-db')
    expect(otherGroup).toEqual({ valid: false, reason: expect.stringContaining('The JWT is invalid') })
  })

  it('accepts a group token for every database of the group, read-only when minted so', async () => {
    const jwt = await mint('/v1/organizations/acme/groups/default/auth/tokens?authorization=read-only')
    expect(emulator.verifyDatabaseToken(jwt, 'app-db')).toMatchObject({ valid: true, access: 'ro' })
    expect(emulator.verifyDatabaseToken(jwt, 'analytics')).toMatchObject({ valid: true, access: 'ro' })
    expect(emulator.verifyDatabaseToken(jwt, 'staging-db').valid).toBe(false)
  })

  it('reports unknown databases and a wrong organization', async () => {
    const jwt = await mint('/v1/organizations/acme/databases/app-db/auth/tokens')
    expect(emulator.verifyDatabaseToken(jwt, 'ghost')).toEqual({ valid: false, reason: 'unknown database "ghost"' })
    expect(emulator.verifyDatabaseToken(jwt, 'app-db', 'octo')).toEqual({ valid: false, reason: 'unknown database "app-db" in organization "octo"' })
    expect(() => emulator.hostnameOf('ghost')).toThrow('unknown database "ghost"')
  })
})

describe('rotation invalidates every older token of the group', () => {
  it('rotating a grouped database rotates its whole group, and only that group', async () => {
    const appDb = await mint('/v1/organizations/acme/databases/app-db/auth/tokens')
    const analytics = await mint('/v1/organizations/acme/databases/analytics/auth/tokens')
    const group = await mint('/v1/organizations/acme/groups/default/auth/tokens')
    const staging = await mint('/v1/organizations/acme/databases/staging-db/auth/tokens')
    expect((await selectOne('app-db', appDb)).status).toBe(200)

    expect((await post('/v1/organizations/acme/databases/app-db/auth/rotate')).status).toBe(200)

    for (const [jwt, db] of [[appDb, 'app-db'], [analytics, 'analytics'], [group, 'app-db']] as const) {
      expect(emulator.verifyDatabaseToken(jwt, db)).toEqual({ valid: false, reason: expect.stringContaining('rotated') })
    }
    expect(emulator.verifyDatabaseToken(staging, 'staging-db').valid).toBe(true)
    const refused = await selectOne('app-db', appDb)
    expect(refused.status).toBe(401)
    expect(await refused.json()).toEqual({ error: 'Unauthorized: `The JWT is invalid`' })

    const fresh = await mint('/v1/organizations/acme/databases/app-db/auth/tokens')
    expect(emulator.verifyDatabaseToken(fresh, 'app-db').valid).toBe(true)
    expect((await selectOne('app-db', fresh)).status).toBe(200)
  })

  it('rotating a group (org path and legacy user path) invalidates its tokens', async () => {
    const staging = await mint('/v1/organizations/acme/groups/staging/auth/tokens')
    expect((await post('/v1/organizations/acme/groups/staging/auth/rotate')).status).toBe(200)
    expect(emulator.verifyDatabaseToken(staging, 'staging-db').valid).toBe(false)

    const notes = await mint('/v1/databases/notes/auth/tokens')
    expect(emulator.verifyDatabaseToken(notes, 'notes').valid).toBe(true)
    expect((await post('/v1/groups/default/auth/rotate')).status).toBe(200)
    expect(emulator.verifyDatabaseToken(notes, 'notes').valid).toBe(false)
  })
})

describe('expiry', () => {
  it('honours exp with a 60 second leeway, like libsql-server', async () => {
    clockMs = START_MS
    const jwt = await mint('/v1/organizations/acme/databases/analytics/auth/tokens?expiration=1h')
    expect(part(jwt, 1).exp).toBe(START_MS / 1000 + 3600)
    clockMs = START_MS + 3_660_000
    expect(emulator.verifyDatabaseToken(jwt, 'analytics').valid).toBe(true)
    clockMs = START_MS + 3_661_000
    expect(emulator.verifyDatabaseToken(jwt, 'analytics')).toEqual({ valid: false, reason: 'The JWT has expired' })
    const refused = await selectOne('analytics', jwt)
    expect(refused.status).toBe(401)
    expect(await refused.json()).toEqual({ error: 'Unauthorized: `The JWT has expired`' })
    clockMs = START_MS
  })

  it('mints tokens that never expire when expiration is never or absent', async () => {
    const jwt = await mint('/v1/organizations/acme/databases/analytics/auth/tokens?expiration=never')
    clockMs = START_MS + 100 * 365 * 86_400_000
    expect(emulator.verifyDatabaseToken(jwt, 'analytics').valid).toBe(true)
    clockMs = START_MS
  })
})
