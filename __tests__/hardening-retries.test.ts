/**
 * Retries end to end: the action against the emulator with faults, run in-process as the runner
 * would. What is retried (network errors, timeouts, 408, 429, 5xx), what never is (other 4xx),
 * how each attempt is logged, what is said when retries run out, and how long the worst case is.
 * The policy's arithmetic on its own (Retry-After forms, backoff, cap) is in retry-policy.test.ts.
 *
 * Faults answer with `Retry-After: 0` where they can, so retries cost only the minimum wait
 * (0.25 s, logged as 0.3 s: no server can make the retries a busy loop); network
 * failures have no Retry-After and wait the real backoff (0.5 to 1 s for the first retry).
 */
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, it } from '@jest/globals'
import type { Fault } from '../emulator/server.js'
import { actionDefaults, createRunnerFiles, inputEnv, projectRoot } from '../scripts/lib/runner.js'
import { useEmulator } from './support/emulator.js'
import { expectNoLeaks } from './support/leaks.js'
import { runAction } from './support/run-action.js'
import { errorLines } from './support/workflow-commands.js'

const emulator = useEmulator()

const MINT_PATH = '/v1/organizations/acme/databases/app-db/auth/tokens'
const ROTATE_PATH = '/v1/organizations/acme/databases/app-db/auth/rotate'

function inputs(extra: Record<string, string> = {}): Record<string, string> {
  return { operation: 'create-token', 'api-url': emulator.url, 'api-token': emulator.apiToken, organization: 'acme', database: 'app-db', ...extra }
}

const apiCalls = (): string[] => emulator.requests.filter((r) => r.target === 'api').map((r) => `${r.method} ${r.path}`)
/** The mint requests alone: create-token looks the database up alongside, in no fixed order. */
const mintCalls = (): string[] => apiCalls().filter((call) => call === `POST ${MINT_PATH}`)
const attemptLines = (stdout: string): string[] => stdout.split('\n').filter((line) => line.startsWith('Attempt '))

/** A past HTTP date: honoured with the minimum wait (0.25 s). Were it not read as a date, the backoff would wait at least 0.5 s. */
const PAST_HTTP_DATE = new Date(Date.now() - 60_000).toUTCString()

