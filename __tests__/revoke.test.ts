import { describe, expect, it } from '@jest/globals'
import { inertMarkdown } from '../src/runner/report.js'
import { useEmulator, validates } from './support/emulator.js'
import { expectNoLeaks } from './support/leaks.js'
import { runAction } from './support/run-action.js'
import { firstErrorLine } from './support/workflow-commands.js'

const emulator = useEmulator()

// Seed (emulator/seed.json): octo (emulator.apiToken) owns organization acme; alice and bob are
// members (their seeded 'laptop' tokens serve as their API tokens here); alice also has 'alice-ci'.
const ALICE_TOKEN = 'eyJhbGciOiJFZERTQSIsInR5cCI6IkpXVCJ9.eyJpYXQiOjE3NzUwODgwMDAsImlkIjoiZW11VG9rMDAwNGFMaUNlTGFQdDBwUSJ9.KC9VGLgQIpnwrCwoe3P7K7QqkFc1e7Okx9eyFiF0_CWg7Jts3-nguCaf_pqD71bkgAa_up01KOzDwPMKRL3S1Q'
const BOB_TOKEN = 'eyJhbGciOiJFZERTQSIsInR5cCI6IkpXVCJ9.eyJpYXQiOjE3NzUxNzQ0MDAsImlkIjoiZW11VG9rMDAwNWIwYkxhUHQwcFh5WiJ9.70JxS1t5X39Lg4tD4q7O3bw0FEF2FQ0OqpRhiOlnhedcSY3Euz8ZL2hx1d_y0ddSIaNXhKNAhyMC4nJnthyBvA'
const ORG_TOKENS = '/v1/organizations/acme/api-tokens'

function revokeInputs(tokenName: string, extra: Record<string, string> = {}): Record<string, string> {
  return { operation: 'revoke', 'api-url': emulator.url, 'api-token': emulator.apiToken, 'token-name': tokenName, ...extra }
}

interface Minted {
  token: string
  id: string
}

/** Creates a Platform API token through the emulator's API, as `turso auth api-tokens mint` would. */
async function mintApiToken(name: string, options: { as?: string; organization?: string } = {}): Promise<Minted> {
  const response = await fetch(`${emulator.url}/v1/auth/api-tokens/${encodeURIComponent(name)}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${options.as ?? emulator.apiToken}` },
    body: options.organization === undefined ? undefined : JSON.stringify({ organization: options.organization })
  })
  expect(response.status).toBe(200)
  const body = (await response.json()) as Minted
  emulator.clearRequests()
  return body
}

const authenticates = (token: string): Promise<boolean> => validates(emulator, token)

const sent = (): string[] => emulator.requests.map((request) => `${request.method} ${request.path}`)

describe('revoke one of your own API tokens (no organization)', () => {
  it('lists, sends one DELETE, sets token-name, and the token stops working', async () => {
    const { token } = await mintApiToken('offboarded-laptop')
    expect(await authenticates(token)).toBe(true)
    emulator.clearRequests()
    const run = await runAction(revokeInputs('offboarded-laptop'))
    expect(run.exitCode).toBe(0)
    expect(sent()).toEqual(['GET /v1/auth/api-tokens', 'DELETE /v1/auth/api-tokens/offboarded-laptop'])
    const deletion = emulator.requests[1]
    expect(deletion.body).toBe('')
    expect(deletion.headers.authorization).toBe(`Bearer ${emulator.apiToken}`)
    expect(run.outputs).toEqual({ 'token-name': 'offboarded-laptop' })
    expect(await authenticates(token)).toBe(false)
    expect(run.summary).toContain("API token 'offboarded-laptop'")
    expectNoLeaks(run, [emulator.apiToken, token])
  })

  it('percent-encodes a name with spaces and reserved characters into one path segment', async () => {
    await mintApiToken('ci token #2?x=1')
    const run = await runAction(revokeInputs('ci token #2?x=1'))
    expect(run.exitCode).toBe(0)
    expect(emulator.requests[1].path).toBe('/v1/auth/api-tokens/ci%20token%20%232%3Fx%3D1')
    expect(emulator.requests[1].query).toEqual({})
    expect(run.outputs['token-name']).toBe('ci token #2?x=1')
  })

  it('accepts an empty 2xx answer to the DELETE, and reports the name sent', async () => {
    await mintApiToken('empty-answer')
    emulator.addFault({ method: 'DELETE', status: 200, body: '' })
    const run = await runAction(revokeInputs('empty-answer'))
    expect(run.exitCode).toBe(0)
    expect(run.outputs).toEqual({ 'token-name': 'empty-answer' })
    expect(run.stdout).toContain("Revoked API token 'empty-answer'")
  })
})

