/**
 * Renewal before expiry, in process against the emulator and the fake GitHub: create-token with
 * current-token and renew-within mints only when the current token is due, and never invalidates
 * anything. Each scenario asserts the requests sent (to Turso, the database and GitHub), the
 * outputs, the summary, and that neither token leaks.
 */
import { describe, expect, it } from '@jest/globals'
import { renewalInputs, type Inputs } from './support/action-inputs.js'
import { mintDatabaseToken, useEmulator } from './support/emulator.js'
import { useFakeGitHub } from './support/fake-github.js'
import { expectNoLeaks } from './support/leaks.js'
import { runAction } from './support/run-action.js'

const emulator = useEmulator()
const github = useFakeGitHub()

const DAY_MS = 86_400_000
const MINT = 'POST /v1/organizations/acme/databases/app-db/auth/tokens'
const LOOKUP = 'GET /v1/organizations/acme/databases/app-db'
const SECRET_KEY = 'repo:octo-org/app:TURSO_DB_TOKEN'

const inputs = (currentToken: string, extra: Inputs = {}): Inputs => renewalInputs(emulator, github, currentToken, extra)

const run = (currentToken: string, extra: Record<string, string> = {}): ReturnType<typeof runAction> =>
  runAction(inputs(currentToken, extra), { GITHUB_API_URL: github.url })

const apiCalls = (): string[] => emulator.requests.filter((request) => request.target === 'api').map((request) => `${request.method} ${request.path}`)
const libsqlCalls = (): number => emulator.requests.filter((request) => request.target === 'libsql').length

/** A token of app-db minted outside the action, as the one a previous run stored. */
const tokenExpiringIn = (expiration: string): Promise<string> => mintDatabaseToken(emulator, github, { expiration })

function expOf(jwt: string): number {
  return (JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString()) as { exp: number }).exp * 1000
}

/** A JWT-shaped value with the given claims (not signed by anyone). */
function unsignedJwt(claims: Record<string, unknown>): string {
  const part = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url')
  return `${part({ alg: 'EdDSA', typ: 'JWT' })}.${part(claims)}.c2lnbmF0dXJl`
}

async function storedSecret(): Promise<string | undefined> {
  const stored = github.secrets.get(SECRET_KEY)
  return stored === undefined ? undefined : github.decryptFor('repository', stored.encrypted_value)
}

/** Checks a run that renewed: a fresh 30-day token minted, stored and output; the old one untouched. */
async function expectRenewed(result: Awaited<ReturnType<typeof runAction>>, current: string): Promise<void> {
  expect(result.exitCode).toBe(0)
  expect(result.outputs.renewed).toBe('true')
  const token = result.outputs.token
  expect(token).not.toBe(current)
  expect(emulator.verifyDatabaseToken(token, 'app-db', 'acme').valid).toBe(true)
  const lifetime = Date.parse(result.outputs['expires-at']) - Date.now()
  expect(lifetime).toBeGreaterThan(29 * DAY_MS)
  expect(lifetime).toBeLessThanOrEqual(30 * DAY_MS)
  expect(apiCalls()).toContain(MINT)
  expect(emulator.requests.find((request) => request.target === 'api' && request.method === 'POST')?.query).toEqual({ expiration: '30d', authorization: 'full-access' })
  // Renewal never invalidates: no rotate request, whatever the reason.
  expect(apiCalls().some((call) => call.endsWith('/auth/rotate'))).toBe(false)
  expect(await storedSecret()).toBe(token)
  expectNoLeaks(result, [emulator.apiToken, github.token, token, current])
}

