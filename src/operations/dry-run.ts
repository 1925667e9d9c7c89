import { plannedSecretRequests, type PlannedGitHubRequest } from '../github/secret-plan.js'
import type { Config } from '../inputs.js'
import {
  createApiTokenRequest,
  createTokenRequest,
  listApiTokensRequest,
  revokeRequest,
  rotateRequest,
  validateApiTokenRequest,
  type PlannedRequest
} from '../turso/client.js'
import { apiTokensPath, databaseConfigurationPath, databasePath, databasesPath, organizationApiTokensPath } from '../turso/paths.js'
import { PROBE_EXPIRATION } from './rotate.js'

/** The Turso requests a real run would send, in order; paths and bodies hold no secret. */
function plannedRequests(config: Config): PlannedRequest[] {
  if (config.operation === 'revoke') {
    // The ID is known only from the list: `{id}` stands for the one found by token-name (and token-owner).
    const deletion: PlannedRequest =
      config.organization === null
        ? revokeRequest(config.tokenName)
        : { method: 'DELETE', path: `${organizationApiTokensPath(config.organization)}/{id}`, query: {} }
    return [listApiTokensRequest(config.organization), deletion]
  }
  if (config.operation === 'create-api-token' || config.operation === 'rotate-api-token') return apiTokenPlan(config)
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

/**
 * The API-token operations' requests. A rotation's new name holds the time it runs, and the
 * generations it revokes are known only from the list: placeholders stand for both.
 */
function apiTokenPlan(config: Extract<Config, { operation: 'create-api-token' | 'rotate-api-token' }>): PlannedRequest[] {
  if (config.operation === 'create-api-token') {
    const create = createApiTokenRequest(config.tokenName, config.restriction)
    return config.delivery.verify ? [create, validateApiTokenRequest()] : [create]
  }
  const create = createApiTokenRequest(config.tokenName, config.restriction)
  return [
    { ...create, path: `${create.path}-{yyyymmddThhmmssZ}` },
    validateApiTokenRequest(),
    listApiTokensRequest(null),
    { method: 'DELETE', path: `${apiTokensPath()}/{previous generation}`, query: {} }
  ]
}

/**
 * Every request a real run would send, in order, GitHub's included: each secret destination's
 * reads (public key, repository IDs) before the first POST (the mint or the rotation: nothing is
 * minted until the secret can be stored), and its PUT once the token exists, after the Turso
 * requests. One block per destination, so several destinations (secret-targets) line up.
 */
export function plannedRunRequests(config: Config, githubApiUrl: string): (PlannedRequest | PlannedGitHubRequest)[] {
  const turso = plannedRequests(config)
  const secret = 'delivery' in config ? config.delivery.secret : undefined
  if (secret === undefined) return turso
  const destinations = secret.targets.map((target) => plannedSecretRequests(target, githubApiUrl))
  // A run that stores a token always mints it (readConfig refuses a secret with mint: false), so there is a POST.
  const readsAt = Math.max(0, turso.findIndex((request) => request.method === 'POST'))
  // rotate-api-token stores the new token right after validating it, before revoking anything.
  const validatedAt = turso.findIndex((request) => request.path === validateApiTokenRequest().path)
  const writesAt = config.operation === 'rotate-api-token' ? validatedAt + 1 : turso.length
  return [
    ...turso.slice(0, readsAt),
    ...destinations.flatMap((destination) => destination.reads),
    ...turso.slice(readsAt, writesAt),
    ...destinations.map((destination) => destination.write),
    ...turso.slice(writesAt)
  ]
}

export function formatPlannedRequest(request: PlannedRequest | PlannedGitHubRequest): string {
  // A `{placeholder}` (a value known only from an earlier answer) reads as one.
  const query = new URLSearchParams(request.query).toString().replace(/%7B(\w+)%7D/g, '{$1}')
  const body = request.body === undefined ? '' : ` body ${request.body}`
  return `${request.method} ${request.path}${query === '' ? '' : `?${query}`}${body}`
}