describe('revoke a name that is not one of your tokens', () => {
  it('fails naming token-name, suggests the close match, sends no DELETE and claims nothing', async () => {
    const run = await runAction(revokeInputs('ci-deployr'))
    expect(run.exitCode).toBe(1)
    expect(sent()).toEqual(['GET /v1/auth/api-tokens'])
    const error = firstErrorLine(run.stdout)
    expect(error).toContain("Could not revoke the API token 'ci-deployr': input 'token-name' names no API token of the account that owns api-token")
    expect(error).toContain("Did you mean 'ci-deployer'?")
    expect(error).toContain('turso auth api-tokens list')
    expect(run.outputs).toEqual({})
    expect(run.summary).not.toContain('Revoked')
    expect(run.stdout).not.toContain('::notice::')
    expect(run.stdout).not.toContain('::debug::')
  })

  it('never suggests names of another account: octo is not told about alice\'s and bob\'s tokens', async () => {
    const run = await runAction(revokeInputs('laptob'))
    expect(run.exitCode).toBe(1)
    expect(run.stdout).not.toContain('laptop')
    expect(firstErrorLine(run.stdout)).not.toContain('Did you mean')
  })

  it('the false success of v1: a reset before Turso saw the DELETE of a misspelled name fails and claims nothing', async () => {
    emulator.addFault({ method: 'DELETE', reset: true })
    const run = await runAction(revokeInputs('ci-deployr'))
    expect(run.exitCode).toBe(1)
    expect(sent()).not.toContain('DELETE /v1/auth/api-tokens/ci-deployr')
    expect(run.stdout).not.toContain('already gone')
    expect(run.stdout).not.toContain('::notice::')
    expect(run.summary).not.toContain('Revoked')
    expect(run.outputs).toEqual({})
    expect(await authenticates('emulator-api-token-0002')).toBe(true) // ci-deployer is still live, and nobody said otherwise
  })

  it('adds the stack as a ::debug:: line only when the runner has debug logging on', async () => {
    const run = await runAction(revokeInputs('no-such-token'), { RUNNER_DEBUG: '1' })
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toMatch(/^::debug::RevokeSelectionError: Could not revoke the API token 'no-such-token'.*%0A {4}at /m)
    expectNoLeaks(run, [emulator.apiToken])
  })
})

