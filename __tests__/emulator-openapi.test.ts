/**
 * The emulator's Platform API, called over real HTTP, checked against Turso's openapi.json:
 * every route the action uses, its success answer and each documented error status. Legacy
 * user-account paths (not in the spec) are checked against the matching org-path operation.
 * Statuses an operation does not document but Turso's response-codes page lists for every route
 * (401, 403, 409) and the emulator's 404 for unknown API tokens are checked against `{error: string}`.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startEmulator, type Emulator } from '../emulator/server.js'
import { declaredProperties, loadOpenApi, responseSchema, validateAgainstSchema, type JsonSchema } from './support/openapi.js'

const spec = loadOpenApi()
const GENERAL_ERROR_SCHEMA: JsonSchema = { type: 'object', required: ['error'], properties: { error: { type: 'string' } } }
const GENERAL_STATUSES = new Set([401, 403, 404, 409])

const ORG_DB_TOKENS = '/v1/organizations/{organizationSlug}/databases/{databaseName}/auth/tokens'
const ORG_DB_ROTATE = '/v1/organizations/{organizationSlug}/databases/{databaseName}/auth/rotate'
const ORG_GROUP_TOKENS = '/v1/organizations/{organizationSlug}/groups/{groupName}/auth/tokens'
const ORG_GROUP_ROTATE = '/v1/organizations/{organizationSlug}/groups/{groupName}/auth/rotate'
const ORG_DB = '/v1/organizations/{organizationSlug}/databases/{databaseName}'
const ORG_DBS = '/v1/organizations/{organizationSlug}/databases'
const ORG_GROUP = '/v1/organizations/{organizationSlug}/groups/{groupName}'
const ORG_GROUPS = '/v1/organizations/{organizationSlug}/groups'
const ORG_API_TOKENS = '/v1/organizations/{organizationSlug}/api-tokens'
const ORG_API_TOKEN = '/v1/organizations/{organizationSlug}/api-tokens/{tokenId}'
// Seed: alice and bob are members of acme, each with an org-scoped token named 'laptop'; octo owns acme.
const ALICE_LAPTOP = { id: 'emuTok0004aLiCeLaPt0pQ', value: 'eyJhbGciOiJFZERTQSIsInR5cCI6IkpXVCJ9.eyJpYXQiOjE3NzUwODgwMDAsImlkIjoiZW11VG9rMDAwNGFMaUNlTGFQdDBwUSJ9.KC9VGLgQIpnwrCwoe3P7K7QqkFc1e7Okx9eyFiF0_CWg7Jts3-nguCaf_pqD71bkgAa_up01KOzDwPMKRL3S1Q' }
const BOB_LAPTOP_ID = 'emuTok0005b0bLaPt0pXyZ'

let emulator: Emulator

beforeAll(async () => {
  emulator = await startEmulator()
})

afterAll(async () => {
  await emulator.close()
})

interface Answer {
  status: number
  text: string
  json: unknown
}

async function call(method: string, path: string, options: { token?: string | null; body?: string } = {}): Promise<Answer> {
  const token = options.token === undefined ? emulator.apiToken : options.token
  const headers: Record<string, string> = token === null ? {} : { authorization: `Bearer ${token}` }
  const response = await fetch(`${emulator.url}${path}`, { method, headers, body: options.body })
  const text = await response.text()
  let json: unknown
  try {
    json = text === '' ? undefined : JSON.parse(text)
  } catch {
    json = undefined
  }
  return { status: response.status, text, json }
}

/** Asserts the answer is one the operation documents, with a conforming body. */
function expectConforms(method: string, pathTemplate: string, answer: Answer): void {
  const lookup = responseSchema(spec, method, pathTemplate, answer.status)
  if (!lookup.documented) {
    expect(GENERAL_STATUSES.has(answer.status)).toBe(true)
    expect(validateAgainstSchema(spec, answer.json, GENERAL_ERROR_SCHEMA, { strict: true })).toEqual([])
    return
  }
  if (lookup.schema === undefined) {
    expect(answer.text).toBe('')
    return
  }
  expect(answer.json).toBeDefined()
  expect(validateAgainstSchema(spec, answer.json, lookup.schema, { strict: true })).toEqual([])
}

