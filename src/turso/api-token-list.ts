import { parseResourceName } from '../parsers/names.js'
import { serverText } from '../runner/server-text.js'

/** One entry of a token list, with every field checked: names, IDs and owners come from a server. */
export interface ListedApiToken {
  name: string
  id: string
  /** Only on the organization list, and only for admins and owners. */
  owner: { username: string | null; email: string | null } | null
}

/** What a token list holds: the usable entries, and how many were skipped as malformed. */
export interface ApiTokenList {
  tokens: ListedApiToken[]
  skipped: number
  /**
   * The skipped entries that had a string name, with the owner when one could be read: never
   * printed, only compared, so that a skipped token sharing the sought name still makes the
   * choice ambiguous (revoking the one usable namesake could hit another member's token).
   */
  unusable: UnusableApiToken[]
}

export interface UnusableApiToken {
  name: string
  owner: ListedApiToken['owner']
}

/** Turso's IDs are base64url (e.g. `clGFZ4STEe6fljpFzIum8A`); anything else never reaches a path or an output. */
const TOKEN_ID = /^[A-Za-z0-9_-]{1,128}$/u
/** What an owner's username or email may hold to be printed or compared. */
const OWNER_FIELD = /^[A-Za-z0-9._%+@-]{1,254}$/u

/**
 * The `tokens` array of `GET /v1/auth/api-tokens` or `GET /v1/organizations/{org}/api-tokens`.
 * An entry whose name the token-name input would refuse (a line break could start a workflow
 * command), whose ID is not base64url, or that is not an object, is skipped and counted: it can
 * be neither printed nor revoked. Returns undefined when there is no `tokens` array.
 */
export function parseApiTokenList(body: Record<string, unknown>): ApiTokenList | undefined {
  if (!Array.isArray(body.tokens)) return undefined
  const tokens: ListedApiToken[] = []
  const unusable: UnusableApiToken[] = []
  let skipped = 0
  for (const entry of body.tokens as unknown[]) {
    const token = parseEntry(entry)
    if (token !== undefined) {
      tokens.push(token)
      continue
    }
    skipped++
    const { name, owner } = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>
    if (typeof name === 'string') unusable.push({ name, owner: parseOwner(owner) })
  }
  return { tokens, skipped, unusable }
}

function parseEntry(entry: unknown): ListedApiToken | undefined {
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) return undefined
  const { name, id, owner } = entry as Record<string, unknown>
  if (typeof name !== 'string' || !isPrintableTokenName(name)) return undefined
  if (typeof id !== 'string' || !isTokenId(id)) return undefined
  return { name, id, owner: parseOwner(owner) }
}

function parseOwner(owner: unknown): ListedApiToken['owner'] {
  if (owner === null || typeof owner !== 'object' || Array.isArray(owner)) return null
  const { username, email } = owner as Record<string, unknown>
  const field = (value: unknown): string | null => (typeof value === 'string' && OWNER_FIELD.test(value) ? value : null)
  const parsed = { username: field(username), email: field(email) }
  return parsed.username === null && parsed.email === null ? null : parsed
}

export function isTokenId(value: string): boolean {
  return TOKEN_ID.test(value)
}

/** A name the token-name input would accept unchanged: no control characters, '/', '\' or dot segments. */
export function isPrintableTokenName(value: string): boolean {
  // Also one the server-text rule leaves untouched: `a%0A::warning::b` is a valid name, but not one to print.
  if (serverText(value, Number.MAX_SAFE_INTEGER) !== value) return false
  try {
    return parseResourceName('token-name', value, 'token-name') === value
  } catch {
    return false
  }
}

/** True when `owner` (a username or email, any case) is who Turso lists as the token's owner. */
export function ownedBy(token: Pick<ListedApiToken, 'owner'>, owner: string): boolean {
  const wanted = owner.toLowerCase()
  return token.owner?.username?.toLowerCase() === wanted || token.owner?.email?.toLowerCase() === wanted
}

/** How an owner is named in a log: the username, or the email when Turso gave no username. */
export function ownerLabel(token: Pick<ListedApiToken, 'owner'>): string {
  return token.owner?.username ?? token.owner?.email ?? '(owner not listed)'
}

/**
 * Up to three listed names within two edits of `name` (one for short names), closest first:
 * "did you mean" for a misspelled token-name. Only for the caller's own list, never for
 * another account's names in a public log.
 */
export function closeMatches(name: string, names: readonly string[]): string[] {
  const limit = name.length <= 4 ? 1 : 2
  return [...new Set(names)]
    .map((candidate) => ({ candidate, distance: editDistance(name.toLowerCase(), candidate.toLowerCase()) }))
    .filter(({ candidate, distance }) => distance <= limit && candidate !== name)
    .sort((a, b) => a.distance - b.distance || a.candidate.localeCompare(b.candidate))
    .slice(0, 3)
    .map(({ candidate }) => candidate)
}

/** Levenshtein distance, row by row. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1))
    }
    previous = current
  }
  return previous[b.length] as number
}