describe('revoke whose DELETE answer is lost or misleading', () => {
  it('lost answer after Turso carried it out: the 404 on the retry counts once a second listing shows the token gone', async () => {
    const { token } = await mintApiToken('lost-answer')
    emulator.addFault({ method: 'DELETE', path: '/v1/auth/api-tokens/lost-answer', dropResponse: true })
    const run = await runAction(revokeInputs('lost-answer'))
    expect(run.exitCode).toBe(0)
    expect(sent()).toEqual(['GET /v1/auth/api-tokens', 'DELETE /v1/auth/api-tokens/lost-answer', 'DELETE /v1/auth/api-tokens/lost-answer', 'GET /v1/auth/api-tokens'])
    expect(run.stdout).toMatch(/Attempt 1 of 4: DELETE \/v1\/auth\/api-tokens\/lost-answer failed \(connection reset\)/)
    expect(run.stdout).toMatch(/^::notice::The API token 'lost-answer' was already gone when the DELETE arrived \(an earlier attempt, whose answer was lost, revoked it\)/m)
    expect(run.outputs).toEqual({ 'token-name': 'lost-answer' })
    expect(run.summary).toContain('found already gone, confirmed by listing')
    expect(await authenticates(token)).toBe(false)
  })

  it('a 200 after a retried 503 is a plain revocation, not "already gone"', async () => {
    const { token } = await mintApiToken('after-503')
    emulator.addFault({ method: 'DELETE', status: 503, headers: { 'retry-after': '0' } })
    const run = await runAction(revokeInputs('after-503'))
    expect(run.exitCode).toBe(0)
    expect(sent()).toEqual(['GET /v1/auth/api-tokens', 'DELETE /v1/auth/api-tokens/after-503', 'DELETE /v1/auth/api-tokens/after-503'])
    expect(run.stdout).toContain("Revoked API token 'after-503'")
    expect(run.stdout).not.toContain('::notice::')
    expect(await authenticates(token)).toBe(false)
  })

  it('a 404 at the first attempt, for a token revoked by someone else after the listing: success, said so', async () => {
    const { token } = await mintApiToken('raced')
    // The action's DELETE is held back while another client revokes the token.
    emulator.addFault({ method: 'DELETE', path: '/v1/auth/api-tokens/raced', delayMs: 1500 })
    const running = runAction(revokeInputs('raced'))
    for (let i = 0; i < 500 && !sent().includes('DELETE /v1/auth/api-tokens/raced'); i++) await new Promise((resolve) => setTimeout(resolve, 10))
    const other = await fetch(`${emulator.url}/v1/auth/api-tokens/raced`, { method: 'DELETE', headers: { authorization: `Bearer ${emulator.apiToken}` } })
    expect(other.status).toBe(200)
    const run = await running
    expect(run.exitCode).toBe(0)
    expect(run.stdout).toMatch(/^::notice::The API token 'raced' was already gone when the DELETE arrived \(it was listed moments before, so something else revoked it in between\)/m)
    expect(await authenticates(token)).toBe(false)
  })

  it('a 404 after a retried 429 while Turso still lists the token is an error, not a revocation', async () => {
    const { token } = await mintApiToken('still-here')
    emulator.addFault({ method: 'DELETE', status: 429, headers: { 'retry-after': '0' } }, { method: 'DELETE', status: 404, body: '{"error":"not found"}' })
    const run = await runAction(revokeInputs('still-here'))
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toContain('Attempt 1 of 4: DELETE /v1/auth/api-tokens/still-here failed (HTTP 429)')
    expect(firstErrorLine(run.stdout)).toContain("Could not revoke the API token 'still-here': Turso answered HTTP 404 to the DELETE, yet still lists the token, so it was not revoked")
    expect(run.outputs).toEqual({})
    expect(run.summary).not.toContain('Revoked')
    expect(await authenticates(token)).toBe(true)
  })
})

