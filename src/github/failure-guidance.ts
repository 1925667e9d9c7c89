/**
 * Turns a failed GitHub call into a message that says what GitHub answered
 * and what the user should do next (token, permissions, names, retry later).
 */
import { redact, replaceSecrets } from '../runner/secrets.js'
import { serverText } from '../runner/server-text.js'
import { GitHubRequestFailure, rateLimitResetMs } from './request-policy.js'
import type { SecretScope } from './secret-target.js'

export interface ExplainedFailure {
  message: string
  status?: number
}

/**
 * Turns an Octokit/transport error into "what GitHub said. What to do next." `lookedUp` is the
 * `owner/name` of a `secret-repositories` entry when the failed call was its ID lookup.
 */
export function explainFailure(error: unknown, scope: SecretScope, retries: number, lookedUp?: string): ExplainedFailure {
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
    response?: { data?: unknown; headers?: Record<string, unknown> }
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
  const resetInMs = status === 403 || status === 429 ? rateLimitResetMs(shape.response?.headers ?? {}) : undefined
  const guidance =
    resetInMs !== undefined
      ? rateLimitGuidance(resetInMs)
      : lookedUp === undefined
        ? guidanceFor(status, scope, attempts)
        : lookupGuidanceFor(status, lookedUp, attempts)
  return { status, message: `${said}. ${guidance}`.trimEnd() }
}

/** Not a permission problem: the token's hourly allowance is spent (x-ratelimit-remaining: 0). */
function rateLimitGuidance(resetInMs: number): string {
  const resetAt = new Date(Date.now() + resetInMs).toISOString().replace(/\.\d{3}Z$/u, 'Z')
  return (
    `GitHub's API rate limit for this github-token is used up; it resets at ${resetAt}. ` +
    'Run the step again after that, or use a token with its own allowance (a GitHub App installation token).'
  )
}

const REJECTED_TOKEN = 'The github-token was rejected: it is wrong, expired or revoked. Update the github-token input with a valid token.'

function guidanceFor(status: number | undefined, scope: SecretScope, attempts: string): string {
  if (status === 401) return REJECTED_TOKEN
  if (status === 403 || status === 404) return `${notFoundHint(status, scope)}${missingPermission(scope)}`
  if (status === 422) return 'GitHub rejected the request; if the public key was just rotated, run the step again.'
  return transientGuidance(status, attempts)
}

function lookupGuidanceFor(status: number | undefined, repository: string, attempts: string): string {
  if (status === 401) return REJECTED_TOKEN
  if (status === 403 || status === 404) {
    return (
      `Check that ${repository} (listed in secret-repositories) exists under that name; GitHub answers 404 for repositories ` +
      'the token cannot see, so the github-token must also be able to read it (a fine-grained token: "Metadata: Read-only" on it).'
    )
  }
  return transientGuidance(status, attempts)
}

function transientGuidance(status: number | undefined, attempts: string): string {
  if (status === 408 || status === 429 || (status !== undefined && status >= 500)) {
    return `GitHub still failed after ${attempts}; try again later.`
  }
  return ''
}

function notFoundHint(status: number, scope: SecretScope): string {
  if (status !== 404) return ''
  switch (scope.kind) {
    case 'organization':
      return `GitHub answers 404 for organizations and secrets the token may not manage, so check both the name ${scope.organization} and the token permissions. `
    case 'environment':
      return `GitHub answers 404 for repositories the token cannot see, so check both the name ${scope.owner}/${scope.repo}, that environment "${scope.environment}" exists, and the token permissions. `
    case 'repository':
      return `GitHub answers 404 for repositories the token cannot see, so check both the name ${scope.owner}/${scope.repo} and the token permissions. `
  }
}

/** The permission each destination needs, for fine-grained tokens, GitHub Apps and classic tokens. */
function missingPermission(scope: SecretScope): string {
  const noGitHubToken = 'The default GITHUB_TOKEN cannot write secrets.'
  switch (scope.kind) {
    case 'repository':
      return scope.type === 'dependabot'
        ? `The github-token lacks permission to write Dependabot secrets: a fine-grained token needs "Dependabot secrets: Read and write" on ${scope.owner}/${scope.repo} ` +
            `(a GitHub App: permission-dependabot-secrets: write), a classic token needs the \`repo\` scope. ${noGitHubToken}`
        : `The github-token lacks permission to write secrets: a fine-grained token needs "Secrets: Read and write" on ${scope.owner}/${scope.repo} ` +
            `(a GitHub App: permission-secrets: write), a classic token needs the \`repo\` scope. ${noGitHubToken}`
    case 'environment':
      return (
        `The github-token lacks permission to write environment secrets: a fine-grained token needs "Secrets: Read and write" and "Environments: Read and write" on ${scope.owner}/${scope.repo} ` +
        `(a GitHub App: permission-secrets: write and permission-environments: write), a classic token needs the \`repo\` scope. ${noGitHubToken}`
      )
    case 'organization': {
      // GitHub's names for the organization permissions: "Secrets" (organization_secrets) and
      // "Organization dependabot secrets" (organization_dependabot_secrets).
      const dependabot = scope.type === 'dependabot'
      const permission = dependabot ? 'Organization dependabot secrets' : 'Secrets'
      const app = dependabot ? 'the organization permission "Organization dependabot secrets: write"' : 'permission-organization-secrets: write'
      return (
        `The github-token lacks permission to write ${dependabot ? 'Dependabot' : 'Actions'} secrets of organization ${scope.organization}: ` +
        `writing organization secrets needs an organization admin's token (a fine-grained token owned by ${scope.organization} with the organization permission "${permission}: Read and write", ` +
        `or a classic token with the \`admin:org\` scope) or a GitHub App installed on the organization with ${app}. ${noGitHubToken}`
      )
    }
  }
}

/** Defence in depth: no message leaves this module carrying the value or the token. */
export function scrub(message: string, ...secrets: string[]): string {
  return replaceSecrets(message, secrets.filter((secret) => secret.length >= 6))
}
