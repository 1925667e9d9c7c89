/**
 * Issue 18, item 16: an organization's list holds two members' tokens named `laptop`, and one is
 * listed with an ID outside base64url (left out, as it can be neither printed nor sent back).
 * Without token-owner the one usable namesake is not "the" token: it may be another member's.
 * The seed gives alice and bob each an acme token named `laptop`; a fault spoils alice's ID.
 */
import { beforeEach, describe, expect, it } from '@jest/globals'
import { useEmulator } from './support/emulator.js'
import { errorLines } from './support/workflow-commands.js'
import { runAction } from './support/run-action.js'

const emulator = useEmulator()
const ORG_TOKENS = '/v1/organizations/acme/api-tokens'

const sent = (): string[] => emulator.requests.map((request) => `${request.method} ${request.path}`)

interface ListedEntry {
  name: string
  id: string
  owner?: { username?: string }
}

function revokeLaptop(extra: Record<string, string> = {}) {
  return runAction({ operation: 'revoke', 'api-url': emulator.url, 'api-token': emulator.apiToken, 'token-name': 'laptop', organization: 'acme', ...extra })
}

describe('a skipped entry shares the sought name', () => {
  let bobLaptopId = ''

  /** The real list, with alice's `laptop` given an ID the action must not send back. */
  beforeEach(async () => {
    const response = await fetch(`${emulator.url}${ORG_TOKENS}`, { headers: { authorization: `Bearer ${emulator.apiToken}` } })
    const body = (await response.json()) as { tokens: ListedEntry[] }
    const laptops = body.tokens.filter((token) => token.name === 'laptop')
    expect(laptops.map((token) => token.owner?.username).sort()).toEqual(['alice', 'bob'])
    bobLaptopId = laptops.find((token) => token.owner?.username === 'bob')?.id ?? ''
    const spoiled = body.tokens.map((token) => (token.name === 'laptop' && token.owner?.username === 'alice' ? { ...token, id: 'emu/../tok 1' } : token))
    emulator.addFault({ method: 'GET', path: ORG_TOKENS, status: 200, body: JSON.stringify({ tokens: spoiled }), times: 5 })
    emulator.clearRequests()
  })

  it('without token-owner: both count, nothing is deleted, and the error says why', async () => {
    const run = await revokeLaptop()
    expect(run.exitCode).toBe(1)
    expect(sent()).toEqual([`GET ${ORG_TOKENS}`])
    expect(errorLines(run.stdout)).toEqual([
      "::error::Could not revoke the API token 'laptop' in organization 'acme': 2 members' tokens share this name (owners: 'bob', 'alice') " +
        '(1 of them listed with an ID the action cannot send back: revoke that one with the Turso CLI or dashboard); ' +
        "set input 'token-owner' to the username or email of the one to revoke. Nothing was revoked."
    ])
    expect(run.outputs).toEqual({})
  })

  it('with token-owner naming the owner of the skipped entry: nothing is deleted', async () => {
    const run = await revokeLaptop({ 'token-owner': 'alice' })
    expect(run.exitCode).toBe(1)
    expect(sent()).toEqual([`GET ${ORG_TOKENS}`])
    expect(errorLines(run.stdout)[0]).toContain("the token of this name that may belong to 'alice' is listed with an ID the action cannot send back")
  })

  // Last: it really revokes bob's seeded token.
  it("with token-owner naming the other member: that member's usable token is revoked", async () => {
    const run = await revokeLaptop({ 'token-owner': 'bob' })
    expect(run.exitCode).toBe(0)
    expect(sent()).toEqual([`GET ${ORG_TOKENS}`, `DELETE ${ORG_TOKENS}/${bobLaptopId}`])
  })
})

