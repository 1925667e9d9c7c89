/**
 * What revoke says, and when: the warning about unusable list entries only when there are
 * some, the owner and ID of the token it deleted, the summary's "Revoked: yes", and the refusal
 * to choose between two tokens of one owner. Through the action against the emulator, with
 * token lists injected where the emulator cannot hold such a list.
 */
import { describe, expect, it } from '@jest/globals'
import { useEmulator } from './support/emulator.js'
import { runAction } from './support/run-action.js'
import { firstErrorLine } from './support/workflow-commands.js'

const emulator = useEmulator()
const ORG_TOKENS = '/v1/organizations/acme/api-tokens'
const OWN_TOKENS = '/v1/auth/api-tokens'

const revokeInputs = (tokenName: string, extra: Record<string, string> = {}): Record<string, string> => ({
  operation: 'revoke',
  'api-url': emulator.url,
  'api-token': emulator.apiToken,
  'token-name': tokenName,
  ...extra
})
const sent = (): string[] => emulator.requests.map((request) => `${request.method} ${request.path}`)
const listing = (tokens: unknown[]) => ({ method: 'GET', status: 200, body: JSON.stringify({ tokens }) })

describe('the warning about unusable entries of the token list', () => {
  it('is not given when every entry is usable, and the summary says Revoked: yes', async () => {
    const run = await runAction(revokeInputs('ci-deployer'))
    expect(run.exitCode).toBe(0)
    expect(run.stdout).not.toContain('::warning::')
    expect(run.stdout).toContain("Revoked API token 'ci-deployer'")
    expect(run.summary).toMatch(/\| Revoked \| yes \|/)
  })

  it('counts one entry in the singular, for your own list too', async () => {
    emulator.addFault({ ...listing([{ name: 'a\n::warning::x', id: 'x1' }]), path: OWN_TOKENS })
    const run = await runAction(revokeInputs('ci-deployer'))
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toMatch(/^::warning::Left out 1 entry of Turso's token list with a name or ID that cannot be printed or sent back safely$/m)
    expect(sent()).toEqual([`GET ${OWN_TOKENS}`])
  })
})

describe('"did you mean" for your own tokens', () => {
  it('offers every close name, joined by "or"', async () => {
    emulator.addFault({ ...listing([{ name: 'deploy-1', id: 'x1' }, { name: 'deploy-2', id: 'x2' }, { name: 'unrelated', id: 'x3' }]), path: OWN_TOKENS })
    const run = await runAction(revokeInputs('deploy-3'))
    expect(run.exitCode).toBe(1)
    expect(firstErrorLine(run.stdout)).toContain("nothing was revoked. Did you mean 'deploy-1' or 'deploy-2'? List them")
  })

  it('offers nothing when no name is close', async () => {
    const run = await runAction(revokeInputs('zzzzzzzz'))
    expect(firstErrorLine(run.stdout)).toContain('so nothing was revoked. List them with `turso auth api-tokens list`')
    expect(firstErrorLine(run.stdout)).toContain("to revoke a member's organization token, set 'organization' (and 'token-owner') and use an admin's API token.")
  })
})

describe('an organization token', () => {
  it('whose owner Turso does not list is described by name and ID alone', async () => {
    emulator.addFault({ ...listing([{ name: 'solo', id: 'emuTok0006aLiCeC1r7sMn' }]), path: ORG_TOKENS }, { method: 'DELETE', status: 200, body: '' })
    const run = await runAction(revokeInputs('solo', { organization: 'acme' }))
    expect(run.exitCode).toBe(0)
    expect(sent()).toEqual([`GET ${ORG_TOKENS}`, `DELETE ${ORG_TOKENS}/emuTok0006aLiCeC1r7sMn`])
    expect(run.stdout).toContain("Revoked API token 'solo' (ID emuTok0006aLiCeC1r7sMn) in organization 'acme'")
    expect(run.summary).toMatch(/\| Revoked \| yes \|/)
    expect(run.outputs).toEqual({ 'token-name': 'solo', 'token-id': 'emuTok0006aLiCeC1r7sMn' })
  })

  it('two tokens of one name and one owner: neither is chosen, both IDs are named, nothing is deleted', async () => {
    const alice = { username: 'alice', email: 'alice@example.com' }
    emulator.addFault({ ...listing([{ name: 'twin', id: 'idA', owner: alice }, { name: 'twin', id: 'idB', owner: alice }, { name: 'twin', id: 'idC', owner: { username: 'bob' } }]), path: ORG_TOKENS })
    const run = await runAction(revokeInputs('twin', { organization: 'acme', 'token-owner': 'alice' }))
    expect(run.exitCode).toBe(1)
    expect(sent()).toEqual([`GET ${ORG_TOKENS}`])
    expect(firstErrorLine(run.stdout)).toContain("'alice' has 2 tokens of this name (IDs idA, idB); revoke them with the Turso CLI. Nothing was revoked.")
    expect(run.outputs).toEqual({})
  })

  it('a 404 to the DELETE while the organization still lists the ID is an error, not a revocation', async () => {
    emulator.addFault({ method: 'DELETE', path: `${ORG_TOKENS}/*`, status: 404, body: '{"error":"not found"}' })
    const run = await runAction(revokeInputs('alice-ci', { organization: 'acme' }))
    expect(run.exitCode).toBe(1)
    expect(sent()).toEqual([`GET ${ORG_TOKENS}`, `DELETE ${ORG_TOKENS}/emuTok0006aLiCeC1r7sMn`, `GET ${ORG_TOKENS}`])
    expect(firstErrorLine(run.stdout)).toContain("Could not revoke the API token 'alice-ci' of alice (ID emuTok0006aLiCeC1r7sMn): Turso answered HTTP 404 to the DELETE, yet still lists the token")
    expect(firstErrorLine(run.stdout)).toContain('Check api-url (a proxy in between may answer for Turso) and re-run; if this persists, revoke the token in the Turso dashboard.')
    expect(run.outputs).toEqual({})
    expect(run.summary).not.toContain('Revoked')
  })

  it('token-owner finds its token even when Turso lists the owner of only some of the tokens of that name', async () => {
    emulator.addFault(
      { ...listing([{ name: 'mixed', id: 'idNoOwner' }, { name: 'mixed', id: 'emuTok0006aLiCeC1r7sMn', owner: { username: 'alice' } }]), path: ORG_TOKENS },
      { method: 'DELETE', status: 200, body: '' }
    )
    const run = await runAction(revokeInputs('mixed', { organization: 'acme', 'token-owner': 'alice' }))
    expect(run.exitCode).toBe(0)
    expect(sent()).toEqual([`GET ${ORG_TOKENS}`, `DELETE ${ORG_TOKENS}/emuTok0006aLiCeC1r7sMn`])
    expect(run.summary).toMatch(/\| Revoked \| yes \|/)
  })

  it('what to do next, when the name is not in the list or Turso shows no owners', async () => {
    const missing = await runAction(revokeInputs('no-such-token', { organization: 'acme' }))
    expect(firstErrorLine(missing.stdout)).toContain(
      "An admin's or owner's API token sees every member's organization- and group-scoped tokens, a member's only their own; a token without an organization (unrestricted) is not in this list"
    )
    emulator.addFault({ ...listing([{ name: 'anon', id: 'id1' }]), path: ORG_TOKENS })
    const ownerless = await runAction(revokeInputs('anon', { organization: 'acme', 'token-owner': 'alice' }))
    expect(firstErrorLine(ownerless.stdout)).toContain(
      "and a member's API token sees only that member's own tokens. Use an admin's or owner's API token, or remove token-owner to revoke your own token."
    )
  })

  it('a lost answer confirmed by a second listing is summarised as found already gone', async () => {
    const alice = 'eyJhbGciOiJFZERTQSIsInR5cCI6IkpXVCJ9.eyJpYXQiOjE3NzUwODgwMDAsImlkIjoiZW11VG9rMDAwNGFMaUNlTGFQdDBwUSJ9.KC9VGLgQIpnwrCwoe3P7K7QqkFc1e7Okx9eyFiF0_CWg7Jts3-nguCaf_pqD71bkgAa_up01KOzDwPMKRL3S1Q'
    const minted = await fetch(`${emulator.url}/v1/auth/api-tokens/gone-1`, { method: 'POST', headers: { authorization: `Bearer ${alice}` }, body: JSON.stringify({ organization: 'acme' }) })
    const { id } = (await minted.json()) as { id: string }
    emulator.clearRequests()
    emulator.addFault({ method: 'DELETE', path: `${ORG_TOKENS}/${id}`, dropResponse: true })
    const run = await runAction(revokeInputs('gone-1', { organization: 'acme' }))
    expect(run.exitCode).toBe(0)
    expect(run.summary).toMatch(/\| Revoked \| yes \(found already gone, confirmed by listing\) \|/)
  })
})
