import { hasControlCharacter, invalidInput } from './input-error.js'

const ACCEPTED = "the username or email of the organization member who minted the token (e.g. 'alice' or 'alice@example.com')"

/** Usernames: letters, digits, '.', '_' and '-', not starting or ending with a symbol. */
const USERNAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,62}[A-Za-z0-9])?$/u
/** Deliberately loose: one '@' between non-empty parts without spaces; Turso decides the rest. */
const EMAIL = /^[^\s@]+@[^\s@]+$/u
const MAX_EMAIL_LENGTH = 254

/**
 * The `token-owner` input, trimmed: a username or an email, matched case-insensitively against
 * the `owner` Turso lists for each organization token.
 */
export function parseTokenOwner(value: string): string {
  const owner = value.trim()
  const fail = (reason: string) => invalidInput('token-owner', ACCEPTED, value, reason)
  if (owner === '') throw fail('it is empty')
  if (hasControlCharacter(owner)) throw fail('it contains a control character')
  if (owner.includes('@')) {
    if (owner.length > MAX_EMAIL_LENGTH) throw fail(`${owner.length} characters is longer than ${MAX_EMAIL_LENGTH}`)
    if (!EMAIL.test(owner)) throw fail('it is not an email address')
    return owner
  }
  if (!USERNAME.test(owner)) throw fail("a username holds letters, digits, '.', '_' and '-' (at most 64)")
  return owner
}
