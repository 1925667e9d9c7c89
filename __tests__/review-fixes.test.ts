/**
 * Findings of the v1 review (issue 11), each checked where it bit: a missing attach database
 * blamed on the target, rotate refusing a 2xx other than 200, an untrimmed TURSO_API_TOKEN read
 * as a network failure, and a failing connection close skipping the summary.
 */
import { describe, expect, it, jest } from '@jest/globals'
import { HttpClient } from '../src/http/http-client.js'
import { useEmulator } from './support/emulator.js'
import { expectNoLeaks } from './support/leaks.js'
import { runAction } from './support/run-action.js'
import { firstErrorLine } from './support/workflow-commands.js'

const emulator = useEmulator()

function inputs(extra: Record<string, string> = {}): Record<string, string> {
  return { operation: 'create-token', 'api-url': emulator.url, 'api-token': emulator.apiToken, organization: 'acme', database: 'app-db', ...extra }
}


describe('a missing attach-databases entry', () => {
  it('is named in the error, not blamed on the target database', async () => {
    const run = await runAction(inputs({ 'attach-databases': 'analytics, ghost-db' }))
    expect(run.exitCode).toBe(1)
    const error = firstErrorLine(run.stdout)
    expect(error).toContain("Check the name: attach database 'ghost-db' (input attach-databases) was not found in organization 'acme'")
    expect(error).not.toContain("database 'app-db' was not found")
  })

  it('a 404 that names no database mentions the attach-databases entries as a possible cause', async () => {
    emulator.addFault({ method: 'POST', path: '/v1/organizations/acme/databases/app-db/auth/tokens', status: 404, body: '{"error":"record not found"}' })
    const run = await runAction(inputs({ 'attach-databases': 'analytics' }))
    expect(firstErrorLine(run.stdout)).toContain("or an attach-databases entry ('analytics') does not exist there")
  })
})

describe('any 2xx is success', () => {
  it('rotate accepts a 204 without a body', async () => {
    emulator.addFault({ method: 'POST', path: '/v1/organizations/acme/databases/app-db/auth/rotate', status: 204, body: '' })
    const run = await runAction(inputs({ operation: 'rotate', mint: 'false' }))
    expect(run.exitCode).toBe(0)
    expect(run.outputs['rotated-at']).toMatch(/^\d{4}-\d\d-\d\dT/)
  })
})

describe('TURSO_API_TOKEN from the environment', () => {
  it('is trimmed: a pasted trailing newline still works', async () => {
    const run = await runAction(inputs({ 'api-token': '' }), { TURSO_API_TOKEN: `  ${emulator.apiToken}\n` })
    expect(run.exitCode).toBe(0)
    expectNoLeaks(run, [emulator.apiToken, run.outputs.token])
  })

  it.each([
    ['a space inside', 'abc def-token-value'],
    ['a line break inside', 'abc\ndef-token-value'],
    ['a non-ASCII character', 'abcdéf-token-value']
  ])('with %s fails as an input error naming api-token / TURSO_API_TOKEN, before any request', async (_case, value) => {
    const run = await runAction(inputs({ 'api-token': '' }), { TURSO_API_TOKEN: value })
    expect(run.exitCode).toBe(1)
    const error = firstErrorLine(run.stdout)
    expect(error).toContain('The Turso API token in the TURSO_API_TOKEN environment variable contains a character that cannot be sent in an HTTP header')
    expect(error).toContain('api-token / TURSO_API_TOKEN')
    expect(error).not.toContain('api-url')
    expect(emulator.requests).toEqual([])
    expectNoLeaks(run, [value])
  })
})

describe('closing the HTTP client', () => {
  it('a failing close neither skips the summary nor rejects run(), and the result stands', async () => {
    const close = jest.spyOn(HttpClient.prototype, 'close').mockRejectedValue(new Error('socket hang up while closing'))
    try {
      const run = await runAction(inputs())
      expect(close).toHaveBeenCalled()
      expect(run.exitCode).toBe(0)
      expect(run.outputs.token).toMatch(/^eyJ/)
      expect(run.summary).toContain('✅ done')
      expect(run.stdout).toMatch(/^::warning::Could not close the HTTP connections cleanly: socket hang up while closing/m)
    } finally {
      close.mockRestore()
    }
  })
})
