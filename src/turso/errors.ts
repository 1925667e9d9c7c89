import type { NetworkError } from '../http/http-client.js'
import { redact } from '../runner/secrets.js'
import { serverText } from '../runner/server-text.js'

/** What a failed call was trying to do, in words a person reads in the log. */
export interface Attempt {
  /** e.g. "create a token for database 'app-db' in organization 'acme'" */
  action: string
  /** What a 404 means for this call, e.g. "database 'app-db' was not found in organization 'acme'". */
  notFound: string
  /** What a 403 means for this call, when it means more than a missing scope. */
  forbidden?: string
  /** What a 409 means for this call, when more than a passing conflict. */
  conflict?: string
  /** The scope a group-scoped API token needs for this call (`read`, `db:mint-token`, …), named on a 403. */
  scope?: string
}

/** Turso answered, but not with success. */
export class TursoApiError extends Error {
  constructor(
    readonly status: number,
    /** Turso's own `error` text, already cleaned for printing. */
    readonly apiMessage: string,
    readonly attempt: Attempt,
    readonly attempts: number
  ) {
    super(formatApiError(status, apiMessage, attempt, attempts))
    this.name = 'TursoApiError'
  }
}

/** No usable answer came back after every attempt: no connection, timeouts, resets, an oversized body. */
export class TursoNetworkError extends Error {
  constructor(
    readonly networkError: NetworkError,
    readonly attempt: Attempt
  ) {
    super(
      `Could not ${attempt.action}: ${networkError.message}. Check that api-url is right and reachable from the runner ` +
        '(and HTTPS_PROXY / NO_PROXY when a proxy is in the way); on a slow network raise timeout or retries.'
    )
    this.name = 'TursoNetworkError'
  }
}

/** Turso answered with something that is not the documented success body. */
export class UnexpectedResponseError extends Error {
  constructor(attempt: Attempt, problem: string) {
    super(`Could not ${attempt.action}: ${problem}. This is not a documented Turso answer; check api-url and try again.`)
    this.name = 'UnexpectedResponseError'
  }
}

function formatApiError(status: number, apiMessage: string, attempt: Attempt, attempts: number): string {
  // After retries, say how many: "retries ran out" in the next step means little without it.
  const answered = attempts > 1 ? `Turso answered HTTP ${status} to the last of ${attempts} attempts` : `Turso answered HTTP ${status}`
  const said = apiMessage === '' ? answered : `${answered}: ${apiMessage}`
  return `Could not ${attempt.action}. ${said}. ${nextStep(status, attempt)}`
}

/** What to do about each status, so the log says more than a number. */
export function nextStep(status: number, attempt: Attempt): string {
  switch (status) {
    case 400:
      return 'Turso rejected the request: check expiration, permissions and attach-databases against the README.'
    case 401:
      return 'The API token is wrong, revoked or expired: create a new one with `turso auth api-tokens mint <name>` and update the secret passed as api-token.'
    case 402:
      return 'The organization has no active subscription for this: check its plan and billing at turso.tech.'
    case 403:
      if (attempt.forbidden !== undefined) return attempt.forbidden
      return forbiddenStep(attempt.scope)
    case 404:
      return `Check the name: ${attempt.notFound}.`
    case 409:
      if (attempt.conflict !== undefined) return attempt.conflict
      return 'Turso reports a conflict with the current state: wait a moment and re-run the job.'
    case 429:
      return 'Turso is rate limiting this token and the retries ran out: re-run later or raise the retries input.'
    default:
      if (status >= 500) return 'Turso had a server error and the retries ran out: re-run the job later; see status.turso.tech.'
      if (status >= 300 && status < 400) return 'Redirects are never followed with credentials: set api-url to the final API address.'
      return 'Check the inputs and re-run.'
  }
}

/**
 * Turso's 403 does not say why, so the message lists what can cause it: the scope this call
 * needs, and a token restricted to another organization or group.
 */
function forbiddenStep(scope: string | undefined): string {
  const needed = scope === undefined ? 'the scope this call needs' : `the ${scope} scope this call needs`
  return (
    'The API token is not allowed to do this: check that it belongs to a member of the organization, that a group-scoped token has ' +
    `${needed}, and that the token is not restricted to another organization or group (Turso's answer does not say which). ` +
    'List its restriction with `turso auth api-tokens list`; the README lists the scopes each operation needs.'
  )
}

/**
 * Turso's error text from a response body: `{"error": "..."}` per the API reference, but the
 * CLI types it loosely, so accept any JSON value and fall back to the whole body. Secrets are
 * redacted after the JSON is decoded (an echoed token spelled with `\u` escapes is found) and
 * before the text is cut (a token cut short would no longer match), then the one server-text
 * rule applies, so a body cannot inject workflow commands or fake log lines.
 */
export function apiErrorMessage(bodyText: string): string {
  return serverText(redact(decodedErrorText(bodyText)))
}

function decodedErrorText(bodyText: string): string {
  let parsed: unknown
  try {
    parsed = JSON.parse(bodyText)
  } catch {
    // Not JSON (a proxy's HTML page, say): the raw text is still the best clue we have.
    return bodyText
  }
  const error = parsed !== null && typeof parsed === 'object' && 'error' in parsed ? (parsed as { error: unknown }).error : parsed
  return typeof error === 'string' ? error : JSON.stringify(error)
}
