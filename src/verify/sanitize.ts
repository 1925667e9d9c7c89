/**
 * Makes text that came from a database server (or from a network error) safe to put
 * in a log line or an error message: the token is redacted first (with every secret the run
 * knows, and anything shaped like a JWT), then the project's one server-text rule
 * (`serverText`) neutralises control characters and workflow command markers and caps the length.
 */
import { redact, replaceSecrets, secretParts } from '../runner/secrets.js'
import { serverText } from '../runner/server-text.js'

/**
 * Replaces the token and each of its longer dot-separated JWT segments with `***`,
 * so that a server or proxy echoing the Authorization header cannot leak it.
 */
export function redactToken(text: string, token: string): string {
  if (token === '') return text
  return replaceSecrets(text, secretParts(token))
}

export function sanitizeServerText(text: string, token: string, maxLength?: number): string {
  return serverText(redact(redactToken(text, token)), maxLength)
}
