/**
 * How long a retry waits for a Retry-After value, and the words a retry line uses for a transport
 * failure: the cases retry-policy.test.ts left open (several digits, a two-digit fraction, values
 * Date.parse would read as a date in 2001, each transport code, a failure without a message).
 */
import { describe, expect, it } from '@jest/globals'
import { describeFailure, retryAfterMs, undiciRetryDecision, type RetryEvent } from '../src/http/retry-policy.js'

const NOW = Date.parse('2026-01-01T00:00:00Z')

describe('Retry-After as delta-seconds', () => {
  it.each([
    ['120', 120_000],
    ['0.25', 250],
    ['12.75', 12_750]
  ])('reads %j as %d ms', (header, expected) => {
    expect(retryAfterMs(header, NOW)).toBe(expected)
  })
})

describe('Retry-After that is neither delta-seconds nor an HTTP date is unreadable (our own backoff applies)', () => {
  it.each(['-5', '1 2', '1.', '120abc', '3e2', '0x10', '2026-01-01T00:00:03Z', ', 01 Jan 2026', 'Thu, the day after'])('%j', (header) => {
    expect(retryAfterMs(header, NOW)).toBeUndefined()
  })
})

describe('Retry-After in each HTTP-date form', () => {
  it.each([
    ['IMF-fixdate', 'Thu, 01 Jan 2026 00:00:07 GMT', 7000],
    ['RFC 850', 'Thursday, 01-Jan-26 00:00:07 GMT', 7000],
    ['asctime', 'Thu Jan  1 00:00:07 2026', undefined]
  ])('%s', (_form, header, expected) => {
    // asctime carries no zone; Date.parse reads it as local time, so only its being read is pinned.
    if (expected === undefined) expect(retryAfterMs(header, NOW)).toEqual(expect.any(Number))
    else expect(retryAfterMs(header, NOW)).toBe(expected)
  })
})

describe('a transport failure in words', () => {
  it.each([
    ['UND_ERR_HEADERS_TIMEOUT', 'Headers Timeout Error', 'timed out'],
    ['UND_ERR_BODY_TIMEOUT', 'Body Timeout Error', 'timed out'],
    ['UND_ERR_CONNECT_TIMEOUT', 'Connect Timeout Error', 'timed out'],
    ['ECONNRESET', 'read ECONNRESET', 'connection reset'],
    ['UND_ERR_SOCKET', 'other side closed', 'connection reset'],
    ['ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:1', 'connection refused'],
    ['ENOTFOUND', 'getaddrinfo ENOTFOUND api.turso.tech', 'host not found'],
    ['EAI_AGAIN', 'getaddrinfo EAI_AGAIN api.turso.tech', 'host not found']
  ])('%s (with the message %j) is %j', (code, message, words) => {
    expect(describeFailure({ code, message })).toBe(words)
  })

  it('any other code is described by its message', () => {
    expect(describeFailure({ code: 'EPROTO', message: 'write EPROTO wrong version number' })).toBe('write EPROTO wrong version number')
  })

  it.each([
    ['no message', { code: 'EPROTO' }, 'EPROTO'],
    ['an empty message', { code: 'EPROTO', message: '' }, 'EPROTO'],
    ['neither a message nor a code', {}, 'network error']
  ])('%s: falls back to the code, then to "network error"', (_case, failure, words) => {
    expect(describeFailure(failure)).toBe(words)
  })

  it('a retried timeout is logged as "timed out"', async () => {
    const events: RetryEvent[] = []
    const decision = undiciRetryDecision({ retries: 1, baseDelayMs: 1, maxDelayMs: 1, random: () => 0, onRetry: (event) => events.push(event) })
    const err = Object.assign(new Error('Connect Timeout Error'), { code: 'UND_ERR_CONNECT_TIMEOUT' })
    await new Promise<void>((resolve) => decision(err, { state: { counter: 1 }, opts: { method: 'GET', path: '/v1/x' } } as never, () => resolve()))
    expect(events.map((event) => event.reason)).toEqual(['timed out'])
  })
})
