import type { Config } from '../inputs.js'
import {
  createTokenRequest,
  listApiTokensRequest,
  revokeRequest,
  rotateRequest,
  type PlannedRequest
} from '../turso/client.js'
import { databaseConfigurationPath, databasePath, databasesPath, organizationApiTokensPath } from '../turso/paths.js'
import { PROBE_EXPIRATION } from './rotate.js'

/** The Turso requests a real run would send, in order; paths and bodies hold no secret. */
export function plannedRequests(config: Config): PlannedRequest[] {
  if (config.operation === 'revoke') {
    // The ID is known only from the list: `{id}` stands for the one found by token-name (and token-owner).
    const deletion: PlannedRequest =
      config.organization === null
        ? revokeRequest(config.tokenName)
        : { method: 'DELETE', path: `${organizationApiTokensPath(config.organization)}/{id}`, query: {} }
    return [listApiTokensRequest(config.organization), deletion]
  }
  const { target } = config
  const get = (path: string, query: Record<string, string> = {}): PlannedRequest => ({ method: 'GET', path, query })
  const lookup: PlannedRequest[] = target.kind === 'database' ? [get(databasePath(target.organization, target.database))] : []
  if (config.operation === 'create-token') {
    const groupLookup =
      target.kind === 'group' && config.delivery.verify && target.organization !== null ? [get(databasesPath(target.organization), { group: target.group })] : []
    // With verify, a database's configuration is read before minting (operations/create-token.ts).
    const configuration = target.kind === 'database' && config.delivery.verify ? [get(databaseConfigurationPath(target.organization, target.database))] : []
    return [...configuration, createTokenRequest(target, config.mint), ...lookup, ...groupLookup]
  }
  // Rotate checks everything it can before the irreversible request (see operations/rotate.ts):
  // the group's databases are listed (for a database, the group is known only from the lookup).
  const group = target.kind === 'group' ? target.group : '{group}'
  const affected = target.organization === null ? [] : [get(databasesPath(target.organization), { group })]
  if (config.mint === null) return [...lookup, ...affected, rotateRequest(target)]
  // With verify, the configuration of the database verified on (a group's: the first listed).
  const configurationPath = (organization: string): string =>
    target.kind === 'database' ? databaseConfigurationPath(organization, target.database) : `${databasesPath(organization)}/{database}/configuration`
  const configuration = config.delivery.verify && target.organization !== null ? [get(configurationPath(target.organization))] : []
  const attached: PlannedRequest[] =
    target.organization === null ? [] : config.mint.attachDatabases.map((name) => get(databasePath(target.organization as string, name)))
  const probe = createTokenRequest(target, { ...config.mint, expiration: PROBE_EXPIRATION })
  return [...lookup, ...affected, ...configuration, ...attached, probe, rotateRequest(target), createTokenRequest(target, config.mint)]
}

export function formatPlannedRequest(request: PlannedRequest): string {
  // A `{placeholder}` (a value known only from an earlier answer) reads as one.
  const query = new URLSearchParams(request.query).toString().replace(/%7B(\w+)%7D/g, '{$1}')
  const body = request.body === undefined ? '' : ` body ${request.body}`
  return `${request.method} ${request.path}${query === '' ? '' : `?${query}`}${body}`
}