describe('renewal not due: the current token expires after the renewal window', () => {
  it('mints nothing, writes no secret, and outputs the current token with its expiry and the next renewal date', async () => {
    const current = await tokenExpiringIn('30d')
    const result = await run(current, { 'export-env': 'true' })
    expect(result.exitCode).toBe(0)
    // Only the lookup for database-url: no mint, no GitHub request at all (not even the public key).
    expect(apiCalls()).toEqual([LOOKUP])
    expect(github.requests).toEqual([])
    const expiresAt = new Date(expOf(current)).toISOString()
    const renewAt = new Date(expOf(current) - 7 * DAY_MS).toISOString()
    expect(result.outputs).toEqual({
      token: current,
      'expires-at': expiresAt,
      renewed: 'false',
      'database-url': `libsql://${emulator.hostnameOf('app-db', 'acme')}`
    })
    expect(result.exported).toEqual({ TURSO_DATABASE_URL: `libsql://${emulator.hostnameOf('app-db', 'acme')}`, TURSO_AUTH_TOKEN: current })
    expect(result.stdout).toContain(
      `Renewal not due: current-token expires at ${expiresAt}, more than renew-within (7d) from now. ` +
        `Nothing was minted and secret TURSO_DB_TOKEN was left as it is; the next renewal falls due at ${renewAt}.`
    )
    expect(result.summary).toContain('| Renewal | not due: the current token was kept; nothing minted or stored |')
    expect(result.summary).toContain(`| Token | current one, expires ${expiresAt} |`)
    expect(result.summary).toContain(`| Next renewal due | ${renewAt} |`)
    expectNoLeaks(result, [emulator.apiToken, github.token, current])
  })

  it('masks current-token the moment it is read, before anything is printed or written', async () => {
    const current = await tokenExpiringIn('30d')
    const result = await run(current)
    expect(result.stdout.split('\n').slice(0, 3)).toContain(`::add-mask::${current}`)
    expect(result.maskedBeforeFiles.get(current)).toBe(true)
  })
})

describe('renewal due: the current token expires within renew-within', () => {
  it('mints a 30-day token, stores it and sets renewed=true; the current token keeps working until it expires', async () => {
    const current = await tokenExpiringIn('2d')
    const result = await run(current)
    await expectRenewed(result, current)
    expect(emulator.verifyDatabaseToken(current, 'app-db', 'acme').valid).toBe(true)
    expect(result.stdout).toContain(`Renewal due: current-token expires at ${new Date(expOf(current)).toISOString()}, within renew-within (7d); minting a new token`)
    expect(result.summary).toMatch(/\| Renewal \| due: current-token expires at .*, within renew-within \(7d\) \|/)
  })

  it('an already expired token is due too', async () => {
    const expired = unsignedJwt({ exp: Math.floor(Date.now() / 1000) - 3600, a: 'rw' })
    const result = await run(expired)
    await expectRenewed(result, expired)
    expect(result.stdout).toMatch(/Renewal due: current-token expired at /)
  })
})

describe('renewal on a first run: current-token is empty', () => {
  it('mints, stores and says why, without a warning', async () => {
    const result = await run('')
    await expectRenewed(result, '')
    expect(result.stdout).toContain('Renewal due: current-token is empty (a first run, or its secret does not exist yet); minting a new token')
    expect(result.stdout).not.toMatch(/^::warning::/m)
  })
})

