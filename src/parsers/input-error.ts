import { escapeUnsafeCharacters, hasUnsafeCharacter } from '../runner/server-text.js'

/**
 * The error every input parser throws. `input` is the action input's name
 * (e.g. `expiration`) so the entry point can report which input to fix.
 */
export class InputError extends Error {
  constructor(
    readonly input: string,
    message: string
  ) {
    super(message)
    this.name = 'InputError'
  }
}

/** How many characters of a rejected value are echoed back in a message. */
export const ECHO_LIMIT = 60

// Values that look like credentials are never echoed, even when a user pastes
// one into the wrong input: a JWT (base64url JSON header `eyJ…`) or a GitHub token.
const SECRET_LIKE = /eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]*)?|\b(?:gh[opusr]_|github_pat_)[A-Za-z0-9_]+/g

/**
 * A rejected value made safe to print inside an error message: secret-looking
 * parts redacted, truncated to {@link ECHO_LIMIT} characters (never splitting a
 * surrogate pair), then control and bidi characters escaped as `\n`, `\x07`, `\u202e` and
 * workflow command markers broken, by the rule every printed foreign text follows.
 */
export function echoValue(value: string): string {
  const redacted = value.replace(SECRET_LIKE, '<redacted>')
  const characters = Array.from(redacted)
  const shown = characters.length > ECHO_LIMIT ? `${characters.slice(0, ECHO_LIMIT).join('')}…` : redacted
  return escapeUnsafeCharacters(shown)
}

/**
 * Builds the standard message: `Input '<input>' must be <accepted>; got '<value>' (<reason>)`.
 * `accepted` names the accepted forms; `reason` says what exactly is wrong.
 */
export function invalidInput(input: string, accepted: string, value: string, reason?: string): InputError {
  const detail = reason === undefined ? '' : ` (${reason})`
  return new InputError(input, `Input '${input}' must be ${accepted}; got '${echoValue(value)}'${detail}`)
}

/** True when the text holds a control, line-separator or bidi character ({@link echoValue} escapes these). */
export function hasControlCharacter(value: string): boolean {
  return hasUnsafeCharacter(value)
}
