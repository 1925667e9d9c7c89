/**
 * The one error type token verification throws. Its message says what failed and
 * what to do next; it never carries the token or anything derived from it (every
 * server-supplied text is passed through `sanitizeServerText` first, and no
 * lower-level error is attached as `cause`).
 */

/** Which part of the verification failed. */
export type VerificationCheck = 'hostname' | 'token' | 'read' | 'write'

export interface TokenVerificationDetails {
  check: VerificationCheck
  /** HTTP status of the last response, when there was one. */
  status?: number
  /** The server's own error text (sanitized, truncated), when it gave one. */
  serverMessage?: string
  /** Hrana error code such as `SQLITE_READONLY`, when the server gave one. */
  code?: string
  /** Why no answer came back (e.g. "connection refused", "timed out"): the database may not be up yet. */
  unreachable?: string
  /** The server's Retry-After, in milliseconds, when it sent one. */
  retryAfterMs?: number
}

export class TokenVerificationError extends Error {
  readonly check: VerificationCheck
  readonly status?: number
  readonly serverMessage?: string
  readonly code?: string
  readonly unreachable?: string
  readonly retryAfterMs?: number

  constructor(message: string, details: TokenVerificationDetails) {
    super(message)
    this.name = 'TokenVerificationError'
    this.check = details.check
    this.status = details.status
    this.serverMessage = details.serverMessage
    this.code = details.code
    this.unreachable = details.unreachable
    this.retryAfterMs = details.retryAfterMs
  }
}
