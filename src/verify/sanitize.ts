/**
 * Makes text that came from a server (or from a network error) safe to put in a
 * log line or an error message: the token is redacted, control characters are
 * replaced (no log-command or terminal-escape injection), and the length is capped.
 */

export const MAX_SERVER_TEXT_LENGTH = 300

/** JWT segments shorter than this are too generic to be worth redacting. */
const MIN_REDACTED_SEGMENT_LENGTH = 16

// C0 and C1 controls, DEL, and the Unicode bidi/line separators that can reorder or split a log line.
// eslint-disable-next-line no-control-regex
const UNSAFE_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]+/g

/**
 * Replaces the token and each of its longer dot-separated JWT segments with `***`,
 * so that a server or proxy echoing the Authorization header cannot leak it.
 */
export function redactToken(text: string, token: string): string {
  if (token === '') return text
  const secrets = [token, ...token.split('.').filter((segment) => segment.length >= MIN_REDACTED_SEGMENT_LENGTH)]
  let redacted = text
  for (const secret of secrets) {
    redacted = redacted.split(secret).join('***')
  }
  return redacted
}

export function sanitizeServerText(text: string, token: string, maxLength: number = MAX_SERVER_TEXT_LENGTH): string {
  const singleLine = redactToken(text, token).replace(UNSAFE_CHARACTERS, ' ').replace(/\s+/g, ' ').trim()
  if (singleLine.length <= maxLength) return singleLine
  return `${singleLine.slice(0, maxLength)}… (truncated)`
}