describe('renewal when the current token cannot be read', () => {
  it('not a JWT: warns, then mints', async () => {
    const result = await run('not-a-turso-token')
    await expectRenewed(result, 'not-a-turso-token')
    expect(result.stdout).toMatch(/^::warning::current-token is not a JWT .*a new one is minted\. Check that current-token reads the secret this step writes\.$/m)
    expect(result.summary).toContain('| Renewal | due: current-token is not a JWT |')
  })

  it('an exp claim that is not a number: warns, then mints', async () => {
    const odd = unsignedJwt({ exp: 'tomorrow' })
    const result = await run(odd)
    await expectRenewed(result, odd)
    expect(result.stdout).toMatch(/^::warning::The expiry of current-token cannot be read \(The token's 'exp' claim is not a number of seconds\): a new token is minted\./m)
    expect(result.summary).toContain('| Renewal | due: the expiry of current-token cannot be read |')
  })

  it('no exp claim (a token that never expires): replaced by an expiring one', async () => {
    const forever = await tokenExpiringIn('never')
    const result = await run(forever)
    await expectRenewed(result, forever)
    expect(result.stdout).toContain('Renewal due: current-token never expires (it has no exp claim)')
  })
})

describe('renewal with verify: a token that still has time left but no longer works', () => {
  it('alive: one read check with the current token, nothing minted', async () => {
    const current = await tokenExpiringIn('30d')
    const result = await run(current, { verify: 'true' })
    expect(result.exitCode).toBe(0)
    expect(result.outputs.renewed).toBe('false')
    expect(apiCalls()).toEqual([LOOKUP])
    const checks = emulator.requests.filter((request) => request.target === 'libsql')
    expect(checks.map((request) => request.headers.authorization)).toEqual([`Bearer ${current}`])
    expect(checks[0]?.body).toContain('SELECT 1')
    expect(result.stdout).toContain(`current-token still works on ${emulator.hostnameOf('app-db', 'acme')}`)
    expect(github.requests).toEqual([])
    // The lookup made for the check gives database-url; without export-env nothing is exported.
    expect(result.outputs['database-url']).toBe(`libsql://${emulator.hostnameOf('app-db', 'acme')}`)
    expect(result.exported).toEqual({})
  })

  it('a database still waking up: the check waits for it within verify-timeout, then keeps the token', async () => {
    const current = await tokenExpiringIn('30d')
    emulator.addFault({ target: 'libsql', status: 503, body: '{"error":"waking up"}' })
    const result = await run(current, { verify: 'true', 'verify-timeout': '20' })
    expect(result.exitCode).toBe(0)
    expect(result.outputs.renewed).toBe('false')
    expect(result.stdout).toMatch(/^Database not ready/m)
    expect(libsqlCalls()).toBe(2)
  })

  it('refused with 403: due as well', async () => {
    // 29 days, so that the new token differs (the emulator's tokens minted in one second with one lifetime are equal).
    const current = await tokenExpiringIn('29d')
    emulator.addFault({ target: 'libsql', status: 403, body: '{"error":"forbidden"}' })
    const result = await run(current, { verify: 'true' })
    await expectRenewed(result, current)
    expect(result.stdout).toMatch(/Renewal due: the database refuses current-token \(HTTP 403\)/)
  })

  it('a database that answers 500 until verify-timeout: the step fails, nothing minted', async () => {
    const current = await tokenExpiringIn('30d')
    emulator.addFault({ target: 'libsql', status: 500, body: '{"error":"internal"}', times: 50 })
    const result = await run(current, { verify: 'true', 'verify-timeout': '0' })
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toMatch(/^::error::Could not tell whether current-token still works \(verify\): .*HTTP 500/m)
    expect(apiCalls()).toEqual([LOOKUP])
    expect(github.requests).toEqual([])
  })

  it('dead (its group was rotated): the database refuses it, so a new one is minted, verified and stored, with one lookup', async () => {
    const current = await tokenExpiringIn('30d')
    const rotated = await fetch(`${emulator.url}/v1/organizations/acme/databases/analytics/auth/rotate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${emulator.apiToken}` }
    })
    expect(rotated.status).toBe(200)
    emulator.clearRequests()
    const result = await run(current, { verify: 'true' })
    await expectRenewed(result, current)
    expect(result.stdout).toMatch(/Renewal due: the database refuses current-token \(HTTP 401\), although it expires only at /)
    // The lookup made for the check serves the mint as well.
    expect(apiCalls().filter((call) => call === LOOKUP)).toHaveLength(1)
    expect(libsqlCalls()).toBeGreaterThanOrEqual(2)
  })

  it('cannot tell (the database lookup fails): the step fails, nothing is minted or stored', async () => {
    const current = await tokenExpiringIn('30d')
    emulator.addFault({ method: 'GET', path: '/v1/organizations/acme/databases/app-db', status: 500, body: '{"error":"internal error"}', times: 5 })
    const result = await run(current, { verify: 'true' })
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toMatch(/^::error::Could not tell whether current-token still works \(verify\): .*Nothing was minted or stored; current-token expires at /m)
    expect(apiCalls()).toEqual([LOOKUP])
    expect(github.requests).toEqual([])
    expect(result.outputs).toEqual({})
    expectNoLeaks(result, [emulator.apiToken, github.token, current])
  })
})

