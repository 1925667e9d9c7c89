import { GitHubSecretError } from './github/secret-error.js'
import {
  parseSecretType,
  parseSecretVisibility,
  resolveSecretScope,
  type SecretTarget
} from './github/secret-target.js'
import { parseSecretTargets } from './github/secret-targets.js'
import { warnInputsThatDoNotApply } from './inputs-applicability.js'
import { GENERATION_SUFFIX_LENGTH } from './operations/api-token-generations.js'
import { parseApiUrl } from './parsers/api-url.js'
import { parseExpiration, parseGoDuration, parseRenewWithin } from './parsers/duration.js'
import { InputError } from './parsers/input-error.js'
import { MAX_TOKEN_NAME_LENGTH, parseNameList, parseResourceName } from './parsers/names.js'
import { parsePermissions } from './parsers/permissions.js'
import { parseScopes } from './parsers/scopes.js'
import { parseTokenOwner } from './parsers/token-owner.js'
import { parseBoolean, parseOperation, parseRepository, parseRetries, parseTimeoutSeconds, parseVerifyTimeoutSeconds } from './parsers/scalars.js'
import type { ApiTokenRestriction } from './turso/api-token-restriction.js'
import type { MintOptions, TokenTarget } from './turso/targets.js'

/** Where and how to reach Turso. */
export interface Connection {
  apiUrl: URL
  apiToken: string
  retries: number
  timeoutMs: number
}

/** Where the minted token is stored and the token that may write there. */
export interface SecretDestination {
  secretName: string
  githubToken: string
  /** Checked destinations: the one the secret-* inputs name, or each line of secret-targets. */
  targets: SecretTarget[]
}

/** create-token with renew-within: mint only when the token in use now is due for renewal. */
export interface Renewal {
  /** current-token: masked when read; empty on a first run (the secret does not exist yet). */
  currentToken: string
  /** renew-within as typed, for messages. */
  window: string
  windowMs: number
}

/** What happens to a minted token besides becoming the `token` output. */
export interface Delivery {
  verify: boolean
  /** How long `verify` keeps trying while the database is not ready (verify-timeout), in milliseconds. */
  verifyTimeoutMs: number
  secret?: SecretDestination
  exportEnv: boolean
}

export type Config = { connection: Connection; dryRun: boolean } & (
  | { operation: 'create-token'; target: TokenTarget; mint: MintOptions; delivery: Delivery; renewal?: Renewal }
  | { operation: 'rotate'; target: TokenTarget; mint: MintOptions | null; delivery: Delivery }
  | ({ operation: 'revoke' } & RevokeTarget)
  | ({ operation: 'create-api-token'; delivery: Delivery } & ApiTokenRequest)
  | ({ operation: 'rotate-api-token'; delivery: Delivery } & ApiTokenRequest)
)

/** The Platform API token create-api-token makes, or whose generations rotate-api-token replaces. */
export interface ApiTokenRequest {
  /** create-api-token: the new token's name; rotate-api-token: the base name of its generations. */
  tokenName: string
  restriction: ApiTokenRestriction
}

/** Which Platform API token `revoke` removes. */
export interface RevokeTarget {
  tokenName: string
  /** Set: find the token in the organization's list and revoke it by ID. Null: one of the caller's own tokens, by name. */
  organization: string | null
  /** With an organization: the member (username or email) whose token it is. */
  tokenOwner: string | null
}

/** Visible ASCII: what an `Authorization: Bearer` value can carry (the JWT check in verify uses the same rule). */
const HEADER_VALUE = /^[\x21-\x7e]+$/u

export type ReadInput = (name: string) => string

export interface InputSources {
  readInput: ReadInput
  env: NodeJS.ProcessEnv
  /** Called with each secret the moment it is read, before any validation can print anything. */
  maskSecret: (value: string) => void
  warn: (message: string) => void
}

