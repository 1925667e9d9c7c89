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