function decodeClaims(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1] as string, 'base64url').toString('utf8')) as Record<string, unknown>
}

describe('the OpenAPI validator itself', () => {
  const dbSchema = responseSchema(spec, 'GET', ORG_DB, 200).schema as JsonSchema

  it('rejects a wrong type, an undeclared property in strict mode and a non-null null', () => {
    expect(validateAgainstSchema(spec, { database: { Name: 5 } }, dbSchema)).toEqual(['$.database.Name: expected string, got number'])
    expect(validateAgainstSchema(spec, { database: { Name: 'x', hostname: 'h' } }, dbSchema, { strict: true })).toEqual([
      '$.database: undeclared property "hostname"'
    ])
    expect(validateAgainstSchema(spec, { database: { regions: null } }, dbSchema)).toEqual(['$.database.regions: expected array, got null'])
    expect(validateAgainstSchema(spec, { database: { parent: null } }, dbSchema)).toEqual([])
  })

  it('follows $refs into a schema property and through allOf', () => {
    const created = responseSchema(spec, 'POST', '/v1/auth/api-tokens/{tokenName}', 200).schema as JsonSchema
    expect(validateAgainstSchema(spec, { name: 1, id: 'x', token: 't' }, created)).toEqual(['$.name: expected string, got number'])
    const group = responseSchema(spec, 'GET', ORG_GROUP, 200).schema as JsonSchema
    expect(validateAgainstSchema(spec, { group: { name: 'x', extra: 1 } }, group, { strict: true })).toEqual(['$.group: undeclared property "extra"'])
    expect(responseSchema(spec, 'POST', ORG_DB_ROTATE, 200)).toEqual({ documented: true, schema: undefined })
    expect(responseSchema(spec, 'POST', ORG_DB_ROTATE, 418)).toEqual({ documented: false })
  })
})