/** Reads every input, masks the secrets among them, and validates the rest before any request. */
export function readConfig({ readInput, env, maskSecret, warn }: InputSources): Config {
  const apiTokenInput = readInput('api-token')
  // The runner trims inputs; a variable keeps a pasted newline or space, which would break the header.
  const apiToken = apiTokenInput || (env.TURSO_API_TOKEN ?? '').trim()
  maskSecret(apiToken)
  const githubToken = readInput('github-token')
  maskSecret(githubToken)
  const currentToken = readInput('current-token')
  maskSecret(currentToken)

  const operation = parseOperation(readInput('operation'))
  if (operation !== 'create-token') refuseRenewalInputs(readInput, operation)
  warnInputsThatDoNotApply(operation, readInput, warn)
  if (apiToken === '') {
    throw new InputError('api-token', "Input 'api-token' is required: pass a Turso Platform API token, or set the TURSO_API_TOKEN environment variable (create one with `turso auth api-tokens mint <name>`)")
  }
  // Checked here so a broken value never reaches an HTTP header, where undici's refusal would
  // read like a network failure. The value itself is never echoed.
  if (!HEADER_VALUE.test(apiToken)) {
    const source = apiTokenInput === '' ? 'the TURSO_API_TOKEN environment variable' : "input 'api-token'"
    throw new InputError('api-token', `The Turso API token in ${source} contains a character that cannot be sent in an HTTP header (a space, line break or non-ASCII character inside it): copy the token again and update the secret behind api-token / TURSO_API_TOKEN`)
  }
  const connection: Connection = {
    apiUrl: parseApiUrl(readInput('api-url') || 'https://api.turso.tech'),
    apiToken,
    retries: parseRetries(readInput('retries') || '3'),
    timeoutMs: parseTimeoutSeconds(readInput('timeout') || '30') * 1000
  }
  const dryRun = readBoolean(readInput, 'dry-run', false)

  if (operation === 'revoke') {
    return { operation, connection, dryRun, ...readRevokeTarget(readInput, warn) }
  }
  if (operation === 'create-api-token' || operation === 'rotate-api-token') {
    const request = readApiTokenRequest(readInput, operation)
    const delivery = readDelivery(readInput, env, githubToken, null, warn)
    if (operation === 'create-api-token') return { operation, connection, dryRun, ...request, delivery }
    if (delivery.secret === undefined) {
      throw new InputError('secret-name', "Input 'secret-name' is required for operation 'rotate-api-token': the GitHub secret that holds the API token (usually the one passed as api-token), which receives the new token before the old generations are revoked; set it with 'github-token'")
    }
    return { operation, connection, dryRun, ...request, delivery }
  }

  const target = readTarget(readInput, operation)
  const mintReplacement = operation === 'rotate' ? readBoolean(readInput, 'mint', true) : true
  const delivery = readDelivery(readInput, env, githubToken, target, warn)
  if (!mintReplacement && (delivery.verify || delivery.exportEnv || delivery.secret !== undefined)) {
    const used = delivery.secret !== undefined ? 'secret-name' : delivery.verify ? 'verify' : 'export-env'
    throw new InputError(used, `Input '${used}' needs a minted token, but 'mint' is false: remove it or set mint: true`)
  }
  const mint = mintReplacement ? readMintOptions(readInput) : null
  if (operation === 'rotate') return { operation, connection, dryRun, target, mint, delivery }
  return { operation, connection, dryRun, target, mint: mint as MintOptions, delivery, ...readRenewal(readInput, currentToken, mint as MintOptions) }
}

/**
 * renew-within and current-token. An empty current-token is a first run (`${{ secrets.NAME }}` of a
 * secret that does not exist yet), so it cannot be refused; a current-token without renew-within
 * would be ignored and a token minted on every run, so that is refused instead.
 */
function readRenewal(readInput: ReadInput, currentToken: string, mint: MintOptions): { renewal?: Renewal } {
  const window = readInput('renew-within')
  if (window === '') {
    if (currentToken === '') return {}
    throw new InputError(
      'current-token',
      "Input 'current-token' is used only with 'renew-within': add renew-within (for example 7d) to mint only when the current token expires within it, or remove current-token to mint a new token on every run"
    )
  }
  const windowNs = parseRenewWithin(window)
  if (mint.expiration === 'never') {
    throw new InputError(
      'renew-within',
      "Input 'renew-within' needs an 'expiration' other than never: renewal replaces expiring tokens, so set expiration (for example 30d) longer than renew-within"
    )
  }
  if (windowNs >= parseGoDuration(mint.expiration)) {
    throw new InputError(
      'renew-within',
      `Input 'renew-within' (${window}) must be shorter than 'expiration' (${mint.expiration}): otherwise every new token would be due for renewal the moment it is minted. For example expiration: 30d with renew-within: 7d`
    )
  }
  return { renewal: { currentToken, window, windowMs: Number(windowNs / 1_000_000n) } }
}

/** Renewal belongs to create-token; elsewhere it would silently not happen. */
function refuseRenewalInputs(readInput: ReadInput, operation: string): void {
  for (const input of ['renew-within', 'current-token']) {
    if (readInput(input) !== '') {
      throw new InputError(input, `Input '${input}' applies only to operation 'create-token' (renewal before expiry), not to '${operation}': remove it, or use operation: create-token`)
    }
  }
}

