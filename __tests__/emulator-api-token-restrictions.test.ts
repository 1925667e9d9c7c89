/**
 * The emulator's Platform API tokens, as Turso describes them (emulator/reference/openapi.json,
 * createAPIToken, validateAPIToken, listAPITokens): a token restricted to an organization or a
 * group acts only there and creates no broader token; group-scoped tokens are created by admins
 * and owners only; every refusal is a bare 403 that names neither the rule nor the scope.
 */
import { describe, expect, it } from '@jest/globals'
import { loadDefaultSeed } from '../emulator/seed.js'
import { startEmulator } from '../emulator/server.js'
import { useEmulator } from './support/emulator.js'
import { useServer } from './support/lifecycle.js'

const emulator = useEmulator()

const ORG_TOKEN = 'emulator-api-token-0002' // ci-deployer: organization acme
const GROUP_TOKEN = 'emulator-api-token-0003' // staging-bot: acme/staging, read, db:mint-token, group:mint-token
const ALICE_TOKEN = 'eyJhbGciOiJFZERTQSIsInR5cCI6IkpXVCJ9.eyJpYXQiOjE3NzUwODgwMDAsImlkIjoiZW11VG9rMDAwNGFMaUNlTGFQdDBwUSJ9.KC9VGLgQIpnwrCwoe3P7K7QqkFc1e7Okx9eyFiF0_CWg7Jts3-nguCaf_pqD71bkgAa_up01KOzDwPMKRL3S1Q'

let counter = 0
const unique = (name: string): string => `${name}-${++counter}`

async function call(method: string, path: string, token: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${emulator.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}` },
    body: body === undefined ? undefined : JSON.stringify(body)
  })
  const text = await response.text()
  return { status: response.status, json: text === '' ? undefined : (JSON.parse(text) as unknown) }
}

const FORBIDDEN = { status: 403, json: { error: 'forbidden' } }

describe('a bare 403 for every restriction', () => {
  it.each([
    ['a group token on another group', GROUP_TOKEN, 'POST', '/v1/organizations/acme/databases/app-db/auth/tokens'],
    ['a group token without the rotate scope', GROUP_TOKEN, 'POST', '/v1/organizations/acme/groups/staging/auth/rotate'],
    ['a group token without db:rotate-creds', GROUP_TOKEN, 'POST', '/v1/organizations/acme/databases/staging-db/auth/rotate'],
    ['an organization token on another organization', ORG_TOKEN, 'POST', '/v1/organizations/octo/groups/default/auth/tokens']
  ])('%s', async (_what, token, method, path) => {
    expect(await call(method, path, token)).toEqual(FORBIDDEN)
  })

  it('the same token succeeds where its restriction allows', async () => {
    expect((await call('POST', '/v1/organizations/acme/databases/staging-db/auth/tokens', GROUP_TOKEN)).status).toBe(200)
    expect((await call('POST', '/v1/organizations/acme/groups/default/auth/tokens', ORG_TOKEN)).status).toBe(200)
  })
})

describe('createAPIToken by a restricted token', () => {
  it('an organization token creates tokens of its organization, and of a group in it (octo owns acme)', async () => {
    expect((await call('POST', `/v1/auth/api-tokens/${unique('org')}`, ORG_TOKEN, { organization: 'acme' })).status).toBe(200)
    expect((await call('POST', `/v1/auth/api-tokens/${unique('grp')}`, ORG_TOKEN, { organization: 'acme', group: 'staging', scopes: ['full-access'] })).status).toBe(200)
  })

  it.each([
    ['no body (unrestricted)', ORG_TOKEN, undefined],
    ['another organization', ORG_TOKEN, { organization: 'octo' }],
    ['the organization, wider than its group', GROUP_TOKEN, { organization: 'acme' }],
    ['another group', GROUP_TOKEN, { organization: 'acme', group: 'default', scopes: ['read'] }],
    ['a scope it does not hold', GROUP_TOKEN, { organization: 'acme', group: 'staging', scopes: ['read', 'group:rotate-creds'] }],
    ['a preset wider than its scopes', GROUP_TOKEN, { organization: 'acme', group: 'staging', scopes: ['full-access'] }]
  ])('refuses %s with a bare 403', async (_what, token, body) => {
    const name = unique('refused')
    expect(await call('POST', `/v1/auth/api-tokens/${name}`, token, body)).toEqual(FORBIDDEN)
    const listed = (await call('GET', '/v1/auth/api-tokens', emulator.apiToken)).json as { tokens: Array<{ name: string }> }
    expect(listed.tokens.map((token) => token.name)).not.toContain(name)
  })

  it('a group token creates a token of its group with scopes it holds (presets expanded)', async () => {
    const name = unique('narrow')
    expect((await call('POST', `/v1/auth/api-tokens/${name}`, GROUP_TOKEN, { organization: 'acme', group: 'staging', scopes: ['read-only', 'db:mint-token'] })).status).toBe(200)
  })

  it('a member (not an admin or owner) may not create a group-scoped token, but may create an organization one', async () => {
    expect(await call('POST', `/v1/auth/api-tokens/${unique('alice-grp')}`, ALICE_TOKEN, { organization: 'acme', group: 'staging', scopes: ['read'] })).toEqual(FORBIDDEN)
    expect((await call('POST', `/v1/auth/api-tokens/${unique('alice-org')}`, ALICE_TOKEN, { organization: 'acme' })).status).toBe(200)
  })
})

describe("listAPITokens shows every token of the caller, whatever the caller's restriction", () => {
  it('a group token lists the unrestricted and organization tokens of its owner too', async () => {
    const listed = (await call('GET', '/v1/auth/api-tokens', GROUP_TOKEN)).json as { tokens: Array<{ name: string }> }
    expect(listed.tokens.map((token) => token.name)).toEqual(expect.arrayContaining(['emulator', 'ci-deployer', 'staging-bot']))
  })

  it('names are unique per user: a repeat is 409, the same name by another user is not', async () => {
    const name = unique('shared')
    expect((await call('POST', `/v1/auth/api-tokens/${name}`, emulator.apiToken, { organization: 'acme' })).status).toBe(200)
    expect((await call('POST', `/v1/auth/api-tokens/${name}`, emulator.apiToken, { organization: 'acme' })).status).toBe(409)
    expect((await call('POST', `/v1/auth/api-tokens/${name}`, ALICE_TOKEN, { organization: 'acme' })).status).toBe(200)
  })
})

describe('validateAPIToken reports exp', () => {
  const seed = loadDefaultSeed()
  seed.apiTokens.push({ name: 'expiring', id: 'emuTokExpiring0000000A', value: 'emulator-api-token-expiring', created_at: '2026-01-01', exp: 1_900_000_000 })
  const clocked = useServer(() => startEmulator({ seed, now: () => 1_800_000_000_000 }))

  it('as unix seconds for a token with an expiry, -1 for one without', async () => {
    const answer = await fetch(`${clocked.url}/v1/auth/validate`, { headers: { authorization: 'Bearer emulator-api-token-expiring' } })
    expect(await answer.json()).toEqual({ exp: 1_900_000_000 })
    const never = await fetch(`${clocked.url}/v1/auth/validate`, { headers: { authorization: `Bearer ${clocked.apiToken}` } })
    expect(await never.json()).toEqual({ exp: -1 })
  })
})