describe('createDatabaseToken (POST .../databases/{db}/auth/tokens)', () => {
  it('mints a full-access never-expiring token by default', async () => {
    const answer = await call('POST', '/v1/organizations/acme/databases/app-db/auth/tokens')
    expect(answer.status).toBe(200)
    expectConforms('POST', ORG_DB_TOKENS, answer)
    const claims = decodeClaims((answer.json as { jwt: string }).jwt)
    expect(claims).toMatchObject({ a: 'rw', id: '0eb771dd-0000-4000-8000-00000000e001' })
    expect(claims).not.toHaveProperty('exp')
  })

  it('honours expiration, read-only and the JSON body', async () => {
    const body = JSON.stringify({
      permissions: { read_attach: { databases: ['analytics'] } },
      fine_grained_permissions: [{ t: null, a: ['data_read'] }, { t: ['comments'], a: ['data_add', 'data_update'] }]
    })
    const answer = await call('POST', '/v1/organizations/acme/databases/app-db/auth/tokens?expiration=2w1d30m&authorization=read-only', { body })
    expect(answer.status).toBe(200)
    expectConforms('POST', ORG_DB_TOKENS, answer)
    const claims = decodeClaims((answer.json as { jwt: string }).jwt)
    expect(claims.a).toBe('ro')
    expect((claims.exp as number) - (claims.iat as number)).toBeGreaterThanOrEqual(15 * 86400 + 1800 - 1)
    expect((claims.exp as number) - (claims.iat as number)).toBeLessThanOrEqual(15 * 86400 + 1800)
    expect(claims.p).toEqual({ roa: { ns: ['0eb771dd-0000-4000-8000-00000000e002'] } })
    expect(claims.fgp).toEqual([{ t: null, a: ['data_read'] }, { t: ['comments'], a: ['data_add', 'data_update'] }])
  })

  it('accepts the CLI body `{}\\n` and an explicit never', async () => {
    const answer = await call('POST', '/v1/organizations/acme/databases/app-db/auth/tokens?expiration=never', { body: '{}\n' })
    expect(answer.status).toBe(200)
    expectConforms('POST', ORG_DB_TOKENS, answer)
  })

  it.each(['1', '1x', 'd', '1D', '.s', '7 d', 'forever', '9223372036854775808ns'])('answers 400 for expiration %p', async (expiration) => {
    const answer = await call('POST', `/v1/organizations/acme/databases/app-db/auth/tokens?expiration=${encodeURIComponent(expiration)}`)
    expect(answer.status).toBe(400)
    expect(answer.json).toEqual({ error: 'Invalid expiration format' })
    expectConforms('POST', ORG_DB_TOKENS, answer)
  })

  it('answers 400 for an unknown authorization level and for a body that is not JSON', async () => {
    const badLevel = await call('POST', '/v1/organizations/acme/databases/app-db/auth/tokens?authorization=admin')
    expect(badLevel.status).toBe(400)
    expectConforms('POST', ORG_DB_TOKENS, badLevel)
    const badBody = await call('POST', '/v1/organizations/acme/databases/app-db/auth/tokens', { body: '{"permissions":' })
    expect(badBody.status).toBe(400)
    expectConforms('POST', ORG_DB_TOKENS, badBody)
    const badAction = await call('POST', '/v1/organizations/acme/databases/app-db/auth/tokens', {
      body: '{"fine_grained_permissions":[{"t":null,"a":["data_insert"]}]}'
    })
    expect(badAction.status).toBe(400)
    expectConforms('POST', ORG_DB_TOKENS, badAction)
  })

  it('answers 404 with Turso wording for an unknown database, organization or attach database', async () => {
    const unknownDb = await call('POST', '/v1/organizations/acme/databases/nope/auth/tokens')
    expect(unknownDb.status).toBe(404)
    expect(unknownDb.json).toEqual({ error: 'could not find database with name nope: record not found' })
    expectConforms('POST', ORG_DB_TOKENS, unknownDb)
    const unknownOrg = await call('POST', '/v1/organizations/nobody/databases/app-db/auth/tokens')
    expect(unknownOrg.status).toBe(404)
    expectConforms('POST', ORG_DB_TOKENS, unknownOrg)
    const unknownAttach = await call('POST', '/v1/organizations/acme/databases/app-db/auth/tokens', {
      body: '{"permissions":{"read_attach":{"databases":["ghost"]}}}'
    })
    expect(unknownAttach.json).toEqual({ error: 'could not find database with name ghost: record not found' })
  })

  it('answers 401 without a token, with a wrong one and with a database token', async () => {
    const minted = await call('POST', '/v1/organizations/acme/databases/app-db/auth/tokens')
    for (const token of [null, 'emulator-api-token-9999', (minted.json as { jwt: string }).jwt]) {
      const answer = await call('POST', '/v1/organizations/acme/databases/app-db/auth/tokens', { token })
      expect(answer.status).toBe(401)
      expect(answer.json).toEqual({ error: 'Authentication required' })
      expectConforms('POST', ORG_DB_TOKENS, answer)
    }
  })

  it('serves the legacy user-account path /v1/databases/{db}/auth/tokens from the personal account', async () => {
    const answer = await call('POST', '/v1/databases/notes/auth/tokens?expiration=1d')
    expect(answer.status).toBe(200)
    expectConforms('POST', ORG_DB_TOKENS, answer)
    const otherOrgDb = await call('POST', '/v1/databases/app-db/auth/tokens')
    expect(otherOrgDb.status).toBe(404)
    expectConforms('POST', ORG_DB_TOKENS, otherOrgDb)
    const badExpiration = await call('POST', '/v1/databases/notes/auth/tokens?expiration=soon')
    expect(badExpiration.status).toBe(400)
    expectConforms('POST', ORG_DB_TOKENS, badExpiration)
  })
})

