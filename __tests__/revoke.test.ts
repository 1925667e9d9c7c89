import { describe, expect, it } from '@jest/globals'
import { useEmulator } from './support/emulator.js'
import { expectNoLeaks } from './support/leaks.js'
import { runAction } from './support/run-action.js'

const emulator = useEmulator()

function revokeInputs(tokenName: string, extra: Record<string, string> = {}): Record<string, string> {
  return { operation: 'revoke', 'api-url': emulator.url, 'api-token': emulator.apiToken, 'token-name': tokenName, ...extra }
}

/** Creates a Platform API token through the emulator's API, as `turso auth api-tokens mint` would. */
async function mintApiToken(name: string): Promise<string> {
  const response = await fetch(`${emulator.url}/v1/auth/api-tokens/${encodeURIComponent(name)}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${emulator.apiToken}` }
  })
  expect(response.status).toBe(200)
  const body = (await response.json()) as { token: string }
  emulator.clearRequests()
  return body.token
}

async function authenticates(token: string): Promise<boolean> {
  const response = await fetch(`${emulator.url}/v1/auth/validate`, { headers: { authorization: `Bearer ${token}` } })
  return response.status === 200
}

describe('revoke an API token', () => {
  it('sends one DELETE, sets token-name, and the token stops working', async () => {
    const token = await mintApiToken('offboarded-laptop')
    expect(await authenticates(token)).toBe(true)
    emulator.clearRequests()
    const run = await runAction(revokeInputs('offboarded-laptop'))
    expect(run.exitCode).toBe(0)
    expect(emulator.requests).toHaveLength(1)
    const [request] = emulator.requests
    expect(request.method).toBe('DELETE')
    expect(request.path).toBe('/v1/auth/api-tokens/offboarded-laptop')
    expect(request.body).toBe('')
    expect(request.headers.authorization).toBe(`Bearer ${emulator.apiToken}`)
    expect(run.outputs).toEqual({ 'token-name': 'offboarded-laptop' })
    expect(await authenticates(token)).toBe(false)
    expect(run.summary).toContain("API token 'offboarded-laptop'")
    expectNoLeaks(run, [emulator.apiToken, token])
  })

  it('percent-encodes a name with spaces and reserved characters into one path segment', async () => {
    await mintApiToken('ci token #2?x=1')
    const run = await runAction(revokeInputs('ci token #2?x=1'))
    expect(run.exitCode).toBe(0)
    expect(emulator.requests[0].path).toBe('/v1/auth/api-tokens/ci%20token%20%232%3Fx%3D1')
    expect(emulator.requests[0].query).toEqual({})
    expect(run.outputs['token-name']).toBe('ci token #2?x=1')
  })
})

describe('revoke an unknown API token', () => {
  it('fails naming the token and how to list them', async () => {
    const run = await runAction(revokeInputs('no-such-token'))
    expect(run.exitCode).toBe(1)
    const error = run.stdout.split('\n').find((line) => line.startsWith('::error::')) ?? ''
    expect(error).toContain("Could not revoke the API token 'no-such-token'")
    expect(error).toContain('HTTP 404')
    expect(error).toContain('turso auth api-tokens list')
    expect(run.outputs).toEqual({})
    expect(run.stdout).not.toContain('::debug::')
  })

  it('adds the stack as a ::debug:: line only when the runner has debug logging on', async () => {
    const run = await runAction(revokeInputs('no-such-token'), { RUNNER_DEBUG: '1' })
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toMatch(/^::debug::TursoApiError: Could not revoke the API token 'no-such-token'.*%0A {4}at /m)
    expectNoLeaks(run, [emulator.apiToken])
  })
})

describe('revoke with a 404 after a retried 429', () => {
  it('is still an error: a 429 means the first attempt was not carried out', async () => {
    emulator.addFault({ method: 'DELETE', status: 429, headers: { 'retry-after': '0' } })
    const run = await runAction(revokeInputs('never-existed'))
    expect(run.exitCode).toBe(1)
    expect(emulator.requests).toHaveLength(2)
    expect(run.stdout).toContain('Attempt 1 of 4: DELETE /v1/auth/api-tokens/never-existed failed (HTTP 429)')
  })
})

describe('revoke whose first answer is lost after Turso carried it out', () => {
  it('counts the 404 on the retry as revoked, with a notice', async () => {
    await mintApiToken('lost-answer')
    emulator.addFault({ method: 'DELETE', path: '/v1/auth/api-tokens/lost-answer', dropResponse: true })
    const run = await runAction(revokeInputs('lost-answer'))
    expect(run.exitCode).toBe(0)
    expect(emulator.requests.map((request) => request.method)).toEqual(['DELETE', 'DELETE'])
    expect(run.stdout).toMatch(/Attempt 1 of 4: DELETE \/v1\/auth\/api-tokens\/lost-answer failed \(connection reset\)/)
    expect(run.stdout).toMatch(/^::notice::API token 'lost-answer' was already gone when the request was retried/m)
    expect(run.outputs).toEqual({ 'token-name': 'lost-answer' })
  })
})
