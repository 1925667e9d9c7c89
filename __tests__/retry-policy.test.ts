/**
 * The shared retry policy (src/http/retry-policy.ts) on its own: how long a Retry-After asks
 * for, the backoff with jitter, and the decision handed to undici's retry interceptor.
 * (The end-to-end retries through HttpClient are exercised in verify-client and the
 * operation tests.)
 */
import { describe, expect, it } from '@jest/globals'
import {
  backoffMs,
  describeFailure,
  isRateLimited,
  MIN_RETRY_WAIT_MS,
  rateLimitWaitMs,
  retryAfterMs,
  undiciRetryDecision,
  type RetryEvent
} from '../src/http/retry-policy.js'

const NOW = Date.parse('2026-01-01T00:00:00Z')

describe('retryAfterMs', () => {
  it.each([
    ['2', 2000],
    ['0', 0],
    [' 5 ', 5000],
    ['1.5', 1500],
    ['Thu, 01 Jan 2026 00:00:03 GMT', 3000],
    ['Wed, 31 Dec 2025 00:00:00 GMT', 0]
  ])('reads %j as %d ms', (header, expected) => {
    expect(retryAfterMs(header, NOW)).toBe(expected)
  })

  it('takes the first of repeated headers', () => {
    expect(retryAfterMs(['3', '9'], NOW)).toBe(3000)
  })

  it.each([[undefined], [''], ['  '], ['soon']])('has no answer for %j', (header) => {
    expect(retryAfterMs(header, NOW)).toBeUndefined()
  })
})

describe('backoffMs', () => {
  const policy = { baseDelayMs: 500, maxDelayMs: 5000 }

  it('waits between half and all of a doubling delay', () => {
    expect(backoffMs(1, { ...policy, random: () => 0 })).toBe(250)
    expect(backoffMs(1, { ...policy, random: () => 1 })).toBe(500)
    expect(backoffMs(3, { ...policy, random: () => 0 })).toBe(1000)
    expect(backoffMs(3, { ...policy, random: () => 0.5 })).toBe(1500)
  })

  it('never waits longer than maxDelayMs', () => {
    expect(backoffMs(10, { ...policy, random: () => 1 })).toBe(5000)
  })
})

