/**
 * Which inputs each operation reads: one table, so an input set where it means nothing (verify
 * or expiration on revoke, token-name on create-token) is warned about the same way for every
 * operation. A new operation or input gets its row here; a test keeps the table equal to
 * action.yml's inputs and defaults.
 */
import { OPERATIONS } from './parsers/scalars.js'

/** The operations, as parseOperation accepts them: one list for both. */
export const OPERATION_NAMES = OPERATIONS
export type OperationName = (typeof OPERATION_NAMES)[number]

const ALL = OPERATION_NAMES
/** The operations that mint a database or group token. */
const DATABASE_TOKENS: readonly OperationName[] = ['create-token', 'rotate']
/** The operations that create a Platform API token. */
const API_TOKENS: readonly OperationName[] = ['create-api-token', 'rotate-api-token']
/** The operations that deliver a new token (secret, environment, verification). */
const DELIVERING: readonly OperationName[] = [...DATABASE_TOKENS, ...API_TOKENS]

interface Applicability {
  appliesTo: readonly OperationName[]
  /** action.yml's default: the runner passes it when the input is left out, so it is never warned about. */
  default: string
}

const row = (appliesTo: readonly OperationName[], defaultValue = ''): Applicability => ({ appliesTo, default: defaultValue })

/** Every input of action.yml, in its order. */
export const INPUT_APPLICABILITY: Readonly<Record<string, Applicability>> = {
  operation: row(ALL),
  'api-token': row(ALL),
  organization: row(ALL),
  database: row(DATABASE_TOKENS),
  group: row([...DATABASE_TOKENS, ...API_TOKENS]),
  // The API-token operations read it only to refuse it (Turso's API tokens have no expiry): one message, not a warning and then an error.
  expiration: row([...DATABASE_TOKENS, ...API_TOKENS], 'never'),
  'read-only': row(DATABASE_TOKENS, 'false'),
  permissions: row(DATABASE_TOKENS),
  'attach-databases': row(DATABASE_TOKENS),
  mint: row(['rotate'], 'true'),
  'token-name': row(['revoke', ...API_TOKENS]),
  scopes: row(API_TOKENS),
  'current-token': row(['create-token']),
  'renew-within': row(['create-token']),
  'token-owner': row(['revoke']),
  'api-url': row(ALL, 'https://api.turso.tech'),
  retries: row(ALL, '3'),
  timeout: row(ALL, '30'),
  'dry-run': row(ALL, 'false'),
  'secret-name': row(DELIVERING),
  'secret-repository': row(DELIVERING),
  'secret-environment': row(DELIVERING),
  'secret-organization': row(DELIVERING),
  'secret-visibility': row(DELIVERING, 'private'),
  'secret-repositories': row(DELIVERING),
  'secret-type': row(DELIVERING, 'actions'),
  'secret-targets': row(DELIVERING),
  'github-token': row(DELIVERING),
  'export-env': row(DELIVERING, 'false'),
  verify: row(DELIVERING, 'false'),
  'verify-timeout': row(DATABASE_TOKENS, '60')
}

/** The inputs set, to something other than their default, that `operation` does not read; in action.yml's order. */
export function inputsThatDoNotApply(operation: string, readInput: (name: string) => string): string[] {
  return Object.entries(INPUT_APPLICABILITY).flatMap(([input, { appliesTo, default: defaultValue }]) => {
    if ((appliesTo as readonly string[]).includes(operation)) return []
    const value = readInput(input).trim()
    return value === '' || value === defaultValue ? [] : [input]
  })
}

/** One warning per input that `operation` ignores. */
export function warnInputsThatDoNotApply(operation: string, readInput: (name: string) => string, warn: (message: string) => void): void {
  for (const input of inputsThatDoNotApply(operation, readInput)) {
    warn(`Input '${input}' does not apply to operation '${operation}' and is ignored`)
  }
}