describe('renewal of a group token', () => {
  async function groupToken(): Promise<string> {
    const response = await fetch(`${emulator.url}/v1/organizations/acme/groups/default/auth/tokens?expiration=30d`, {
      method: 'POST',
      headers: { authorization: `Bearer ${emulator.apiToken}` }
    })
    const { jwt } = (await response.json()) as { jwt: string }
    emulator.clearRequests()
    return jwt
  }

  it('not due: no lookup at all (a group has no database-url), nothing minted; export-env exports the token alone', async () => {
    const current = await groupToken()
    const result = await run(current, { database: '', group: 'default', 'secret-name': '', 'export-env': 'true' })
    expect(result.exitCode).toBe(0)
    expect(apiCalls()).toEqual([])
    expect(result.outputs).toEqual({ token: current, 'expires-at': new Date(expOf(current)).toISOString(), renewed: 'false' })
    expect(result.exported).toEqual({ TURSO_AUTH_TOKEN: current })
    expect(result.stdout).toMatch(/more than renew-within \(7d\) from now\. Nothing was minted; the next renewal falls due at /)
  })

  it('with verify: checked on the first database of the group', async () => {
    const current = await groupToken()
    const result = await run(current, { database: '', group: 'default', verify: 'true' })
    expect(result.exitCode).toBe(0)
    expect(result.outputs.renewed).toBe('false')
    expect(apiCalls()).toEqual(['GET /v1/organizations/acme/databases'])
    expect(emulator.requests.filter((request) => request.target === 'libsql').map((request) => request.database)).toEqual(['app-db'])
  })

  it('with verify, refused: renewed, and the new token verified on the database found for the check', async () => {
    const current = await groupToken()
    await fetch(`${emulator.url}/v1/organizations/acme/groups/default/auth/rotate`, { method: 'POST', headers: { authorization: `Bearer ${emulator.apiToken}` } })
    emulator.clearRequests()
    const result = await run(current, { database: '', group: 'default', verify: 'true', 'secret-name': '' })
    expect(result.exitCode).toBe(0)
    expect(result.outputs.renewed).toBe('true')
    // One list for both checks: the group's first database was found once.
    expect(apiCalls()).toEqual(['GET /v1/organizations/acme/databases', 'POST /v1/organizations/acme/groups/default/auth/tokens'])
  })
})

describe('renewal not due, database lookup failing', () => {
  it('keeps the current token and warns that database-url is empty', async () => {
    const current = await tokenExpiringIn('30d')
    emulator.addFault({ method: 'GET', path: '/v1/organizations/acme/databases/app-db', status: 500, body: '{"error":"internal error"}', times: 5 })
    const result = await run(current)
    expect(result.exitCode).toBe(0)
    expect(result.outputs['database-url']).toBe('')
    expect(result.outputs.renewed).toBe('false')
    expect(result.stdout).toMatch(/^::warning::The current token was kept, but database-url is empty: /m)
  })
})

describe('create-token without renewal', () => {
  it('sets renewed=true: a token was minted in this run', async () => {
    const result = await runAction({ operation: 'create-token', 'api-url': emulator.url, 'api-token': emulator.apiToken, organization: 'acme', database: 'app-db' })
    expect(result.exitCode).toBe(0)
    expect(result.outputs.renewed).toBe('true')
  })
})
