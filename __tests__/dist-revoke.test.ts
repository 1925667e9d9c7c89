import { describe, expect, it } from '@jest/globals'
import { runBundledAction } from '../scripts/lib/runner.js'
import { createApiToken, useEmulator, validates } from './support/emulator.js'
import { expectNoLeaks } from './support/leaks.js'

/** Revoke through the bundle, run as a child process exactly as the runner runs it. */
const emulator = useEmulator()

// Seeded API tokens of alice and bob, members of acme (emulator/seed.json).
const MEMBER_TOKENS = {
  alice: 'eyJhbGciOiJFZERTQSIsInR5cCI6IkpXVCJ9.eyJpYXQiOjE3NzUwODgwMDAsImlkIjoiZW11VG9rMDAwNGFMaUNlTGFQdDBwUSJ9.KC9VGLgQIpnwrCwoe3P7K7QqkFc1e7Okx9eyFiF0_CWg7Jts3-nguCaf_pqD71bkgAa_up01KOzDwPMKRL3S1Q',
  bob: 'eyJhbGciOiJFZERTQSIsInR5cCI6IkpXVCJ9.eyJpYXQiOjE3NzUxNzQ0MDAsImlkIjoiZW11VG9rMDAwNWIwYkxhUHQwcFh5WiJ9.70JxS1t5X39Lg4tD4q7O3bw0FEF2FQ0OqpRhiOlnhedcSY3Euz8ZL2hx1d_y0ddSIaNXhKNAhyMC4nJnthyBvA'
}

const mintAs = (member: keyof typeof MEMBER_TOKENS, name: string): Promise<{ token: string; id: string }> => createApiToken(emulator, name, MEMBER_TOKENS[member])
const authenticates = (token: string): Promise<boolean> => validates(emulator, token)

describe('dist/index.js: revoke', () => {
  it("an owner's token revokes a member's organization token by ID, chosen by token-owner", async () => {
    const alice = await mintAs('alice', 'deploy-key')
    const bob = await mintAs('bob', 'deploy-key')
    emulator.clearRequests()
    const run = await runBundledAction(
      { operation: 'revoke', 'api-url': emulator.url, organization: 'acme', 'token-name': 'deploy-key', 'token-owner': 'bob' },
      { TURSO_API_TOKEN: emulator.apiToken }
    )
    expect(run.stderr).toBe('')
    expect(run.exitCode).toBe(0)
    expect(emulator.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
      'GET /v1/organizations/acme/api-tokens',
      `DELETE /v1/organizations/acme/api-tokens/${bob.id}`
    ])
    expect(run.outputs).toEqual({ 'token-name': 'deploy-key', 'token-id': bob.id })
    expect(await authenticates(bob.token)).toBe(false)
    expect(await authenticates(alice.token)).toBe(true)
    expect(run.summary).toContain(`API token 'deploy-key' of bob (ID ${bob.id}) in organization 'acme'`)
    expectNoLeaks(run, [emulator.apiToken, alice.token, bob.token])
  })

  it('a misspelled name whose DELETE would be reset before Turso saw it fails, exit 1, and claims nothing', async () => {
    emulator.addFault({ method: 'DELETE', reset: true, times: 10 })
    const run = await runBundledAction({ operation: 'revoke', 'api-url': emulator.url, 'token-name': 'ci-deployr' }, { TURSO_API_TOKEN: emulator.apiToken })
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toMatch(/^::error::Could not revoke the API token 'ci-deployr': input 'token-name' names no API token .*Did you mean 'ci-deployer'\?/m)
    expect(run.stdout).not.toMatch(/^::notice::/m)
    expect(run.stdout).not.toContain('already gone')
    expect(run.summary).not.toContain('Revoked')
    expect(run.outputs).toEqual({})
    expect(emulator.requests.map((request) => request.method)).toEqual(['GET'])
  })
})
