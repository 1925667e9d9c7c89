/**
 * Turns a failed GitHub call into a message that says what GitHub answered
 * and what the user should do next (token, permissions, names, a rate limit's end).
 */
import { NetworkError } from '../http/http-client.js'
import { isRateLimited, rateLimitWaitMs } from '../http/retry-policy.js'
import { redact, replaceSecrets } from '../runner/secrets.js'
import { serverText } from '../runner/server-text.js'
import { GitHubAnswerError } from './github-api.js'
import type { SecretScope } from './secret-target.js'

export interface ExplainedFailure {
  message: string
  status?: number
}

/**
 * Turns a failed GitHub call into "what GitHub said. What to do next." `lookedUp` is the
 * `owner/name` of a `secret-repositories` entry when the failed call was its ID lookup. It never
 * tells the reader to run the step again: after a rotation the caller says how to recover.
 */
export function explainFailure(error: unknown, scope: SecretScope, lookedUp?: string, now = Date.now()): ExplainedFailure {
  if (error instanceof NetworkError) {
    // The message names the request and the cause ("timed out", "connection refused", the proxy's refusal).
    return { message: `${serverText(redact(error.message))}. ${networkGuidance(error.reason)}` }
  }
  if (!(error instanceof GitHubAnswerError)) {
    // A 2xx that is not GitHub's answer (no key_id, not JSON): our own words, printed by the rule all the same.
    return { message: serverText(redact(error instanceof Error ? error.message : String(error))) }
  }
  const { status } = error
  const attempts = error.attempts === 1 ? '1 attempt' : `${error.attempts} attempts`
  // GitHub's own words are server text: known secrets starred out after JSON decoding, before the cut.
  const said = `${serverText(redact(error.gitHubMessage))} (HTTP ${status})`
  // Only answers of 300 and above get here (github-api.ts).
  if (status < 400) {
    const location = error.headers.location
    const where = typeof location === 'string' ? serverText(redact(location), 200) : 'another URL'
    return {
      status,
      message: `GitHub redirected the request (HTTP ${status}) to ${where}; redirects are not followed so the token is not sent elsewhere. If the repository was renamed or transferred, use its current owner/name.`
    }
  }
  if (isRateLimited(status, error.headers)) return { status, message: `${said}. ${rateLimitGuidance(error, attempts, now)}` }
  const guidance = lookedUp === undefined ? guidanceFor(status, scope, attempts) : lookupGuidanceFor(status, lookedUp, attempts)
  return { status, message: `${said}. ${guidance}`.trimEnd() }
}

const REACHABLE = 'check that the GitHub API is reachable from the runner (through the proxy, if HTTPS_PROXY or HTTP_PROXY is set).'

function networkGuidance(reason: string): string {
  if (reason.includes('timed out')) return `GitHub did not answer within the timeout input: ${REACHABLE}`
  // The client stops reading at MAX_RESPONSE_BYTES: whatever sent that much is not GitHub's secrets API.
  if (reason.includes('larger than')) return 'No answer of the GitHub secrets API is that large: check that GITHUB_API_URL points at the GitHub API, and what a proxy in between returns.'
  return `GitHub could not be reached: ${REACHABLE}`
}

/** A rate limit is not a permission problem: say so, and when it lifts. */
function rateLimitGuidance(error: GitHubAnswerError, attempts: string, now: number): string {
  const waitMs = rateLimitWaitMs(error.headers, now)
  const lifts =
    waitMs === undefined
      ? 'GitHub did not say when it lifts (usually within the hour)'
      : `it lifts at ${new Date(now + waitMs).toISOString().slice(0, 19)}Z (in ${describeWait(waitMs)})`
  return (
    `GitHub is rate limiting the github-token (still limited after ${attempts}); ${lifts}. ` +
    "This is not a missing permission: the token's permissions need no change."
  )
}

function describeWait(ms: number): string {
  const seconds = Math.ceil(ms / 1000)
  if (seconds < 120) return `${seconds} s`
  return `${Math.ceil(seconds / 60)} min`
}

const REJECTED_TOKEN = 'The github-token was rejected: it is wrong, expired or revoked. Update the github-token input with a valid token.'

function guidanceFor(status: number, scope: SecretScope, attempts: string): string {
  if (status === 401) return REJECTED_TOKEN
  if (status === 403 || status === 404) return `${notFoundHint(status, scope)}${missingPermission(scope)}`
  return transientGuidance(status, attempts)
}

function lookupGuidanceFor(status: number, repository: string, attempts: string): string {
  if (status === 401) return REJECTED_TOKEN
  if (status === 403 || status === 404) {
    return (
      `Check that ${repository} (listed in secret-repositories) exists under that name; GitHub answers 404 for repositories ` +
      'the token cannot see, so the github-token must also be able to read it (a fine-grained token: "Metadata: Read-only" on it).'
    )
  }
  return transientGuidance(status, attempts)
}

function transientGuidance(status: number, attempts: string): string {
  if (status === 408 || status >= 500) {
    return `GitHub still failed after ${attempts}; it may be having an outage (https://www.githubstatus.com).`
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