describe('createGroupToken (POST .../groups/{group}/auth/tokens)', () => {
  it('mints a group token on the org path and on the legacy user path', async () => {
    const org = await call('POST', '/v1/organizations/acme/groups/staging/auth/tokens?authorization=read-only')
    expect(org.status).toBe(200)
    expectConforms('POST', ORG_GROUP_TOKENS, org)
    expect(decodeClaims((org.json as { jwt: string }).jwt)).toMatchObject({ a: 'ro', gid: '6d1f0a3e-0000-4000-8000-00000000b002' })
    const legacy = await call('POST', '/v1/groups/sandbox/auth/tokens')
    expect(legacy.status).toBe(200)
    expectConforms('POST', ORG_GROUP_TOKENS, legacy)
  })

  it('answers 400 for a bad expiration and 404 "group not found" for an unknown group', async () => {
    const bad = await call('POST', '/v1/organizations/acme/groups/staging/auth/tokens?expiration=1y')
    expect(bad.status).toBe(400)
    expectConforms('POST', ORG_GROUP_TOKENS, bad)
    for (const path of ['/v1/organizations/acme/groups/prod/auth/tokens', '/v1/groups/staging/auth/tokens']) {
      const missing = await call('POST', path)
      expect(missing.status).toBe(404)
      expect(missing.json).toEqual({ error: 'group not found' })
      expectConforms('POST', ORG_GROUP_TOKENS, missing)
    }
  })
})

describe('invalidateDatabaseTokens and invalidateGroupTokens (POST .../auth/rotate)', () => {
  it.each([
    ['/v1/organizations/acme/databases/analytics/auth/rotate', ORG_DB_ROTATE],
    ['/v1/databases/notes/auth/rotate', ORG_DB_ROTATE],
    ['/v1/organizations/acme/groups/default/auth/rotate', ORG_GROUP_ROTATE],
    ['/v1/groups/sandbox/auth/rotate', ORG_GROUP_ROTATE]
  ])('%s answers 200 with an empty body', async (path, template) => {
    const answer = await call('POST', path)
    expect(answer.status).toBe(200)
    expect(answer.text).toBe('')
    expectConforms('POST', template, answer)
  })

  it.each([
    ['/v1/organizations/acme/databases/nope/auth/rotate', ORG_DB_ROTATE, 'could not find database with name nope: record not found'],
    ['/v1/databases/app-db/auth/rotate', ORG_DB_ROTATE, 'could not find database with name app-db: record not found'],
    ['/v1/organizations/acme/groups/nope/auth/rotate', ORG_GROUP_ROTATE, 'group not found'],
    ['/v1/groups/nope/auth/rotate', ORG_GROUP_ROTATE, 'group not found']
  ])('%s answers 404', async (path, template, message) => {
    const answer = await call('POST', path)
    expect(answer.status).toBe(404)
    expect(answer.json).toEqual({ error: message })
    expectConforms('POST', template, answer)
  })

  it('answers 401 without a valid API token', async () => {
    const answer = await call('POST', '/v1/organizations/acme/groups/default/auth/rotate', { token: 'nope' })
    expect(answer.status).toBe(401)
    expectConforms('POST', ORG_GROUP_ROTATE, answer)
  })
})

