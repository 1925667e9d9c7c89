import type { RetryHandler } from 'undici'
import { serverText } from '../runner/server-text.js'

/** Status codes worth another attempt: the request may succeed if sent again later. */
export const RETRYABLE_STATUS_CODES = [408, 429, 500, 502, 503, 504]

/** Transport failures worth another attempt (undici's own codes and the usual socket errors). */
export const RETRYABLE_ERROR_CODES = [
  'ECONNRESET',
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETDOWN',
  'ENETUNREACH',
  'EHOSTDOWN',
  'EHOSTUNREACH',
  'EPIPE',
  'ETIMEDOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT'
]

/**
 * The shortest wait a server can ask for: `Retry-After: 0`, a date in the past or a rate limit
 * that has just reset still wait this long, so a server cannot turn the retries into a busy loop.
 */
export const MIN_RETRY_WAIT_MS = 250

/** The longest wait between two attempts (HttpClient's default `maxDelayMs`), whatever a server asks for. */
export const MAX_RETRY_WAIT_MS = 30_000

export interface RetryPolicy {
  /** Retries after the first attempt. */
  retries: number
  /** Delay before the first retry; doubles each time. */
  baseDelayMs: number
  /** Upper bound for one wait, whether computed or asked for by Retry-After. */
  maxDelayMs: number
  /** Lower bound for a wait the server asks for; default MIN_RETRY_WAIT_MS. */
  minDelayMs?: number
  /** Told about each retry before the wait starts. */
  onRetry: (event: RetryEvent) => void
  /** 0..1; injectable so tests are deterministic. */
  random?: () => number
}

export interface RetryEvent {
  /** The attempt that is about to be made (2 for the first retry). */
  attempt: number
  totalAttempts: number
  method: string
  path: string
  /** HTTP status of the failed attempt; absent when no answer arrived. */
  status?: number
  reason: string
  delayMs: number
}

/** Reads Retry-After as delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(header: string | string[] | undefined, now = Date.now()): number | undefined {
  const value = (Array.isArray(header) ? header[0] : header)?.trim()
  if (value === undefined) return undefined
  // Delta-seconds; a decimal is not in the RFC but is read as seconds too, never as a date.
  if (/^\d+(?:\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000)
  // All three HTTP-date forms start with a day name ("Sun, 06 Nov 1994 …", "Sunday, 06-Nov-94 …",
  // "Sun Nov  6 …"). Date.parse alone reads "-5" or "1 2" as dates in 2001: that is garbage, not
  // "retry now", so it falls back to our own backoff.
  if (!/^[A-Za-z]{3,9},? /u.test(value)) return undefined
  const date = Date.parse(value)
  if (Number.isNaN(date)) return undefined
  return Math.max(0, date - now)
}

/**
 * The wait a Retry-After of `askedForMs` earns: never under `minDelayMs` (MIN_RETRY_WAIT_MS: a
 * database 503 with `Retry-After: 0` once drew 1,451 requests in a 3 s verify-timeout), never over
 * `maxDelayMs` (the HTTP client's cap, MAX_RETRY_WAIT_MS by default, so a server cannot park the step).
 */
export function retryAfterWaitMs(askedForMs: number, maxDelayMs: number, minDelayMs: number = MIN_RETRY_WAIT_MS): number {
  return Math.min(maxDelayMs, Math.max(minDelayMs, askedForMs))
}

function firstHeader(header: string | string[] | undefined): string | undefined {
  return (Array.isArray(header) ? header[0] : header)?.trim() || undefined
}

/**
 * A rate limit rather than a refusal: 429, or a 403 that carries `retry-after` (GitHub's secondary
 * limits) or `x-ratelimit-remaining: 0` (GitHub's primary limit). Such a 403 is not a missing
 * permission, and is retried like a 429.
 */
export function isRateLimited(status: number, headers: Record<string, string | string[] | undefined> = {}): boolean {
  if (status === 429) return true
  return status === 403 && (firstHeader(headers['retry-after']) !== undefined || firstHeader(headers['x-ratelimit-remaining']) === '0')
}