function readRevokeTarget(readInput: ReadInput, warn: (message: string) => void): RevokeTarget {
  const tokenName = readInput('token-name')
  if (tokenName === '') {
    throw new InputError('token-name', "Input 'token-name' is required for operation 'revoke': the name of the Platform API token to revoke (see `turso auth api-tokens list`)")
  }
  const organization = readInput('organization')
  const owner = readInput('token-owner')
  if (organization === '' && owner !== '') {
    warn("Input 'token-owner' applies to operation 'revoke' only with 'organization' (an organization's tokens are chosen by owner) and is ignored")
  }
  return {
    tokenName: parseResourceName('token-name', tokenName, 'token-name'),
    organization: organization === '' ? null : parseResourceName('organization', organization, 'organization'),
    tokenOwner: organization === '' || owner === '' ? null : parseTokenOwner(owner)
  }
}

function readApiTokenRequest(readInput: ReadInput, operation: 'create-api-token' | 'rotate-api-token'): ApiTokenRequest {
  const tokenName = readInput('token-name')
  if (tokenName === '') {
    const meaning = operation === 'create-api-token' ? "the new Platform API token's name" : 'the base name of the API token generations, such as ci-deployer'
    throw new InputError('token-name', `Input 'token-name' is required for operation '${operation}': ${meaning}`)
  }
  const name = parseResourceName('token-name', tokenName, 'token-name')
  if (operation === 'rotate-api-token' && Array.from(name).length + GENERATION_SUFFIX_LENGTH > MAX_TOKEN_NAME_LENGTH) {
    throw new InputError('token-name', `Input 'token-name' is too long for operation 'rotate-api-token': each generation is named <token-name>-<yyyymmddThhmmssZ>, which must fit in ${MAX_TOKEN_NAME_LENGTH} characters`)
  }
  const organization = readInput('organization')
  if (organization === '') {
    throw new InputError('organization', `Input 'organization' is required for operation '${operation}': the slug of the organization the new API token is restricted to (Turso deprecates unrestricted tokens)`)
  }
  const group = readInput('group')
  const groupName = group === '' ? null : parseResourceName('group', group, 'group')
  const restriction = { organization: parseResourceName('organization', organization, 'organization'), group: groupName, scopes: parseScopes(readInput('scopes'), groupName) }
  const expiration = readInput('expiration')
  if (expiration !== '' && expiration !== 'never') {
    // Turso's createAPIToken takes no lifetime: a value here would be silently dropped.
    throw new InputError('expiration', `Input 'expiration' does not apply to operation '${operation}': Turso creates Platform API tokens without an expiry; remove it (rotate the token on a schedule instead)`)
  }
  return { tokenName: name, restriction }
}

function readTarget(readInput: ReadInput, operation: string): TokenTarget {
  const database = readInput('database')
  const group = readInput('group')
  const organization = readInput('organization')
  if (database !== '' && group !== '') {
    throw new InputError('database', `Inputs 'database' and 'group' are both set: operation '${operation}' takes exactly one of them`)
  }
  if (database === '' && group === '') {
    throw new InputError('database', `Operation '${operation}' needs a target: set input 'database' (with 'organization') or input 'group'`)
  }
  const org = organization === '' ? null : parseResourceName('organization', organization, 'organization')
  if (database !== '') {
    if (org === null) {
      throw new InputError('organization', "Input 'organization' is required with 'database': the slug of the organization (or your username) that owns the database")
    }
    return { kind: 'database', organization: org, database: parseResourceName('database', database, 'database') }
  }
  return { kind: 'group', organization: org, group: parseResourceName('group', group, 'group') }
}

function readMintOptions(readInput: ReadInput): MintOptions {
  const expiration = parseExpiration(readInput('expiration') || 'never')
  return {
    expiration: expiration.kind === 'never' ? 'never' : expiration.text,
    readOnly: readBoolean(readInput, 'read-only', false),
    fineGrainedPermissions: parsePermissions(readInput('permissions')),
    attachDatabases: parseNameList('attach-databases', readInput('attach-databases'), 'database')
  }
}

