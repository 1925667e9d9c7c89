/**
 * Answers of the Platform API that are unusual but possible: a 3xx counted as success would mint
 * nothing, and a DELETE that answers JSON `null` or an array must fall back to the name sent.
 */
import { describe, expect, it } from '@jest/globals'
import { useEmulator } from './support/emulator.js'
import { runAction } from './support/run-action.js'

const emulator = useEmulator()

const errorLines = (stdout: string): string[] => stdout.split('\n').filter((line) => line.startsWith('::error::'))

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