/**
 * How long until a rate limit lifts: `retry-after`, else `x-ratelimit-reset` (epoch seconds, as
 * GitHub sends it); undefined when neither is readable.
 */
export function rateLimitWaitMs(headers: Record<string, string | string[] | undefined> = {}, now = Date.now()): number | undefined {
  const askedFor = retryAfterMs(headers['retry-after'], now)
  if (askedFor !== undefined) return askedFor
  const reset = firstHeader(headers['x-ratelimit-reset'])
  if (reset === undefined || !/^\d+$/.test(reset)) return undefined
  return Math.max(0, Number(reset) * 1000 - now)
}

/** Exponential backoff with "equal jitter": half fixed, half random, so retries never bunch up. */
export function backoffMs(retryNumber: number, policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs' | 'random'>): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retryNumber - 1))
  const random = policy.random ?? Math.random
  return Math.round(exponential / 2 + (exponential / 2) * random())
}

interface RetryableFailure {
  statusCode?: number
  code?: string
  headers?: Record<string, string | string[] | undefined>
  message?: string
}

function isRetryable(failure: RetryableFailure): boolean {
  if (failure.statusCode === undefined) return failure.code !== undefined && RETRYABLE_ERROR_CODES.includes(failure.code)
  return RETRYABLE_STATUS_CODES.includes(failure.statusCode) || isRateLimited(failure.statusCode, failure.headers)
}

/**
 * Builds the decision function for undici's retry interceptor. undici counts the failed
 * attempts in `state.counter` (1 after the first failure) and does the waiting and re-sending;
 * we decide whether to retry, how long to wait, and log each attempt with its number.
 */
export function undiciRetryDecision(policy: RetryPolicy): RetryHandler.RetryCallback {
  return (err, { state, opts }, callback) => {
    const failure = err as RetryableFailure
    const retryNumber = state.counter
    if (!isRetryable(failure) || retryNumber > policy.retries) {
      callback(err)
      return
    }
    // GitHub sends x-ratelimit-reset on every answer: it is a wait only when the answer is a rate
    // limit without a Retry-After of its own.
    const retryAfter = failure.statusCode === undefined ? undefined : retryAfterMs(failure.headers?.['retry-after'])
    const untilReset =
      retryAfter === undefined && failure.statusCode !== undefined && isRateLimited(failure.statusCode, failure.headers)
        ? rateLimitWaitMs(failure.headers)
        : undefined
    // A primary limit that resets after the longest wait the action ever makes (GitHub's hourly
    // allowance) is not worth a retry that will be refused too: fail now; the error says when it lifts.
    if (untilReset !== undefined && untilReset > MAX_RETRY_WAIT_MS) {
      callback(err)
      return
    }
    const askedFor = retryAfter ?? untilReset
    const delayMs =
      askedFor !== undefined
        ? retryAfterWaitMs(askedFor, policy.maxDelayMs, policy.minDelayMs)
        : backoffMs(retryNumber, policy)
    policy.onRetry({
      attempt: retryNumber + 1,
      totalAttempts: policy.retries + 1,
      method: opts.method,
      path: opts.path.split('?')[0],
      status: failure.statusCode,
      reason: describeFailure(failure),
      delayMs
    })
    setTimeout(() => callback(null), delayMs)
  }
}

export function describeFailure(failure: RetryableFailure): string {
  if (failure.statusCode !== undefined) {
    return isRateLimited(failure.statusCode, failure.headers) && failure.statusCode !== 429
      ? `HTTP ${failure.statusCode}, rate limited`
      : `HTTP ${failure.statusCode}`
  }
  switch (failure.code) {
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return 'timed out'
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return 'connection reset'
    case 'ECONNREFUSED':
      return 'connection refused'
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host not found'
    default:
      // undici's message says more than its code (e.g. "Proxy response (407) !== 200 when HTTP Tunneling").
      // It can quote the far end (a certificate's names, a proxy's answer): printed by the server-text rule.
      return failure.message !== undefined && failure.message !== '' ? serverText(failure.message) : (failure.code ?? 'network error')
  }
}
