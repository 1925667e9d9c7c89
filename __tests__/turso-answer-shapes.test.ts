/**
 * Answers of the Platform API that are unusual but possible: a 3xx counted as success would mint
 * nothing, and a DELETE that answers JSON `null` or an array must fall back to the name sent.
 */
import { describe, expect, it } from '@jest/globals'
import { useEmulator } from './support/emulator.js'
import { runAction } from './support/run-action.js'
import { errorLines } from './support/workflow-commands.js'

const emulator = useEmulator()


describe('a 300 answer to the mint', () => {
  it('is not a success: the step fails with the status, and sets no token', async () => {
    emulator.addFault({ method: 'POST', path: '/v1/organizations/acme/databases/app-db/auth/tokens', status: 300, body: '{"jwt":"eyJhbGciOiJFZERTQSJ9.e30.c2ln"}' })
    const run = await runAction({ operation: 'create-token', 'api-url': emulator.url, 'api-token': emulator.apiToken, organization: 'acme', database: 'app-db', retries: '0' })
    expect(run.exitCode).toBe(1)
    expect(run.outputs.token).toBeUndefined()
    expect(errorLines(run.stdout)[0]).toMatch(/HTTP 300/)
  })
})

describe('a DELETE answer that is JSON but not an object', () => {
  it.each(['null', '[]', '["other-name"]'])('%s: revoked, reported by the name sent', async (body) => {
    const minted = await fetch(`${emulator.url}/v1/auth/api-tokens/shape-${body.length}`, { method: 'POST', headers: { authorization: `Bearer ${emulator.apiToken}` } })
    expect(minted.status).toBe(200)
    emulator.addFault({ method: 'DELETE', status: 200, body })
    const run = await runAction({ operation: 'revoke', 'api-url': emulator.url, 'api-token': emulator.apiToken, 'token-name': `shape-${body.length}` })
    expect(run.exitCode).toBe(0)
    expect(run.outputs).toEqual({ 'token-name': `shape-${body.length}` })
  })
})

describe('revoke of your own token: each failing step is named', () => {
  const revoke = (tokenName: string) => runAction({ operation: 'revoke', 'api-url': emulator.url, 'api-token': emulator.apiToken, 'token-name': tokenName, retries: '0' })

  it('a 404 for the token list itself points at api-url', async () => {
    emulator.addFault({ method: 'GET', path: '/v1/auth/api-tokens', status: 404, body: '{"error":"not found"}' })
    const [error] = errorLines((await revoke('ci-deployer')).stdout)
    expect(error).toMatch(/^::error::Could not revoke the API token 'ci-deployer' \(listing the tokens of the account that owns api-token\)\. /)
    expect(error).toContain('the token list was not found; check api-url')
  })

  it('a list answer without tokens is not a documented answer', async () => {
    emulator.addFault({ method: 'GET', path: '/v1/auth/api-tokens', status: 200, body: '{}' })
    const [error] = errorLines((await revoke('ci-deployer')).stdout)
    expect(error).toMatch(/^::error::Could not revoke the API token 'ci-deployer' \(listing the tokens of the account that owns api-token\): the answer has no tokens list\. /)
  })

  it('a failing DELETE names the token it was revoking', async () => {
    emulator.addFault({ method: 'DELETE', status: 500, body: '{"error":"boom"}' })
    const [error] = errorLines((await revoke('ci-deployer')).stdout)
    expect(error).toMatch(/^::error::Could not revoke the API token 'ci-deployer'\. /)
  })
})