function readDelivery(
  readInput: ReadInput,
  env: NodeJS.ProcessEnv,
  githubToken: string,
  target: TokenTarget | null,
  warn: (message: string) => void
): Delivery {
  const verify = readBoolean(readInput, 'verify', false)
  if (verify && target !== null && target.kind === 'group' && target.organization === null) {
    throw new InputError('verify', "Input 'verify' with a user-account group needs 'organization': the action finds a database of the group through the organization's database list; set organization to your username")
  }
  const verifyTimeoutMs = parseVerifyTimeoutSeconds(readInput('verify-timeout') || '60') * 1000
  const exportEnv = readBoolean(readInput, 'export-env', false)
  const secretName = readInput('secret-name')
  const targetList = readInput('secret-targets')
  if (secretName === '') {
    if (targetList !== '') {
      throw new InputError('secret-targets', "Input 'secret-targets' needs 'secret-name': the name of the secret to write at each destination it lists")
    }
    warnSecretInputsWithoutName(readInput, warn)
    return { verify, verifyTimeoutMs, exportEnv }
  }
  if (githubToken === '') {
    throw new InputError('github-token', "Input 'github-token' is required with 'secret-name': a token allowed to write secrets (see the README's table of permissions per destination: a fine-grained PAT or a GitHub App token); the default GITHUB_TOKEN cannot write secrets")
  }
  const targets = targetList === '' ? [readSecretTarget(readInput, env, secretName)] : readSecretTargetList(readInput, secretName, targetList)
  return { verify, verifyTimeoutMs, exportEnv, secret: { secretName, githubToken, targets } }
}

const SINGLE_DESTINATION_INPUTS = ['secret-repository', 'secret-environment', 'secret-organization', 'secret-type']

/** secret-targets: each line checked like the single-destination inputs, which it replaces. */
function readSecretTargetList(readInput: ReadInput, secretName: string, text: string): SecretTarget[] {
  for (const input of SINGLE_DESTINATION_INPUTS) {
    const value = readInput(input)
    if (value !== '' && value !== SECRET_DEFAULTS[input]) {
      throw new InputError(
        input,
        `Inputs 'secret-targets' and '${input}' are both set: secret-targets lists every destination (a dependabot line for a Dependabot secret), so remove ${input} and add its destination as a line of secret-targets`
      )
    }
  }
  return asInputError(() =>
    parseSecretTargets(text, {
      secretName,
      visibility: readInput('secret-visibility') === '' ? undefined : parseSecretVisibility(readInput('secret-visibility')),
      selectedRepositories: splitList(readInput('secret-repositories'))
    })
  )
}

/**
 * The secret-* inputs as a checked target. Every rule lives in src/github/secret-target.ts (the
 * store applies the same ones); its errors are reported here as the input they concern.
 */
function readSecretTarget(readInput: ReadInput, env: NodeJS.ProcessEnv, secretName: string): SecretTarget {
  return asInputError(() => {
    const type = parseSecretType(readInput('secret-type') || 'actions')
    const organization = readInput('secret-organization').trim() || undefined
    const visibilityText = readInput('secret-visibility')
    const visibility = visibilityText === '' ? undefined : parseSecretVisibility(visibilityText)
    const selectedRepositories = splitList(readInput('secret-repositories'))
    const explicitRepository = readInput('secret-repository') || undefined
    // GITHUB_REPOSITORY is the default home of repository secrets only; an organization secret
    // has none, and an explicit secret-repository next to secret-organization is refused below.
    const repository =
      organization === undefined ? parseRepository(explicitRepository ?? env.GITHUB_REPOSITORY ?? '') : explicitRepository
    const environment = readInput('secret-environment') || undefined
    const secret: SecretTarget = { secretName, type, repository, environment, organization, visibility, selectedRepositories }
    resolveSecretScope(secret)
    return secret
  })
}

/** The secret rules' errors (src/github/secret-target.ts) reported as the input they concern. */
function asInputError<T>(read: () => T): T {
  try {
    return read()
  } catch (error) {
    if (!(error instanceof GitHubSecretError) || error.input === undefined) throw error
    // Messages about combinations already name their inputs; the naming rules' say only what is wrong.
    const message = /^Inputs? '/u.test(error.message) ? error.message : `Input '${error.input}': ${error.message}`
    throw new InputError(error.input, message)
  }
}

/** A newline- or comma-separated list, blanks dropped. */
function splitList(text: string): string[] {
  return text
    .split(/[\n,]/u)
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
}

const SECRET_DEFAULTS: Readonly<Record<string, string>> = { 'secret-visibility': 'private', 'secret-type': 'actions' }

function warnSecretInputsWithoutName(readInput: ReadInput, warn: (message: string) => void): void {
  for (const input of ['secret-repository', 'secret-environment', 'secret-organization', 'secret-visibility', 'secret-repositories', 'secret-type']) {
    const value = readInput(input)
    if (value !== '' && value !== SECRET_DEFAULTS[input]) warn(`Input '${input}' is ignored: no 'secret-name' is set, so no secret is written`)
  }
}

function readBoolean(readInput: ReadInput, input: string, fallback: boolean): boolean {
  const value = readInput(input)
  return value === '' ? fallback : parseBoolean(input, value)
}
