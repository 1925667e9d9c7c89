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

function revokeLaptop(extra: Record<string, string> = {}) {
  return runAction({ operation: 'revoke', 'api-url': emulator.url, 'api-token': emulator.apiToken, 'token-name': 'laptop', organization: 'acme', ...extra })
}

describe('a skipped entry shares the sought name', () => {
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
