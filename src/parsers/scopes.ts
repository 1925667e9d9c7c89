import { echoValue, invalidInput } from './input-error.js'

/**
 * What a group-scoped Platform API token may be granted: createAPIToken's `scopes` enum in
 * Turso's OpenAPI description (shared/reference/openapi.json), presets last. The presets are
 * sent as written: Turso expands `read-only` to `read` and `full-access` to every scope.
 */
export const API_TOKEN_SCOPES = [
  'read',
  'db:create',
  'db:delete',
  'db:configure',
  'db:mint-token',
  'db:rotate-creds',
  'group:configure',
  'group:mint-token',
  'group:rotate-creds',
  'read-only',
  'full-access'
] as const

export type ApiTokenScope = (typeof API_TOKEN_SCOPES)[number]

const ACCEPTED = `scopes separated by newlines or commas, from ${API_TOKEN_SCOPES.join(', ')}`

/**
 * The `scopes` input, for create-api-token and rotate-api-token. Turso pins a token to a group
 * only together with a non-empty scopes list, and takes scopes only with a group, so both halves
 * are checked here, before any request: `group` is the (already checked) group input, or null.
 * Entries are trimmed, blanks skipped and repeats dropped, first occurrence first.
 */
export function parseScopes(value: string, group: string | null): ApiTokenScope[] {
  const entries = value
    .split(/[\r\n,]/u)
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
  if (group === null) {
    if (entries.length === 0) return []
    throw invalidInput('scopes', 'empty without a group', value, "scopes restrict a group-scoped token: set input 'group' too, or remove scopes for an organization-scoped token")
  }
  if (entries.length === 0) {
    throw invalidInput('scopes', ACCEPTED, value, `it is required with 'group': a token pinned to group '${group}' needs at least one scope, such as db:mint-token`)
  }
  const scopes: ApiTokenScope[] = []
  for (const entry of entries) {
    const scope = API_TOKEN_SCOPES.find((candidate) => candidate === entry)
    if (scope === undefined) throw invalidInput('scopes', ACCEPTED, value, unknownScopeReason(entry))
    if (!scopes.includes(scope)) scopes.push(scope)
  }
  return scopes
}

function unknownScopeReason(entry: string): string {
  const lower = API_TOKEN_SCOPES.find((candidate) => candidate === entry.toLowerCase())
  if (lower !== undefined) return `write '${lower}' in lowercase`
  return `'${echoValue(entry)}' is not a scope`
}