describe('revoke a member\'s organization token (organization set)', () => {
  /** alice and bob each mint an acme token named `name` (names are unique per user, not across users). */
  async function sharedName(name: string): Promise<{ alice: Minted; bob: Minted }> {
    return {
      alice: await mintApiToken(name, { as: ALICE_TOKEN, organization: 'acme' }),
      bob: await mintApiToken(name, { as: BOB_TOKEN, organization: 'acme' })
    }
  }

  it('an owner revokes alice\'s token by ID, chosen by token-owner; bob\'s token of the same name stays', async () => {
    const { alice, bob } = await sharedName('offboard-1')
    const run = await runAction(revokeInputs('offboard-1', { organization: 'acme', 'token-owner': 'alice' }))
    expect(run.exitCode).toBe(0)
    expect(sent()).toEqual([`GET ${ORG_TOKENS}`, `DELETE ${ORG_TOKENS}/${alice.id}`])
    expect(run.outputs).toEqual({ 'token-name': 'offboard-1', 'token-id': alice.id })
    expect(run.stdout).toContain(`Revoked API token 'offboard-1' of alice (ID ${alice.id}) in organization 'acme'`)
    // The summary renders the row inert: a random ID with a '_' at a word's edge (first, or beside a '-') becomes a code span.
    expect(run.summary).toContain(`| Target | ${inertMarkdown(`API token 'offboard-1' of alice (ID ${alice.id}) in organization 'acme'`)} |`)
    expect(await authenticates(alice.token)).toBe(false)
    expect(await authenticates(bob.token)).toBe(true)
    expectNoLeaks(run, [emulator.apiToken, alice.token, bob.token])
  })

  it('a name several members share, without token-owner: lists the owners and deletes nothing', async () => {
    const { alice, bob } = await sharedName('offboard-2')
    const run = await runAction(revokeInputs('offboard-2', { organization: 'acme' }))
    expect(run.exitCode).toBe(1)
    expect(sent()).toEqual([`GET ${ORG_TOKENS}`])
    const error = firstErrorLine(run.stdout)
    expect(error).toContain("Could not revoke the API token 'offboard-2' in organization 'acme': 2 members' tokens share this name (owners: 'alice', 'bob'); set input 'token-owner'")
    expect(error).toContain('Nothing was revoked.')
    expect(run.outputs).toEqual({})
    expect(await authenticates(alice.token)).toBe(true)
    expect(await authenticates(bob.token)).toBe(true)
  })

  it('a name only one member holds needs no token-owner', async () => {
    const run = await runAction(revokeInputs('alice-ci', { organization: 'acme' }))
    expect(run.exitCode).toBe(0)
    expect(run.outputs).toEqual({ 'token-name': 'alice-ci', 'token-id': 'emuTok0006aLiCeC1r7sMn' })
  })

  it('token-owner matches an email too, in any case', async () => {
    const { alice, bob } = await sharedName('offboard-3')
    const run = await runAction(revokeInputs('offboard-3', { organization: 'acme', 'token-owner': 'Bob@Example.com' }))
    expect(run.exitCode).toBe(0)
    expect(run.outputs).toEqual({ 'token-name': 'offboard-3', 'token-id': bob.id })
    expect(await authenticates(bob.token)).toBe(false)
    expect(await authenticates(alice.token)).toBe(true)
  })

  it('a token-owner who has no token of that name: lists the owners found, deletes nothing', async () => {
    await sharedName('offboard-4')
    const run = await runAction(revokeInputs('offboard-4', { organization: 'acme', 'token-owner': 'carol' }))
    expect(run.exitCode).toBe(1)
    expect(sent()).toEqual([`GET ${ORG_TOKENS}`])
    expect(firstErrorLine(run.stdout)).toContain("no token of this name belongs to 'carol' (input 'token-owner'); tokens of this name belong to: 'alice', 'bob'")
  })

  it('a name not in the organization\'s list fails naming token-name and explains who sees what', async () => {
    const run = await runAction(revokeInputs('emulator', { organization: 'acme' }))
    expect(run.exitCode).toBe(1)
    expect(sent()).toEqual([`GET ${ORG_TOKENS}`])
    expect(firstErrorLine(run.stdout)).toContain("input 'token-name' names no token in the organization's list")
    expect(firstErrorLine(run.stdout)).toContain("revoke it without 'organization'")
  })

  it('a member\'s API token revokes the member\'s own token; token-owner cannot reach another member through it', async () => {
    const { alice, bob } = await sharedName('offboard-5')
    const other = await runAction(revokeInputs('offboard-5', { organization: 'acme', 'token-owner': 'bob', 'api-token': ALICE_TOKEN }))
    expect(other.exitCode).toBe(1)
    expect(firstErrorLine(other.stdout)).toContain('Turso lists no owners: it shows them only to admins and owners of the organization')
    expect(await authenticates(bob.token)).toBe(true)

    const own = await runAction(revokeInputs('offboard-5', { organization: 'acme', 'api-token': ALICE_TOKEN }))
    expect(own.exitCode).toBe(0)
    expect(own.outputs).toEqual({ 'token-name': 'offboard-5', 'token-id': alice.id })
    expect(await authenticates(alice.token)).toBe(false)
    expect(await authenticates(bob.token)).toBe(true)
    expectNoLeaks(own, [ALICE_TOKEN])
  })

  it('explains a 403: members revoke only their own tokens, an admin or owner token is needed', async () => {
    const { alice } = await sharedName('offboard-6')
    emulator.addFault({ method: 'DELETE', path: `${ORG_TOKENS}/*`, status: 403, body: '{"error":"forbidden"}' })
    const run = await runAction(revokeInputs('offboard-6', { organization: 'acme', 'token-owner': 'alice' }))
    expect(run.exitCode).toBe(1)
    const error = firstErrorLine(run.stdout)
    expect(error).toContain(`Could not revoke API token 'offboard-6' of alice (ID ${alice.id}) in organization 'acme'. Turso answered HTTP 403: forbidden.`)
    expect(error).toContain("use an API token of an admin or owner of the organization to revoke another member's token")
    expect(run.outputs).toEqual({})
  })

  it('lost answer: the 404 on the retry counts once the organization list no longer holds the ID', async () => {
    const { bob } = await sharedName('offboard-7')
    emulator.addFault({ method: 'DELETE', path: `${ORG_TOKENS}/${bob.id}`, dropResponse: true })
    const run = await runAction(revokeInputs('offboard-7', { organization: 'acme', 'token-owner': 'bob' }))
    expect(run.exitCode).toBe(0)
    expect(sent()).toEqual([`GET ${ORG_TOKENS}`, `DELETE ${ORG_TOKENS}/${bob.id}`, `DELETE ${ORG_TOKENS}/${bob.id}`, `GET ${ORG_TOKENS}`])
    expect(run.stdout).toMatch(new RegExp(`^::notice::The API token 'offboard-7' of bob \\(ID ${bob.id}\\) was already gone`, 'm'))
    expect(run.outputs).toEqual({ 'token-name': 'offboard-7', 'token-id': bob.id })
    expect(await authenticates(bob.token)).toBe(false)
  })
})