describe('getDatabase, listDatabases and getGroup', () => {
  it('returns exactly the Database schema fields, with a reachable loopback Hostname', async () => {
    const answer = await call('GET', '/v1/organizations/acme/databases/staging-db')
    expect(answer.status).toBe(200)
    expectConforms('GET', ORG_DB, answer)
    const database = (answer.json as { database: Record<string, unknown> }).database
    expect(Object.keys(database)).toEqual(declaredProperties(spec, { $ref: '#/components/schemas/Database' }))
    expect(database).toMatchObject({
      Name: 'staging-db',
      DbId: '0eb771dd-0000-4000-8000-00000000e003',
      group: 'staging',
      block_reads: false,
      block_writes: false,
      delete_protection: false,
      parent: null
    })
    expect(database.Hostname).toBe(emulator.hostnameOf('staging-db'))
    expect(database.Hostname).toMatch(/^127\.0\.0\.1:\d+$/)
  })

  it('answers 404 for an unknown database', async () => {
    const answer = await call('GET', '/v1/organizations/acme/databases/nope')
    expect(answer.status).toBe(404)
    expect(answer.json).toEqual({ error: 'could not find database with name nope: record not found' })
    expectConforms('GET', ORG_DB, answer)
  })

  it('lists the databases of an organization, optionally of one group', async () => {
    const all = await call('GET', '/v1/organizations/acme/databases')
    expect(all.status).toBe(200)
    expectConforms('GET', ORG_DBS, all)
    expect((all.json as { databases: { Name: string }[] }).databases.map((d) => d.Name)).toEqual(['app-db', 'analytics', 'staging-db'])
    const staging = await call('GET', '/v1/organizations/acme/databases?group=staging')
    expectConforms('GET', ORG_DBS, staging)
    expect((staging.json as { databases: { Name: string }[] }).databases.map((d) => d.Name)).toEqual(['staging-db'])
    const unauthenticated = await call('GET', '/v1/organizations/acme/databases', { token: null })
    expect(unauthenticated.status).toBe(401)
    expectConforms('GET', ORG_DBS, unauthenticated)
  })

  it('returns exactly the Group schema fields, and 404 for an unknown group', async () => {
    const answer = await call('GET', '/v1/organizations/acme/groups/default')
    expect(answer.status).toBe(200)
    expectConforms('GET', ORG_GROUP, answer)
    const group = (answer.json as { group: Record<string, unknown> }).group
    expect(Object.keys(group)).toEqual(declaredProperties(spec, { $ref: '#/components/schemas/Group' }))
    expect(group).toMatchObject({ name: 'default', uuid: '6d1f0a3e-0000-4000-8000-00000000b001' })
    const missing = await call('GET', '/v1/organizations/acme/groups/nope')
    expect(missing.status).toBe(404)
    expect(missing.json).toEqual({ error: 'group not found' })
    expectConforms('GET', ORG_GROUP, missing)
  })
})