describe('undiciRetryDecision', () => {
  interface Failure {
    statusCode?: number
    code?: string
    headers?: Record<string, string>
  }

  /** Runs the decision once for a failure after `failedAttempts` attempts; resolves with what it told undici. */
  function decide(failure: Failure, failedAttempts: number, retries = 2, maxDelayMs = 20, minDelayMs?: number) {
    const events: RetryEvent[] = []
    const decision = undiciRetryDecision({ retries, baseDelayMs: 8, maxDelayMs, minDelayMs, random: () => 1, onRetry: (event) => events.push(event) })
    const err = Object.assign(new Error('failed'), failure)
    return new Promise<{ result: Error | null | undefined; events: RetryEvent[] }>((resolve) => {
      decision(err, { state: { counter: failedAttempts }, opts: { method: 'POST', path: '/v2/pipeline?x=1' } }, (result) => resolve({ result, events }))
    }).then((outcome) => ({ ...outcome, err }))
  }

  it('retries a 503 after the Retry-After wait, capped at maxDelayMs, and reports the attempt', async () => {
    const { result, events } = await decide({ statusCode: 503, headers: { 'retry-after': '3600' } }, 1)
    expect(result).toBeNull()
    expect(events).toEqual([{ attempt: 2, totalAttempts: 3, method: 'POST', path: '/v2/pipeline', status: 503, reason: 'HTTP 503', delayMs: 20 }])
  })

  it('keeps a minimum wait when a Retry-After date has already passed (no busy loop)', async () => {
    const { result, events } = await decide({ statusCode: 429, headers: { 'retry-after': 'Thu, 01 Jan 2015 00:00:00 GMT' } }, 1, 2, 20, 5)
    expect(result).toBeNull()
    expect(events.map((event) => event.delayMs)).toEqual([5])
  })

  it('keeps the default minimum wait for Retry-After: 0, still within the cap', async () => {
    expect((await decide({ statusCode: 503, headers: { 'retry-after': '0' } }, 1, 2, 60_000)).events.map((event) => event.delayMs)).toEqual([
      MIN_RETRY_WAIT_MS
    ])
    expect((await decide({ statusCode: 503, headers: { 'retry-after': '0' } }, 1, 2, 20)).events.map((event) => event.delayMs)).toEqual([20])
  })

  it('retries a GitHub primary rate limit (403, x-ratelimit-remaining: 0) that lifts within 30 s, within the cap; one that lifts later fails at once', async () => {
    const resetIn = (seconds: number) => String(Math.floor(Date.now() / 1000) + seconds)
    const later = await decide({ statusCode: 403, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': resetIn(3600) } }, 1)
    expect(later.result).not.toBeNull()
    expect(later.events).toEqual([])
    const withinCap = await decide({ statusCode: 403, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': resetIn(25) } }, 1)
    expect(withinCap.result).toBeNull()
    expect(withinCap.events).toEqual([expect.objectContaining({ status: 403, reason: 'HTTP 403, rate limited', delayMs: 20 })])
    const lifting = await decide({ statusCode: 403, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': resetIn(2) } }, 1, 2, 60_000, 1)
    expect(lifting.events[0]?.delayMs).toBeGreaterThan(500)
    expect(lifting.events[0]?.delayMs).toBeLessThanOrEqual(2000)
  })

  it('retries a GitHub secondary rate limit (403 with retry-after) after the asked wait', async () => {
    const { result, events } = await decide({ statusCode: 403, headers: { 'retry-after': '0.012' } }, 1)
    expect(result).toBeNull()
    expect(events.map((event) => event.delayMs)).toEqual([20])
    expect((await decide({ statusCode: 403, headers: { 'retry-after': '0.012' } }, 1, 2, 60_000, 1)).events.map((event) => event.delayMs)).toEqual([12])
  })

  it('ignores x-ratelimit-reset on an answer that is not a rate limit: a 500 backs off on its own', async () => {
    const { events } = await decide({ statusCode: 500, headers: { 'x-ratelimit-remaining': '4999', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 5) } }, 1, 2, 60_000)
    expect(events.map((event) => event.delayMs)).toEqual([8])
  })

  it('backs off on its own when a 5xx gives no Retry-After', async () => {
    const { events } = await decide({ statusCode: 500 }, 2)
    expect(events.map((event) => [event.attempt, event.delayMs])).toEqual([[3, 16]])
  })

  it('retries a refused connection, which has no status', async () => {
    const { result, events } = await decide({ code: 'ECONNREFUSED' }, 1)
    expect(result).toBeNull()
    expect(events).toEqual([expect.objectContaining({ status: undefined, reason: 'connection refused', delayMs: 8 })])
  })

  it.each([
    ['a 401', { statusCode: 401 }],
    ['a 404', { statusCode: 404 }],
    ['a 403 without rate-limit headers (a missing permission)', { statusCode: 403, headers: { 'x-ratelimit-remaining': '12' } }],
    ['a 307 redirect', { statusCode: 307 }],
    ['an unknown transport error', { code: 'EPROTO' }]
  ])('hands %s straight back', async (_label, failure) => {
    const { result, events, err } = await decide(failure, 1)
    expect(result).toBe(err)
    expect(events).toEqual([])
  })

  it('stops once the retries are used up', async () => {
    const { result, events, err } = await decide({ statusCode: 503 }, 3, 2)
    expect(result).toBe(err)
    expect(events).toEqual([])
  })
})

describe('rate limits', () => {
  it.each([
    [429, {}, true],
    [403, { 'retry-after': '60' }, true],
    [403, { 'x-ratelimit-remaining': '0' }, true],
    [403, { 'x-ratelimit-remaining': ['0', '5'] }, true],
    [403, { 'x-ratelimit-remaining': '1' }, false],
    [403, { 'retry-after': '' }, false],
    [403, {}, false],
    [404, { 'x-ratelimit-remaining': '0' }, false],
    [503, { 'retry-after': '5' }, false]
  ])('HTTP %d with %j is a rate limit: %s', (status, headers, expected) => {
    expect(isRateLimited(status, headers)).toBe(expected)
  })

  it('lifts after retry-after, else at x-ratelimit-reset (epoch seconds), never in the past', () => {
    expect(rateLimitWaitMs({ 'retry-after': '7', 'x-ratelimit-reset': String(NOW / 1000 + 100) }, NOW)).toBe(7000)
    expect(rateLimitWaitMs({ 'x-ratelimit-reset': String(NOW / 1000 + 100) }, NOW)).toBe(100_000)
    expect(rateLimitWaitMs({ 'x-ratelimit-reset': String(NOW / 1000 - 100) }, NOW)).toBe(0)
    expect(rateLimitWaitMs({ 'x-ratelimit-reset': 'soon' }, NOW)).toBeUndefined()
    expect(rateLimitWaitMs({ 'x-ratelimit-reset': '12.5' }, NOW)).toBeUndefined()
    expect(rateLimitWaitMs({}, NOW)).toBeUndefined()
  })

  it('a rate-limited 403 is described as such; a plain one as its status', () => {
    expect(describeFailure({ statusCode: 403, headers: { 'x-ratelimit-remaining': '0' } })).toBe('HTTP 403, rate limited')
    expect(describeFailure({ statusCode: 403 })).toBe('HTTP 403')
    expect(describeFailure({ statusCode: 429 })).toBe('HTTP 429')
  })
})
