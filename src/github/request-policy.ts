/**
 * Transport policy for GitHub API calls, installed as an Octokit `request`
 * hook: a timeout per attempt, bounded retries of transient failures (network
 * errors, timeouts, 408, 429, 5xx, and 403 secondary rate limits that carry
 * Retry-After) with exponential backoff and jitter, and no redirects, so the
 * Authorization header is never replayed to another URL.
 */
import type { getOctokit } from '@actions/github'
import { backoffMs, retryAfterMs } from '../http/retry-policy.js'
import { redact } from '../runner/secrets.js'
import { serverText } from '../runner/server-text.js'

type GitHubClient = ReturnType<typeof getOctokit>

export interface RequestPolicy {
  /** Extra attempts after the first; 0 disables retrying. */
  retries: number
  /** Time allowed per attempt, in milliseconds. */
  timeoutMs: number
  /** First backoff delay; it doubles on each retry (with jitter). */
  baseDelayMs: number
  log: (message: string) => void
}

/** A failure that has no usable HTTP answer: timeout, unreachable host, or a refused redirect. */
export class GitHubRequestFailure extends Error {
  override readonly name = 'GitHubRequestFailure'

  constructor(
    readonly kind: 'timeout' | 'network' | 'redirect',
    message: string,
    readonly status?: number
  ) {
    super(message)
  }
}

/** The longest Retry-After we honour; longer requests are clamped to this. */
const MAX_RETRY_AFTER_MS = 60_000

export function applyRequestPolicy(client: GitHubClient, policy: RequestPolicy): void {
  const attempts = Math.max(0, Math.floor(policy.retries)) + 1
  client.hook.wrap('request', async (request, options) => {
    for (let attempt = 1; ; attempt++) {
      const signal = AbortSignal.timeout(policy.timeoutMs)
      // before-after-hook binds the inner hooks (auth) to this very `options`
      // object and ignores arguments passed to `request`, so per-attempt
      // settings must be set on it. A new `request` object, because the one
      // there may be the client's shared defaults.
      options.request = { ...options.request, signal, redirect: 'manual' }
      let outcome: AttemptOutcome
      try {
        const response = await request(options)
        if (response.status < 300 || response.status >= 400) return response
        const location = typeof response.headers.location === 'string' ? serverText(redact(response.headers.location), 200) : 'another URL'
        throw new GitHubRequestFailure('redirect', `GitHub redirected the request (HTTP ${response.status}) to ${location}`, response.status)
      } catch (error) {
        outcome = classifyFailure(error, signal, policy.timeoutMs)
      }
      if (!outcome.retryable || attempt >= attempts) throw outcome.error
      const waitMs = outcome.retryAfterMs ?? backoffMs(attempt, { baseDelayMs: policy.baseDelayMs, maxDelayMs: MAX_RETRY_AFTER_MS })
      policy.log(
        `GitHub API ${options.method} ${options.url}: ${outcome.reason}; ` +
          `retrying in ${(waitMs / 1000).toFixed(1)} s (attempt ${attempt + 1} of ${attempts})`
      )
      await new Promise((resolve) => setTimeout(resolve, waitMs))
    }
  })
}

interface AttemptOutcome {
  error: Error
  /** Short description for the retry log line. */
  reason: string
  retryable: boolean
  /** The server's Retry-After; without it we back off exponentially. */
  retryAfterMs?: number
}

interface HttpErrorShape {
  name?: unknown
  status?: unknown
  message?: unknown
  response?: { headers?: Record<string, unknown> }
}

function classifyFailure(error: unknown, signal: AbortSignal, timeoutMs: number): AttemptOutcome {
  if (error instanceof GitHubRequestFailure) return { error, reason: error.message, retryable: false }
  if (signal.aborted) {
    const timeout = new GitHubRequestFailure('timeout', `no answer within ${(timeoutMs / 1000).toFixed(1)} s`)
    return { error: timeout, reason: timeout.message, retryable: true }
  }
  const shape = (typeof error === 'object' && error !== null ? error : {}) as HttpErrorShape
  const headers = shape.response?.headers
  if (headers === undefined) {
    // Octokit reports fetch failures (DNS, refused connection, reset) as an
    // HttpError without a response; anything else is a bug, not a transient failure.
    if (shape.name !== 'HttpError') return { error: toError(error), reason: String(error), retryable: false }
    const message = typeof shape.message === 'string' ? serverText(redact(shape.message)) : 'network error'
    return { error: new GitHubRequestFailure('network', message), reason: message, retryable: true }
  }
  const status = typeof shape.status === 'number' ? shape.status : 0
  const wrapped = toError(error)
  const reason = `HTTP ${status} ${serverText(redact(wrapped.message))}`
  const askedFor = typeof headers['retry-after'] === 'string' ? retryAfterMs(headers['retry-after']) : undefined
  const retryAfter = askedFor === undefined ? undefined : Math.min(askedFor, MAX_RETRY_AFTER_MS)
  const secondaryRateLimit = status === 403 && retryAfter !== undefined
  // A primary rate limit (403 or 429, x-ratelimit-remaining 0) ends at x-ratelimit-reset: worth
  // waiting for only when that is soon; later, the step fails at once and says when it resets.
  const resetInMs = retryAfter === undefined && (status === 403 || status === 429) ? rateLimitResetMs(headers) : undefined
  if (resetInMs !== undefined) {
    return resetInMs <= MAX_RETRY_AFTER_MS
      ? { error: wrapped, reason, retryable: true, retryAfterMs: resetInMs }
      : { error: wrapped, reason, retryable: false }
  }
  if (status === 408 || status === 429 || status >= 500 || secondaryRateLimit) {
    return { error: wrapped, reason, retryable: true, retryAfterMs: retryAfter }
  }
  return { error: wrapped, reason, retryable: false }
}

/** Milliseconds until GitHub's rate limit resets, when the answer says it is used up; undefined otherwise. */
export function rateLimitResetMs(headers: Record<string, unknown>, now = Date.now()): number | undefined {
  if (String(headers['x-ratelimit-remaining']) !== '0') return undefined
  const reset = Number(headers['x-ratelimit-reset'])
  if (!Number.isFinite(reset) || reset <= 0) return undefined
  return Math.max(0, reset * 1000 - now)
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error))
}