describe('getDatabaseConfiguration and updateDatabaseConfiguration (.../databases/{db}/configuration)', () => {
  const ORG_DB_CONFIGURATION = '/v1/organizations/{organizationSlug}/databases/{databaseName}/configuration'
  const path = '/v1/organizations/acme/databases/analytics/configuration'

  it('answers every field of the documented configuration, unrestricted by default', async () => {
    const answer = await call('GET', path)
    expect(answer.status).toBe(200)
    expectConforms('GET', ORG_DB_CONFIGURATION, answer)
    expect(answer.json).toMatchObject({ allowed_ips: [], allowed_aws_vpc_ids: [], block_reads: false, block_writes: false })
    const declared = declaredProperties(spec, responseSchema(spec, 'GET', ORG_DB_CONFIGURATION, 200).schema as JsonSchema)
    expect(Object.keys(answer.json as object).sort()).toEqual([...declared].sort())
  })

  it('a PATCH changes only the fields it names; the GET and the database record then report them', async () => {
    const patched = await call('PATCH', path, { body: JSON.stringify({ allowed_ips: ['203.0.113.7'], block_writes: true }) })
    expect(patched.status).toBe(200)
    expectConforms('PATCH', ORG_DB_CONFIGURATION, patched)
    const again = await call('PATCH', path, { body: JSON.stringify({ block_reads: true }) })
    expect(again.json).toMatchObject({ allowed_ips: ['203.0.113.7'], allowed_aws_vpc_ids: [], block_reads: true, block_writes: true })
    const read = await call('GET', path)
    expectConforms('GET', ORG_DB_CONFIGURATION, read)
    expect(read.json).toMatchObject({ allowed_ips: ['203.0.113.7'], block_reads: true, block_writes: true })
    const database = await call('GET', '/v1/organizations/acme/databases/analytics')
    expect(database.json).toMatchObject({ database: { block_reads: true, block_writes: true } })
    await call('PATCH', path, { body: JSON.stringify({ allowed_ips: [], block_reads: false, block_writes: false }) })
    expect((await call('GET', path)).json).toMatchObject({ allowed_ips: [], block_reads: false, block_writes: false })
  })

  it.each(['{"allowed_ips":"203.0.113.7"}', '{"block_reads":"yes"}', '[]', 'not json'])('refuses the body %s with 400', async (body) => {
    const answer = await call('PATCH', path, { body })
    expect(answer.status).toBe(400)
    expect(answer.json).toEqual({ error: 'Invalid request body' })
  })

  it('an unknown database is 404; a group-scoped token needs read to see it, db:configure to change it', async () => {
    const missing = await call('GET', '/v1/organizations/acme/databases/nope/configuration')
    expect(missing.status).toBe(404)
    const reader = await call('POST', `/v1/auth/api-tokens/config-reader-${Date.now()}`, {
      body: JSON.stringify({ organization: 'acme', group: 'default', scopes: ['read'] })
    })
    const token = (reader.json as { token: string }).token
    expect((await call('GET', path, { token })).status).toBe(200)
    const refused = await call('PATCH', path, { token, body: '{"block_reads":true}' })
    expect(refused.status).toBe(403)
    expectConforms('PATCH', ORG_DB_CONFIGURATION, refused)
    expect((await call('GET', path)).json).toMatchObject({ block_reads: false })
  })
})

