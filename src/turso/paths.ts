import type { TokenTarget } from './targets.js'

/**
 * Turso Platform API paths. Each name is percent-encoded into its own segment, so a value can
 * never add a segment, a query or a fragment (names are also validated before we get here).
 */
function path(...segments: string[]): string {
  return '/' + segments.map((segment) => encodeURIComponent(segment)).join('/')
}

function targetBase(target: TokenTarget): string[] {
  if (target.kind === 'database') return ['v1', 'organizations', target.organization, 'databases', target.database]
  return target.organization === null
    ? ['v1', 'groups', target.group]
    : ['v1', 'organizations', target.organization, 'groups', target.group]
}

/** createDatabaseToken / createGroupToken (https://docs.turso.tech/api-reference/databases/create-token). */
export const createTokenPath = (target: TokenTarget): string => path(...targetBase(target), 'auth', 'tokens')

/** invalidateDatabaseTokens / invalidateGroupTokens (https://docs.turso.tech/api-reference/databases/invalidate-tokens). */
export const rotatePath = (target: TokenTarget): string => path(...targetBase(target), 'auth', 'rotate')

/** getDatabase (https://docs.turso.tech/api-reference/databases/retrieve). */
export const databasePath = (organization: string, database: string): string =>
  path('v1', 'organizations', organization, 'databases', database)

/** getDatabaseConfiguration (https://docs.turso.tech/api-reference/databases/configuration). */
export const databaseConfigurationPath = (organization: string, database: string): string =>
  path('v1', 'organizations', organization, 'databases', database, 'configuration')

/** listDatabases, filtered by group (https://docs.turso.tech/api-reference/databases/list). */
export const databasesPath = (organization: string): string => path('v1', 'organizations', organization, 'databases')

/** revokeAPIToken (https://docs.turso.tech/api-reference/tokens/revoke). */
export const apiTokenPath = (tokenName: string): string => path('v1', 'auth', 'api-tokens', tokenName)

/** listAPITokens: the caller's own tokens (https://docs.turso.tech/api-reference/tokens/list). */
export const apiTokensPath = (): string => path('v1', 'auth', 'api-tokens')

/** listOrganizationAPITokens: an organization's org- and group-scoped tokens, with `owner` for admins. */
export const organizationApiTokensPath = (organization: string): string => path('v1', 'organizations', organization, 'api-tokens')

/** revokeOrganizationAPIToken: by ID, since names are unique per user only. */
export const organizationApiTokenPath = (organization: string, tokenId: string): string =>
  path('v1', 'organizations', organization, 'api-tokens', tokenId)

/** validateAPIToken (https://docs.turso.tech/api-reference/tokens/validate); not `/v1/auth/api-tokens/validate`, which is 404. */
export const validateApiTokenPath = (): string => path('v1', 'auth', 'validate')
