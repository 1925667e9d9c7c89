/**
 * Makes text that came from a database server (or from a network error) safe to put
 * in a log line or an error message: the token is redacted first, then the project's
 * one server-text rule (`serverText`) neutralises control characters and workflow command
 * markers and caps the length.
 */
import { replaceSecrets } from '../runner/secrets.js'
import { serverText } from '../runner/server-text.js'

/** JWT segments shorter than this are too generic to be worth redacting. */
const MIN_REDACTED_SEGMENT_LENGTH = 16

/**
 * Replaces the token and each of its longer dot-separated JWT segments with `***`,
 * so that a server or proxy echoing the Authorization header cannot leak it.
 */
export function redactToken(text: string, token: string): string {
  if (token === '') return text
  return replaceSecrets(text, [token, ...token.split('.').filter((segment) => segment.length >= MIN_REDACTED_SEGMENT_LENGTH)])
}

export function sanitizeServerText(text: string, token: string, maxLength?: number): string {
  return serverText(redactToken(text, token), maxLength)
}