describe('with token-owner set, a skipped namesake that may be that owner\'s', () => {
  const BOB = { username: 'bob', email: 'bob@example.com' }
  async function revokeFrom(tokens: unknown[]) {
    emulator.clearFaults()
    emulator.addFault({ method: 'GET', path: ORG_TOKENS, status: 200, body: JSON.stringify({ tokens }) })
    emulator.clearRequests()
    return revokeLaptop({ 'token-owner': 'bob' })
  }

  it.each([
    ['listed with the same owner', { name: 'laptop', id: 'bad id', owner: BOB }],
    ['listed without an owner', { name: 'laptop', id: 'bad id' }]
  ])('%s: counts, so nothing is deleted', async (_label, skipped) => {
    const run = await revokeFrom([{ name: 'laptop', id: 'bobLaptop1', owner: BOB }, skipped])
    expect(run.exitCode).toBe(1)
    expect(sent()).toEqual([`GET ${ORG_TOKENS}`])
    expect(errorLines(run.stdout)).toEqual([
      "::error::Could not revoke the API token 'laptop' in organization 'acme': 'bob' has 2 tokens of this name (IDs bobLaptop1 " +
        '(1 of them listed with an ID the action cannot send back: revoke that one with the Turso CLI or dashboard)); revoke them with the Turso CLI. Nothing was revoked.'
    ])
  })

  it("listed with another owner: does not count, and bob's token is revoked", async () => {
    const run = await revokeFrom([{ name: 'laptop', id: 'bobLaptop1', owner: BOB }, { name: 'laptop', id: 'bad id', owner: { username: 'carol' } }])
    // The emulator does not hold this made-up token: the DELETE's 404 is then settled by listing again.
    expect(sent().slice(0, 2)).toEqual([`GET ${ORG_TOKENS}`, `DELETE ${ORG_TOKENS}/bobLaptop1`])
    expect(run.outputs['token-id']).toBe('bobLaptop1')
  })

  it('two usable tokens of bob: the IDs are listed, with no note about skipped entries', async () => {
    const run = await revokeFrom([{ name: 'laptop', id: 'bobLaptop1', owner: BOB }, { name: 'laptop', id: 'bobLaptop2', owner: BOB }])
    expect(errorLines(run.stdout)[0]).toContain("'bob' has 2 tokens of this name (IDs bobLaptop1, bobLaptop2); revoke them with the Turso CLI.")
  })

  it('no owner listed anywhere, the skipped entry included: says Turso lists no owners', async () => {
    const run = await revokeFrom([{ name: 'laptop', id: 'bad id' }])
    expect(errorLines(run.stdout)).toEqual([
      "::error::Could not revoke the API token 'laptop' in organization 'acme': input 'token-owner' is set, but Turso lists no owners: it shows them only " +
        "to admins and owners of the organization, and a member's API token sees only that member's own tokens. Use an admin's or owner's API token, " +
        'or remove token-owner to revoke your own token. Nothing was revoked.'
    ])
  })

  it('only the skipped entry names an owner, and it is bob: that one cannot be revoked by the action', async () => {
    const run = await revokeFrom([{ name: 'laptop', id: 'usable1' }, { name: 'laptop', id: 'bad id', owner: BOB }])
    expect(sent()).toEqual([`GET ${ORG_TOKENS}`])
    expect(errorLines(run.stdout)[0]).toContain("the token of this name that may belong to 'bob' is listed with an ID the action cannot send back")
  })

  it("an owner nobody matches: names every owner, the skipped entry's too", async () => {
    const run = await revokeFrom([{ name: 'laptop', id: 'usable1', owner: { username: 'alice' } }, { name: 'laptop', id: 'bad id', owner: { username: 'carol' } }])
    expect(errorLines(run.stdout)[0]).toContain("no token of this name belongs to 'bob' (input 'token-owner'); tokens of this name belong to: 'alice', 'carol'.")
  })

  it('no entry of that name at all, skipped or not: says who sees which tokens', async () => {
    const run = await revokeFrom([{ name: 'desktop', id: 'usable1', owner: BOB }, { name: 'tablet', id: 'bad id', owner: BOB }])
    expect(errorLines(run.stdout)).toEqual([
      "::error::Could not revoke the API token 'laptop' in organization 'acme': input 'token-name' names no token in the organization's list. " +
        "An admin's or owner's API token sees every member's organization- and group-scoped tokens, a member's only their own; a token without an " +
        "organization (unrestricted) is not in this list: revoke it without 'organization', with its owner's API token. Nothing was revoked."
    ])
  })
})

