/** Raised for every failure to store a GitHub secret (any destination); the message says what failed and what to do. */
export class GitHubSecretError extends Error {
  override readonly name = 'GitHubSecretError'

  constructor(
    message: string,
    /** HTTP status GitHub answered with, when there was an answer. */
    readonly status?: number,
    /** The action input at fault, when the problem is a value checked before any request. */
    readonly input?: string
  ) {
    super(message)
  }
}

/**
 * Some destinations hold the new value and some do not. Callers that would withdraw the value on a
 * failed delivery must not: `written` destinations already rely on it. Here rather than in
 * secret-fanout.ts, so rotate-api-token can test for it without loading the fan-out at start-up.
 */
export class PartialSecretWriteError extends GitHubSecretError {
  constructor(
    message: string,
    /** How many destinations hold the new value. */
    readonly written: number
  ) {
    super(message)
  }
}