describe('a hostile token list', () => {
  it('entries whose name or ID cannot be printed or sent back are left out with a warning; nothing is deleted', async () => {
    const tokens = [
      { name: 'dup', id: '../../databases/app-db', owner: { username: 'eve' } },
      { name: 'dup\n::warning::pwned', id: 'okId1' },
      { name: 'other', id: 'okId2', owner: { username: 'mallory\n::error::x' } }
    ]
    emulator.addFault({ method: 'GET', path: ORG_TOKENS, status: 200, body: JSON.stringify({ tokens }) })
    const run = await runAction(revokeInputs('dup', { organization: 'acme' }))
    expect(run.exitCode).toBe(1)
    expect(sent()).toEqual([`GET ${ORG_TOKENS}`])
    expect(run.stdout).toMatch(/^::warning::Left out 2 entries of Turso's token list/m)
    // The `dup` left out is the only one of that name: said so, rather than "names no token".
    expect(firstErrorLine(run.stdout)).toContain('the only token of this name is listed with an ID the action cannot send back')
    expect(run.stdout).not.toMatch(/^::(?!add-mask|warning::Left out|error::Could not revoke)/m)
    expect(run.stdout).not.toContain('pwned')
  })
})

describe('revoke inputs', () => {
  it('dry-run prints the listing and the DELETE (by ID with organization) and sends nothing', async () => {
    const own = await runAction(revokeInputs('ci-deployer', { 'dry-run': 'true' }))
    expect(own.exitCode).toBe(0)
    expect(own.stdout).toContain('  GET /v1/auth/api-tokens\n  DELETE /v1/auth/api-tokens/ci-deployer\n')
    const org = await runAction(revokeInputs('laptop', { 'dry-run': 'true', organization: 'acme', 'token-owner': 'alice' }))
    expect(org.stdout).toContain(`  GET ${ORG_TOKENS}\n  DELETE ${ORG_TOKENS}/{id}\n`)
    expect(emulator.requests).toEqual([])
  })

  it('token-owner without organization is ignored with a warning; an invalid one fails before any request', async () => {
    const ignored = await runAction(revokeInputs('no-such-token', { 'token-owner': 'alice', 'dry-run': 'true' }))
    expect(ignored.stdout).toMatch(/^::warning::Input 'token-owner' applies to operation 'revoke' only with 'organization'/m)
    const invalid = await runAction(revokeInputs('laptop', { organization: 'acme', 'token-owner': 'alice smith' }))
    expect(invalid.exitCode).toBe(1)
    expect(firstErrorLine(invalid.stdout)).toMatch(/^::error::Input 'token-owner' must be the username or email/)
    expect(emulator.requests).toEqual([])
  })

  it('token-owner on another operation is ignored with a warning', async () => {
    const run = await runAction({ operation: 'create-token', 'api-url': emulator.url, 'api-token': emulator.apiToken, organization: 'acme', database: 'app-db', 'token-owner': 'alice', 'dry-run': 'true' })
    expect(run.stdout).toMatch(/^::warning::Input 'token-owner' does not apply to operation 'create-token'/m)
  })
})