describe('Platform API tokens (/v1/auth/...)', () => {
  it('validates the bearer token: exp -1 for a token that never expires', async () => {
    const answer = await call('GET', '/v1/auth/validate')
    expect(answer.status).toBe(200)
    expect(answer.json).toEqual({ exp: -1 })
    expectConforms('GET', '/v1/auth/validate', answer)
    const bad = await call('GET', '/v1/auth/validate', { token: 'not-a-token' })
    expect(bad.status).toBe(401)
    expectConforms('GET', '/v1/auth/validate', bad)
  })

  it('lists tokens without their values', async () => {
    const answer = await call('GET', '/v1/auth/api-tokens')
    expect(answer.status).toBe(200)
    expectConforms('GET', '/v1/auth/api-tokens', answer)
    const tokens = (answer.json as { tokens: Record<string, unknown>[] }).tokens
    expect(tokens.map((t) => t.name)).toEqual(expect.arrayContaining(['emulator', 'ci-deployer', 'staging-bot']))
    expect(answer.text).not.toContain('emulator-api-token-')
    expect(answer.text).not.toContain('eyJ')
  })

  it("lists and revokes only the caller's own tokens: another user's token of the same name is untouched", async () => {
    const own = (await call('GET', '/v1/auth/api-tokens', { token: ALICE_LAPTOP.value })).json as { tokens: { name: string; id: string }[] }
    expect(own.tokens.map((t) => t.name).sort()).toEqual(['alice-ci', 'laptop'])
    expect((await call('GET', '/v1/auth/api-tokens')).text).not.toContain('"laptop"')
    const notOurs = await call('DELETE', '/v1/auth/api-tokens/laptop')
    expect(notOurs.status).toBe(404)
    expect((await call('GET', '/v1/auth/validate', { token: ALICE_LAPTOP.value })).status).toBe(200)
  })

  it('creates a token that authenticates, and refuses a duplicate name with 409', async () => {
    const created = await call('POST', '/v1/auth/api-tokens/release-bot')
    expect(created.status).toBe(200)
    expectConforms('POST', '/v1/auth/api-tokens/{tokenName}', created)
    const { name, token, id } = created.json as { name: string; token: string; id: string }
    expect(name).toBe('release-bot')
    // Shaped like Turso's: a JWT whose payload carries the token's id.
    expect(token).toMatch(/^eyJ[\w-]+\.eyJ[\w-]+\.[\w-]{86}$/)
    expect(decodeClaims(token)).toMatchObject({ id })
    expect((await call('GET', '/v1/auth/validate', { token })).status).toBe(200)
    const duplicate = await call('POST', '/v1/auth/api-tokens/release-bot')
    expect(duplicate.status).toBe(409)
    expectConforms('POST', '/v1/auth/api-tokens/{tokenName}', duplicate)
    const scoped = await call('POST', '/v1/auth/api-tokens/group-bot', { body: '{"organization":"acme","group":"default","scopes":["read-only"]}' })
    expect(scoped.status).toBe(200)
    const listed = (await call('GET', '/v1/auth/api-tokens')).json as { tokens: Record<string, unknown>[] }
    expect(listed.tokens.find((t) => t.name === 'group-bot')).toMatchObject({ organization: 'acme', group: 'default', scopes: ['read'] })
  })

  it('revokes a token by name; the revoked token stops authenticating', async () => {
    const created = await call('POST', '/v1/auth/api-tokens/short-lived')
    const { token } = created.json as { token: string }
    const revoked = await call('DELETE', '/v1/auth/api-tokens/short-lived')
    expect(revoked.status).toBe(200)
    expect(revoked.json).toEqual({ token: 'short-lived' })
    expectConforms('DELETE', '/v1/auth/api-tokens/{tokenName}', revoked)
    const after = await call('GET', '/v1/auth/validate', { token })
    expect(after.status).toBe(401)
    expect(after.json).toEqual({ error: 'Authentication required' })
  })

  it('answers 404 for an unknown token name (undocumented by Turso) and 401 without auth', async () => {
    const missing = await call('DELETE', '/v1/auth/api-tokens/no%20such%20token')
    expect(missing.status).toBe(404)
    expect(missing.json).toEqual({ error: 'could not find api token with name no such token: record not found' })
    expectConforms('DELETE', '/v1/auth/api-tokens/{tokenName}', missing)
    const unauthenticated = await call('DELETE', '/v1/auth/api-tokens/emulator', { token: null })
    expect(unauthenticated.status).toBe(401)
    expectConforms('DELETE', '/v1/auth/api-tokens/{tokenName}', unauthenticated)
  })
})

describe('organization API tokens (/v1/organizations/{org}/api-tokens)', () => {
  it("lists every org-scoped token with its owner for an owner, and only the member's own, without owner, for a member", async () => {
    const asOwner = await call('GET', '/v1/organizations/acme/api-tokens')
    expect(asOwner.status).toBe(200)
    expectConforms('GET', ORG_API_TOKENS, asOwner)
    const all = (asOwner.json as { tokens: Record<string, unknown>[] }).tokens
    expect(all.filter((t) => t.name === 'laptop').map((t) => t.owner)).toEqual([
      { username: 'alice', email: 'alice@example.com' },
      { username: 'bob', email: 'bob@example.com' }
    ])
    expect(all.map((t) => t.name)).not.toContain('emulator') // unrestricted tokens are not listed here
    expect(all.every((t) => t.organization === 'acme')).toBe(true)

    const asMember = await call('GET', '/v1/organizations/acme/api-tokens', { token: ALICE_LAPTOP.value })
    expectConforms('GET', ORG_API_TOKENS, asMember)
    const mine = (asMember.json as { tokens: Record<string, unknown>[] }).tokens
    expect(mine.map((t) => t.id).sort()).toEqual(['emuTok0004aLiCeLaPt0pQ', 'emuTok0006aLiCeC1r7sMn'])
    expect(mine.some((t) => 'owner' in t)).toBe(false)
  })

  it("refuses a member revoking another member's token (403), answers 404 for an unknown or unrestricted ID", async () => {
    const refused = await call('DELETE', `/v1/organizations/acme/api-tokens/${BOB_LAPTOP_ID}`, { token: ALICE_LAPTOP.value })
    expect(refused.status).toBe(403)
    expectConforms('DELETE', ORG_API_TOKEN, refused)
    for (const id of ['no-such-id', 'emuTok0001nvZbHFO1Tq8A']) {
      const missing = await call('DELETE', `/v1/organizations/acme/api-tokens/${id}`)
      expect(missing.status).toBe(404)
      expectConforms('DELETE', ORG_API_TOKEN, missing)
    }
    const otherOrg = await call('DELETE', `/v1/organizations/octo/api-tokens/${BOB_LAPTOP_ID}`)
    expect(otherOrg.status).toBe(404)
  })

  it("lets an owner revoke a member's token by ID; the token stops authenticating", async () => {
    const created = await call('POST', '/v1/auth/api-tokens/doomed', { token: ALICE_LAPTOP.value, body: '{"organization":"acme"}' })
    const { id, token } = created.json as { id: string; token: string }
    const revoked = await call('DELETE', `/v1/organizations/acme/api-tokens/${id}`)
    expect(revoked.status).toBe(200)
    expect(revoked.json).toEqual({ token: id })
    expectConforms('DELETE', ORG_API_TOKEN, revoked)
    expect((await call('GET', '/v1/auth/validate', { token })).status).toBe(401)
  })
})

