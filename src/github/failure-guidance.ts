/**
 * Turns a failed GitHub call into a message that says what GitHub answered
 * and what the user should do next (token, permissions, names, retry later).
 */
import { redact, replaceSecrets } from '../runner/secrets.js'
import { serverText } from '../runner/server-text.js'
import { GitHubRequestFailure } from './request-policy.js'
import type { SecretTarget } from './secret-target.js'

export interface ExplainedFailure {
  message: string
  status?: number
}

/** Turns an Octokit/transport error into "what GitHub said. What to do next." */
export function explainFailure(error: unknown, target: SecretTarget, retries: number): ExplainedFailure {
  const attempts = `${Math.max(0, Math.floor(retries)) + 1} attempt(s)`
  if (error instanceof GitHubRequestFailure) {
    switch (error.kind) {
      case 'timeout':
        return { message: `${error.message} after ${attempts}. GitHub may be slow or unreachable; try again later.` }
      case 'network':
        return {
          message: `${error.message}. Check that the GitHub API URL is reachable from the runner; ${attempts} made.`
        }
      case 'redirect':
        return {
          status: error.status,
          message: `${error.message}; redirects are not followed so the token is not sent elsewhere. If the repository was renamed or transferred, use its current owner/name.`
        }
    }
  }
  const shape = (typeof error === 'object' && error !== null ? error : {}) as {
    status?: unknown
    message?: unknown
    response?: { data?: unknown }
  }
  const status = typeof shape.status === 'number' ? shape.status : undefined
  const data = shape.response?.data
  // GitHub's own words (or the transport's) are server text: printed only by the one rule,
  // after known secrets are starred out (cut first, an echoed token could lose its tail and escape scrub).
  const gitHubMessage = serverText(redact(
    typeof data === 'object' && data !== null && typeof (data as { message?: unknown }).message === 'string'
      ? (data as { message: string }).message
      : typeof shape.message === 'string'
        ? shape.message
        : String(error)
  ))
  const said = status === undefined ? gitHubMessage : `${gitHubMessage} (HTTP ${status})`
  return { status, message: `${said}. ${guidanceFor(status, target, attempts)}`.trimEnd() }
}

function guidanceFor(status: number | undefined, target: SecretTarget, attempts: string): string {
  const environment = target.environment !== undefined
  if (status === 401) {
    return 'The github-token was rejected: it is wrong, expired or revoked. Update the github-token input with a valid token.'
  }
  if (status === 403 || status === 404) {
    const notFound =
      status === 404
        ? `GitHub answers 404 for repositories the token cannot see, so check both the name ${target.repository}` +
          (environment ? `, that environment "${target.environment}" exists,` : '') +
          ' and the token permissions. '
        : ''
    return (
      `${notFound}The github-token lacks permission to write secrets: a fine-grained token needs ` +
      `"Secrets: Read and write"${environment ? ' and "Environments: Read and write"' : ''} on ${target.repository}, ` +
      'a classic token needs the `repo` scope. The default GITHUB_TOKEN cannot write secrets.'
    )
  }
  if (status === 422) return 'GitHub rejected the request; if the public key was just rotated, run the step again.'
  if (status === 408 || status === 429 || (status !== undefined && status >= 500)) {
    return `GitHub still failed after ${attempts}; try again later.`
  }
  return ''
}

/** Defence in depth: no message leaves this module carrying the value or the token. */
export function scrub(message: string, ...secrets: string[]): string {
  return replaceSecrets(message, secrets.filter((secret) => secret.length >= 6))
}
