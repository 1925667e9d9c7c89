/**
 * Issue 18, item 11: `Retry-After: 0` (or a date already past) on a database 503 made verify ask
 * again at once: 1,451 requests in a 3 s verify-timeout. Every retry now waits at least
 * MIN_RETRY_WAIT_MS (250 ms); the HTTP client caps a Retry-After wait at maxDelayMs (30 s by
 * default); the readiness loop waits at least its own backoff (Retry-After may only lengthen it)
 * and never past verify-timeout.
 */
import { describe, expect, it } from '@jest/globals'
import { HttpClient } from '../src/http/http-client.js'
import { MIN_RETRY_WAIT_MS, retryAfterWaitMs, undiciRetryDecision, type RetryEvent } from '../src/http/retry-policy.js'
import { USER_AGENT } from '../src/version.js'
import { verifyWhenReady } from '../src/verify/readiness.js'
import { useClockedEmulator } from './support/emulator.js'
import { FakeClock } from './support/fake-clock.js'

const clock = new FakeClock()
let log: string[] = []
const { emulator } = useClockedEmulator(clock, (line) => log.push(line))

describe('the wait a Retry-After earns', () => {
  it('is the minimum for 0, a fraction under it, or a past date; as asked above it; capped at maxDelayMs', () => {
    expect(MIN_RETRY_WAIT_MS).toBe(250)
    expect(retryAfterWaitMs(0, 30_000)).toBe(250)
    expect(retryAfterWaitMs(100, 30_000)).toBe(250)
    expect(retryAfterWaitMs(250, 30_000)).toBe(250)
    expect(retryAfterWaitMs(1000, 30_000)).toBe(1000)
    expect(retryAfterWaitMs(3_600_000, 30_000)).toBe(30_000)
  })

  it.each([['0'], ['0.1'], ['Thu, 01 Jan 2015 00:00:00 GMT']])('undici is told to wait 250 ms for Retry-After %j', async (header) => {
    const events: RetryEvent[] = []
    const decision = undiciRetryDecision({ retries: 3, baseDelayMs: 1, maxDelayMs: 30_000, random: () => 0, onRetry: (event) => events.push(event) })
    const err = Object.assign(new Error('failed'), { statusCode: 503, headers: { 'retry-after': header } })
    await new Promise<void>((resolve) => decision(err, { state: { counter: 1 }, opts: { method: 'POST', path: '/v2/pipeline' } } as never, () => resolve()))
    expect(events.map((event) => event.delayMs)).toEqual([250])
  })
})

describe('the HTTP client and `Retry-After: 0`', () => {
  it('waits the minimum between attempts, and says so', async () => {
    const lines: string[] = []
    const http = new HttpClient({ timeoutMs: 2000, retries: 2, baseDelayMs: 1, userAgent: USER_AGENT, log: (line) => lines.push(line) })
    try {
      emulator.addFault({ method: 'GET', path: '/v1/organizations/acme/databases/app-db', status: 503, headers: { 'retry-after': '0' }, times: 2 })
      const started = performance.now()
      const response = await http.send({ method: 'GET', url: new URL(`${emulator.url}/v1/organizations/acme/databases/app-db`), headers: { authorization: `Bearer ${emulator.apiToken}` } })
      expect(response.status).toBe(200)
      expect(performance.now() - started).toBeGreaterThanOrEqual(2 * MIN_RETRY_WAIT_MS - 20)
      expect(lines).toEqual([
        'Attempt 1 of 3: GET /v1/organizations/acme/databases/app-db failed (HTTP 503); retrying in 0.3 s',
        'Attempt 2 of 3: GET /v1/organizations/acme/databases/app-db failed (HTTP 503); retrying in 0.3 s'
      ])
    } finally {
      await http.close()
    }
  })
})

describe('verify against a database that answers 503 with `Retry-After: 0` to every attempt', () => {
  async function verifyFor(timeoutMs: number, baseDelayMs?: number, retryAfter = '0'): Promise<number> {
    clock.time += 3_600_000
    clock.sleeps = []
    log = []
    emulator.clearFaults()
    const mint = await fetch(`${emulator.url}/v1/organizations/acme/databases/app-db/auth/tokens`, { method: 'POST', headers: { authorization: `Bearer ${emulator.apiToken}` } })
    const token = ((await mint.json()) as { jwt: string }).jwt
    emulator.clearRequests()
    // More than a busy loop would use up, so a loop without a minimum wait shows in the count.
    emulator.addFault({ target: 'libsql', path: '/v2/pipeline', status: 503, headers: { 'retry-after': retryAfter }, times: 200 })
    const http = new HttpClient({ timeoutMs: 2000, retries: 0, userAgent: USER_AGENT, log: (line) => log.push(line) })
    try {
      await verifyWhenReady(
        { hostname: emulator.hostnameOf('app-db', 'acme'), token, checkWrite: false, http, log: (line) => log.push(line) },
        { timeoutMs, afterRotation: false, clock, random: () => 0, baseDelayMs }
      ).catch(() => undefined)
    } finally {
      await http.close()
    }
    return emulator.requests.filter((request) => request.target === 'libsql').length
  }

  it('backs off as without Retry-After: 3 s of verify-timeout take 5 attempts, not hundreds', async () => {
    expect(await verifyFor(3000)).toBe(5)
    // 250, 500, 1000, 1000 (what was left), with jitter 0: our backoff, Retry-After does not shorten it.
    expect(clock.sleeps).toEqual([250, 500, 1000, 1250])
    expect(log.filter((line) => line.includes('as Retry-After asks'))).toEqual([])
  })

  it('keeps the minimum even when the backoff is configured shorter', async () => {
    expect(await verifyFor(1000, 2)).toBe(5)
    expect(clock.sleeps).toEqual([250, 250, 250, 250])
  })

  it('a Retry-After equal to the backoff is the backoff, not a wait "as Retry-After asks"; a longer one is', async () => {
    await verifyFor(600, undefined, '0.25')
    expect(clock.sleeps).toEqual([250, 350])
    expect(log.filter((line) => line.includes('as Retry-After asks'))).toEqual([])
    await verifyFor(600, undefined, '0.3')
    expect(clock.sleeps).toEqual([300, 300])
    expect(log.filter((line) => line.startsWith('Database not ready'))[0]).toContain('trying again in 0.3 s (0.6 s left of verify-timeout, as Retry-After asks)')
  })
})

