import { hasControlCharacter, invalidInput } from './input-error.js'

export type ResourceKind = 'database' | 'group' | 'organization' | 'token-name'

/**
 * Longest database, group or organization name accepted locally. The Platform
 * API spec (turso-docs api-reference/openapi.json, CreateDatabaseInput.name,
 * commit 2558aded) says database names "must contain only lowercase letters,
 * numbers, dashes. No longer than 64 characters." The server's real limit can be
 * lower: the name becomes part of the DNS label `<db>-<org>.turso.io`, and its
 * error reads "name must contain between 1 and N characters" with N depending on
 * the organization (turso-cli issue #1013). That org-dependent bound is left to the API.
 */
export const MAX_RESOURCE_NAME_LENGTH = 64

/** Longest API token name accepted locally; the API documents no limit. */
export const MAX_TOKEN_NAME_LENGTH = 255

// Lowercase ASCII letters, digits and '-', not starting or ending with '-'.
// The character set is the OpenAPI rule above; the hyphen rule is the one the
// Turso CLI enforced for database, group and API token names from May 2023 until
// it left validation to the server in April 2024 (turso-cli commits 0efa85a,
// c6089ed; `CheckName` in internal/turso/utils.go). Names are DNS labels, so the
// letters are ASCII even though that CLI check used unicode.IsLower.
const RESOURCE_NAME = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/u

const RESOURCE_LABEL: Readonly<Record<Exclude<ResourceKind, 'token-name'>, string>> = {
  database: 'a Turso database name',
  group: 'a Turso group name',
  organization: 'a Turso organization slug'
}

const RESOURCE_RULE = `lowercase letters, digits and '-', 1 to ${MAX_RESOURCE_NAME_LENGTH} characters, not starting or ending with '-'`
const TOKEN_NAME_RULE = `an API token name: 1 to ${MAX_TOKEN_NAME_LENGTH} characters without control characters, '/' or '\\', and not '.' or '..'`

/**
 * Validates one name input and returns it trimmed.
 *
 * Database, group and organization names follow {@link RESOURCE_NAME}. An API
 * token name is looser, because tokens minted before the CLI checked names (and
 * by other clients) may hold other characters and the caller URL-encodes it into
 * `/v1/auth/api-tokens/{name}`. Still refused: control characters (they cannot
 * be typed into the Turso UI or CLI and would garble logs), `/` and `\` (some
 * proxies decode `%2F` and route the request elsewhere), and `.`/`..` (URL
 * parsers treat even `%2E%2E` as a dot segment and rewrite the path).
 */
export function parseResourceName(input: string, value: string, kind: ResourceKind): string {
  const name = value.trim()
  if (kind === 'token-name') return checkTokenName(input, value, name)

  const accepted = `${RESOURCE_LABEL[kind]} (${RESOURCE_RULE})`
  const fail = (reason: string) => invalidInput(input, accepted, value, reason)
  if (name === '') throw fail('it is empty')
  if (name.length > MAX_RESOURCE_NAME_LENGTH) throw fail(`${name.length} characters is longer than ${MAX_RESOURCE_NAME_LENGTH}`)
  if (RESOURCE_NAME.test(name)) return name
  if (RESOURCE_NAME.test(name.toLowerCase())) throw fail(`Turso names are lowercase: write '${name.toLowerCase()}'`)
  if (name.startsWith('-') || name.endsWith('-')) throw fail("it starts or ends with '-'")
  throw fail("only lowercase letters, digits and '-' are allowed")
}

function checkTokenName(input: string, value: string, name: string): string {
  const fail = (reason: string) => invalidInput(input, TOKEN_NAME_RULE, value, reason)
  if (name === '') throw fail('it is empty')
  if (hasControlCharacter(name)) throw fail('it contains a control character')
  const length = Array.from(name).length
  if (length > MAX_TOKEN_NAME_LENGTH) throw fail(`${length} characters is longer than ${MAX_TOKEN_NAME_LENGTH}`)
  if (name === '.' || name === '..') throw fail('it would be read as a path segment')
  if (name.includes('/') || name.includes('\\')) throw fail("it contains '/' or '\\'")
  return name
}

/**
 * A list of names (the `attach-databases` input): separated by newlines or
 * commas, each trimmed and validated like {@link parseResourceName}, blanks
 * skipped, repeats dropped (first occurrence keeps its place). An empty value
 * gives an empty list.
 */
export function parseNameList(input: string, value: string, kind: ResourceKind): string[] {
  const names: string[] = []
  for (const item of value.split(/[\r\n,]/u)) {
    if (item.trim() === '') continue
    const name = parseResourceName(input, item.trim(), kind)
    if (!names.includes(name)) names.push(name)
  }
  return names
}