describe('retryable answers are retried up to `retries` times, each attempt logged with its number', () => {
  it.each<[string, Fault, string]>([
    ['408', { status: 408, headers: { 'retry-after': '0' } }, 'HTTP 408'],
    ['429 with Retry-After in seconds', { status: 429, headers: { 'retry-after': '0' } }, 'HTTP 429'],
    ['429 with Retry-After as an HTTP date', { status: 429, headers: { 'retry-after': PAST_HTTP_DATE } }, 'HTTP 429'],
    ['500', { status: 500, headers: { 'retry-after': '0' } }, 'HTTP 500'],
    ['502', { status: 502, headers: { 'retry-after': '0' } }, 'HTTP 502'],
    ['503', { status: 503, headers: { 'retry-after': '0' } }, 'HTTP 503'],
    ['504', { status: 504, headers: { 'retry-after': '0' } }, 'HTTP 504']
  ])('%s twice, then success: three requests, two numbered log lines, exit 0', async (_label, fault, reason) => {
    emulator.addFault({ ...fault, method: 'POST', path: MINT_PATH, times: 2 })
    const run = await runAction(inputs({ retries: '2' }))
    expect(run.exitCode).toBe(0)
    expect(mintCalls()).toHaveLength(3)
    expect(apiCalls().filter((call) => call.startsWith('GET'))).toEqual(['GET /v1/organizations/acme/databases/app-db'])
    expect(attemptLines(run.stdout)).toEqual([
      `Attempt 1 of 3: POST ${MINT_PATH} failed (${reason}); retrying in 0.3 s`,
      `Attempt 2 of 3: POST ${MINT_PATH} failed (${reason}); retrying in 0.3 s`
    ])
    expect(emulator.verifyDatabaseToken(run.outputs.token, 'app-db', 'acme').valid).toBe(true)
    expectNoLeaks(run, [emulator.apiToken, run.outputs.token])
  })

  it('rotate retries its POST .../auth/rotate the same way', async () => {
    emulator.addFault({ method: 'POST', path: ROTATE_PATH, status: 503, headers: { 'retry-after': '0' } })
    const before = Date.now()
    const run = await runAction(inputs({ operation: 'rotate', mint: 'false', retries: '1' }))
    expect(run.exitCode).toBe(0)
    // The retried rotation succeeded, so its time is reported: an ISO-8601 UTC time within this run.
    expect(run.outputs['rotated-at']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
    expect(Date.parse(run.outputs['rotated-at'])).toBeGreaterThanOrEqual(before)
    expect(Date.parse(run.outputs['rotated-at'])).toBeLessThanOrEqual(Date.now())
    expect(apiCalls()).toEqual(['GET /v1/organizations/acme/databases/app-db', 'GET /v1/organizations/acme/databases', `POST ${ROTATE_PATH}`, `POST ${ROTATE_PATH}`])
    expect(attemptLines(run.stdout)).toEqual([`Attempt 1 of 2: POST ${ROTATE_PATH} failed (HTTP 503); retrying in 0.3 s`])
  })
})

describe('answers that another attempt cannot change are never retried', () => {
  it.each([400, 401, 402, 403, 404, 409, 422])('HTTP %d: exactly one request, no attempt lines, one ::error::', async (status) => {
    // Retry-After does not make these worth another attempt; a 403 with it is a rate limit, so that one goes without.
    const headers: Record<string, string> = status === 403 ? {} : { 'retry-after': '0' }
    emulator.addFault({ method: 'POST', path: MINT_PATH, status, body: JSON.stringify({ error: `emulated ${status}` }), headers, times: 5 })
    const run = await runAction(inputs({ retries: '3' }))
    expect(run.exitCode).toBe(1)
    expect(mintCalls()).toEqual([`POST ${MINT_PATH}`])
    expect(attemptLines(run.stdout)).toEqual([])
    expect(errorLines(run.stdout)).toEqual([expect.stringContaining(`Turso answered HTTP ${status}: emulated ${status}`)])
  })
})

describe('when the retries run out', () => {
  it('a 5xx to the end: ::error:: with the attempt count, Turso\'s message and what to do; exit 1', async () => {
    emulator.addFault({ method: 'POST', path: MINT_PATH, status: 503, body: '{"error":"database shard unavailable"}', headers: { 'retry-after': '0' }, times: 10 })
    const run = await runAction(inputs({ retries: '2' }))
    expect(run.exitCode).toBe(1)
    expect(mintCalls()).toHaveLength(3)
    expect(attemptLines(run.stdout)).toHaveLength(2)
    expect(errorLines(run.stdout)).toEqual([
      "::error::Could not create a token for database 'app-db' in organization 'acme'. Turso answered HTTP 503 to the last of 3 attempts: " +
        'database shard unavailable. Turso had a server error and the retries ran out: re-run the job later; see status.turso.tech.'
    ])
    expect(run.outputs).toEqual({})
    expect(run.summary).toContain('❌ failed')
    expectNoLeaks(run, [emulator.apiToken])
  })

  it('a 429 to the end says it was rate limited and how to get more attempts', async () => {
    emulator.addFault({ method: 'POST', path: MINT_PATH, status: 429, body: '{"error":"rate limit exceeded"}', headers: { 'retry-after': '0' }, times: 10 })
    const run = await runAction(inputs({ retries: '1' }))
    expect(run.exitCode).toBe(1)
    expect(errorLines(run.stdout)).toEqual([
      expect.stringMatching(/to the last of 2 attempts: rate limit exceeded\. Turso is rate limiting this token and the retries ran out: re-run later or raise the retries input\.$/)
    ])
  })

  it('reset connections to the end: retried after a 0.5 to 1 s backoff (no Retry-After to honour), then ::error:: with the count, the cause and what to check', async () => {
    emulator.addFault({ method: 'POST', path: MINT_PATH, reset: true, times: 10 })
    const run = await runAction(inputs({ retries: '1' }))
    expect(run.exitCode).toBe(1)
    expect(mintCalls()).toHaveLength(2)
    expect(attemptLines(run.stdout)).toEqual([
      expect.stringMatching(new RegExp(`^Attempt 1 of 2: POST ${MINT_PATH} failed \\(connection reset\\); retrying in (0\\.[5-9]|1\\.0) s$`))
    ])
    const [error, ...more] = errorLines(run.stdout)
    expect(more).toEqual([])
    expect(error).toContain("::error::Could not create a token for database 'app-db' in organization 'acme': ")
    expect(error).toContain(`POST ${emulator.url}${MINT_PATH} failed after 2 attempts: connection reset`)
    expect(error).toContain('Check that api-url is right and reachable from the runner')
    expectNoLeaks(run, [emulator.apiToken])
  })

  it('nothing listening at api-url: connection refused, with the same guidance', async () => {
    const run = await runAction(inputs({ 'api-url': 'http://127.0.0.1:1', retries: '0' }))
    expect(run.exitCode).toBe(1)
    expect(errorLines(run.stdout)).toEqual([expect.stringMatching(/failed after 1 attempt: connection refused\. Check that api-url/)])
  })
})

/**
 * Worst case of one API call, from src/http/http-client.ts. Each attempt is bounded by `timeout`
 * three times over: connecting, then waiting for the answer's headers, then reading the whole
 * body. undici checks the headers timeout on a coarse clock that can fire up to about 1 s late.
 * Each wait before a retry is the backoff (1 s doubling, with jitter, at most that) or the
 * server's Retry-After, both capped at 30 s. So, for R = retries and T = timeout:
 *
 *   total <= (R + 1) × (3T + 1 s) + Σ_{k=1..R} waitₖ,  waitₖ <= 30 s (and <= 2^(k-1) s without Retry-After)
 *
 * Defaults (R 3, T 30 s): at most 4 × 91 s + 3 × 30 s = 454 s. Through a proxy, connecting to
 * it and its answer to CONNECT add up to 2T + 1 s more per attempt.
 */
describe('the worst case is bounded: (retries + 1) × (3 × timeout + 1 s) + Σ min(30 s, wait)', () => {
  it('every attempt stalls: retries 1, timeout 0.3 s; each timed-out attempt is retried, and it gives up within 2 × (0.9 s + 1 s) + 1 s', async () => {
    emulator.addFault({ method: 'POST', path: MINT_PATH, delayMs: 30_000, times: 5 })
    const run = await runAction(inputs({ retries: '1', timeout: '0.3' }))
    expect(run.exitCode).toBe(1)
    expect(mintCalls()).toHaveLength(2)
    expect(attemptLines(run.stdout)).toEqual([expect.stringMatching(new RegExp(`^Attempt 1 of 2: POST ${MINT_PATH} failed \\(timed out\\); retrying in \\d\\.\\d s$`))])
    expect(errorLines(run.stdout)).toEqual([expect.stringContaining('failed after 2 attempts: timed out')])
    expect(run.elapsedMs).toBeLessThan(2 * (900 + 1000) + 1000)
  })

  it('a huge Retry-After is capped at 30 s: the log announces 30.0 s, not a day', async () => {
    // The bundled action runs as a child process so it can be stopped once it has said how long
    // it will wait; in-process the test would have to sit out the 30 s.
    emulator.addFault({ method: 'POST', path: MINT_PATH, status: 429, headers: { 'retry-after': '86400' } })
    const announced = await firstLineMatching(inputs({ retries: '1' }), /^Attempt 1 of 2: .*$/m)
    expect(announced).toBe(`Attempt 1 of 2: POST ${MINT_PATH} failed (HTTP 429); retrying in 30.0 s`)
  })
})

/** Runs dist/index.js until a stdout line matches, then stops it and returns that line. */
async function firstLineMatching(actionInputs: Record<string, string>, pattern: RegExp): Promise<string> {
  const files = createRunnerFiles()
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...files.env, ...inputEnv(actionInputs, actionDefaults()) }
  const child = spawn(process.execPath, [join(projectRoot, 'dist', 'index.js')], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  const closed = new Promise((resolve) => child.once('close', resolve))
  try {
    return await new Promise<string>((resolve, reject) => {
      let stdout = ''
      const giveUp = setTimeout(() => reject(new Error(`no line matched ${pattern} within 5 s; stdout:\n${stdout}`)), 5000)
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString()
        const match = pattern.exec(stdout)
        if (match !== null) {
          clearTimeout(giveUp)
          resolve(match[0])
        }
      })
      child.on('close', () => {
        clearTimeout(giveUp)
        reject(new Error(`the action exited before a line matched ${pattern}; stdout:\n${stdout}`))
      })
    })
  } finally {
    if (child.exitCode === null) child.kill()
    await closed
    files.remove()
  }
}
