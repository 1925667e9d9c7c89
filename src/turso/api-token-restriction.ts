import type { ApiTokenScope } from '../parsers/scopes.js'

/**
 * What a new Platform API token is restricted to (createAPIToken's body): an organization, or a
 * group of it with scopes. Never nothing: Turso deprecates unrestricted tokens.
 */
export interface ApiTokenRestriction {
  organization: string
  /** With `scopes` (non-empty); null for an organization-scoped token. */
  group: string | null
  scopes: ApiTokenScope[]
}

/** `{"organization"}` or `{"organization","group","scopes"}`, as openapi.json's createAPIToken describes. */
export function createApiTokenBody(restriction: ApiTokenRestriction): Record<string, unknown> {
  if (restriction.group === null) return { organization: restriction.organization }
  return { organization: restriction.organization, group: restriction.group, scopes: restriction.scopes }
}

/** e.g. `organization 'acme'`, `group 'staging' of organization 'acme' (scopes read, db:mint-token)`. */
export function describeRestriction(restriction: ApiTokenRestriction): string {
  if (restriction.group === null) return `organization '${restriction.organization}'`
  return `group '${restriction.group}' of organization '${restriction.organization}' (scopes ${restriction.scopes.join(', ')})`
}
