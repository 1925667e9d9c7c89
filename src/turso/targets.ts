import type { FineGrainedPermission } from '../parsers/permissions.js'

/** What a token is minted for or rotated on. */
export type TokenTarget =
  | { kind: 'database'; organization: string; database: string }
  /** `organization: null` selects the user-account paths `/v1/groups/{group}/...`. */
  | { kind: 'group'; organization: string | null; group: string }

/** Options of a minted token, already validated. */
export interface MintOptions {
  /** `never`, or a duration in the go-str2duration grammar, sent as written. */
  expiration: string
  readOnly: boolean
  fineGrainedPermissions: FineGrainedPermission[]
  attachDatabases: string[]
}

/** Human wording for logs, errors and the summary, e.g. `database 'app-db' in organization 'acme'`. */
export function describeTarget(target: TokenTarget): string {
  if (target.kind === 'database') return `database '${target.database}' in organization '${target.organization}'`
  return target.organization === null
    ? `group '${target.group}' of your user account`
    : `group '${target.group}' in organization '${target.organization}'`
}