describe('listGroups (GET /v1/organizations/{org}/groups)', () => {
  it('lists the groups with the Group schema fields; a group-scoped token sees its own group', async () => {
    const answer = await call('GET', '/v1/organizations/acme/groups')
    expect(answer.status).toBe(200)
    expectConforms('GET', ORG_GROUPS, answer)
    expect((answer.json as { groups: { name: string }[] }).groups.map((g) => g.name)).toEqual(['default', 'staging'])
    const scoped = await call('GET', '/v1/organizations/acme/groups', { token: 'emulator-api-token-0003' })
    expect((scoped.json as { groups: { name: string }[] }).groups.map((g) => g.name)).toEqual(['staging'])
    expect((await call('GET', '/v1/organizations/nope/groups')).status).toBe(404)
  })
})

describe('restricted API tokens', () => {
  it('refuses an org-scoped token outside its organization with 403', async () => {
    const answer = await call('POST', '/v1/databases/notes/auth/tokens', { token: 'emulator-api-token-0002' })
    expect(answer.status).toBe(403)
    expectConforms('POST', ORG_DB_TOKENS, answer)
    const inside = await call('POST', '/v1/organizations/acme/databases/app-db/auth/tokens', { token: 'emulator-api-token-0002' })
    expect(inside.status).toBe(200)
  })

  it('lets a group-scoped token act only in its group and within its scopes', async () => {
    const token = 'emulator-api-token-0003'
    expect((await call('POST', '/v1/organizations/acme/databases/staging-db/auth/tokens', { token })).status).toBe(200)
    const otherGroup = await call('POST', '/v1/organizations/acme/databases/app-db/auth/tokens', { token })
    expect(otherGroup.status).toBe(403)
    expectConforms('POST', ORG_DB_TOKENS, otherGroup)
    const noRotateScope = await call('POST', '/v1/organizations/acme/groups/staging/auth/rotate', { token })
    expect(noRotateScope.status).toBe(403)
    expectConforms('POST', ORG_GROUP_ROTATE, noRotateScope)
  })
})

describe('unknown routes', () => {
  it('answers 404 {"error":"not found"} for unknown paths and for known paths with another method', async () => {
    for (const [method, path] of [
      ['GET', '/v1/nothing-here'],
      ['GET', '/v1/auth/api-tokens/validate'],
      ['PUT', '/v1/organizations/acme/databases/app-db']
    ] as const) {
      const answer = await call(method, path)
      expect(answer.status).toBe(404)
      expect(answer.json).toEqual({ error: 'not found' })
    }
  })
})
