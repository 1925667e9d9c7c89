/**
 * Verification that waits for the database to be ready. Turso documents that a rotation needs
 * "a short downtime" (api-reference/databases/invalidate-tokens) and idle databases take a while
 * to answer their first query, so one failed `SELECT 1` right after minting proves little.
 * This keeps trying until `verify-timeout` while the failure says "not ready yet", and stops at
 * once when it says "this token is wrong". Each attempt sends its requests once (no `retries`):
 * this loop does the retrying, bounded by time rather than by count. The whole phase ends by
 * verify-timeout + one `timeout`: an attempt still under way then (its read and write probes,
 * each of several phases bounded by `timeout`, could otherwise take several times that) is
 * aborted. `retries` keeps its meaning for every other request.
 *
 * Waits: at least MIN_RETRY_WAIT_MS (250 ms) and our backoff (250-500 ms, doubling up to 5 s);
 * a Retry-After may only lengthen a wait, up to what is left of verify-timeout.
 */
import { backoffMs, MIN_RETRY_WAIT_MS } from '../http/retry-policy.js'
import { serverText } from '../runner/server-text.js'
import { TokenVerificationError } from './errors.js'
import { verifyDatabaseToken, type VerifyOptions, type VerifyResult } from './libsql-verify.js'

/** Time as the readiness loop sees it; tests pass a fake one so no test waits for real. */
export interface Clock {
  /** Milliseconds on a monotonic scale. */
  now(): number
  sleep(ms: number): Promise<void>
}

export const systemClock: Clock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms))
}

export interface ReadinessOptions {
  /** verify-timeout: how long to keep trying, in milliseconds. 0 makes one attempt. */
  timeoutMs: number
  /**
   * A rotation ran earlier in this run: a 401/403 on the read check may only mean the new
   * signing key has not reached the database yet, so it is worth another try. Without a
   * rotation the token is simply refused, and waiting would only delay the error.
   */
  afterRotation: boolean
  clock?: Clock
  /** 0..1, for the jitter; injectable so tests are deterministic. */
  random?: () => number
  /** First wait when the database sends no Retry-After; doubles per attempt up to maxDelayMs. */
  baseDelayMs?: number
  maxDelayMs?: number
}

/** Verification gave up because verify-timeout ran out while the database was not ready. */
export class VerificationTimeoutError extends TokenVerificationError {
  constructor(
    readonly lastFailure: TokenVerificationError,
    readonly attempts: number,
    timeoutMs: number
  ) {
    super(
      `The database did not accept the new token within verify-timeout (${formatSeconds(timeoutMs)}, ${attempts} attempt(s)); ` +
        `the last attempt said: ${lastFailure.message}`,
      {
        check: lastFailure.check,
        status: lastFailure.status,
        serverMessage: lastFailure.serverMessage,
        code: lastFailure.code,
        unreachable: lastFailure.unreachable
      }
    )
    this.name = 'VerificationTimeoutError'
  }
}

export const DEFAULT_BASE_DELAY_MS = 500
export const DEFAULT_MAX_DELAY_MS = 5000

/**
 * Why a failure is worth another attempt, in words for the log, or undefined when it is final.
 * 5xx, 408, 429 and no answer at all mean the database is not serving yet; 401/403 on the read
 * check count only after a rotation (the new signing key is still propagating).
 */
export function notReadyReason(error: TokenVerificationError, afterRotation: boolean): string | undefined {
  if (error.unreachable !== undefined) return `no answer: ${serverText(error.unreachable, 120)}`
  const status = error.status
  if (status === undefined) return undefined
  if (status >= 500 || status === 408 || status === 429) return `HTTP ${status}`
  if (afterRotation && error.check === 'read' && (status === 401 || status === 403)) {
    return `HTTP ${status}: the new signing key may not have reached the database yet`
  }
  return undefined
}

/** `verifyDatabaseToken`, repeated with backoff while the database is not ready, until the deadline. */
export async function verifyWhenReady(options: VerifyOptions, readiness: ReadinessOptions): Promise<VerifyResult> {
  const clock = readiness.clock ?? systemClock
  const policy = {
    baseDelayMs: readiness.baseDelayMs ?? DEFAULT_BASE_DELAY_MS,
    maxDelayMs: readiness.maxDelayMs ?? DEFAULT_MAX_DELAY_MS,
    random: readiness.random
  }
  const deadline = clock.now() + readiness.timeoutMs
  const phase = phaseBound(readiness.timeoutMs + options.http.timeoutMs)
  try {
    return await attemptUntil(options, readiness, clock, policy, deadline, phase.signal)
  } finally {
    phase.clear()
  }
}

/**
 * Aborts after `limitMs` of real time: the timer runs on the event loop, as the requests do, even
 * when a test's clock drives the loop's waits.
 */
function phaseBound(limitMs: number): { signal: AbortSignal; clear: () => void } {
  const controller = new AbortController()
  const reason = new Error(`no answer before verify-timeout and one timeout (${formatSeconds(limitMs)} in all) ran out`)
  const timer = setTimeout(() => controller.abort(reason), limitMs)
  return { signal: controller.signal, clear: () => clearTimeout(timer) }
}

async function attemptUntil(
  options: VerifyOptions,
  readiness: ReadinessOptions,
  clock: Clock,
  policy: { baseDelayMs: number; maxDelayMs: number; random?: () => number },
  deadline: number,
  signal: AbortSignal
): Promise<VerifyResult> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await verifyDatabaseToken({ ...options, retries: 0, signal })
    } catch (error) {
      if (!(error instanceof TokenVerificationError)) throw error
      const reason = notReadyReason(error, readiness.afterRotation)
      if (reason === undefined) throw error
      // Once the phase is over, no further attempt: the deadline has passed in real time.
      const left = signal.aborted ? 0 : deadline - clock.now()
      if (left <= 0) {
        if (readiness.timeoutMs === 0) throw error
        throw new VerificationTimeoutError(error, attempt, readiness.timeoutMs)
      }
      // Retry-After is a floor (RFC 9110 lets a client wait longer), and so are our backoff and the
      // minimum wait: a database answering `Retry-After: 0` (or a past date) to every attempt
      // would otherwise be asked again at once, in a tight loop. The deadline caps every wait.
      const backoff = Math.max(MIN_RETRY_WAIT_MS, backoffMs(attempt, policy))
      const asked = (error.retryAfterMs ?? 0) > backoff
      const waitMs = Math.min(asked ? (error.retryAfterMs as number) : backoff, left)
      options.log(
        `Database not ready for the new token (${reason}) on attempt ${attempt}; trying again in ${formatSeconds(waitMs)}` +
          ` (${formatSeconds(left)} left of verify-timeout${asked ? ', as Retry-After asks' : ''})`
      )
      await clock.sleep(waitMs)
    }
  }
}

function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`
}
