import { apiEndpoint } from '../parsers/api-url.js'
import { NetworkError, type HttpClient, type HttpResponse } from '../http/http-client.js'
import { splitHostAndPort } from '../parsers/host.js'
import { expiresAtFromJwt } from '../parsers/jwt.js'
import { serverText } from '../runner/server-text.js'
import { isPrintableTokenName, isTokenId, parseApiTokenList, type ApiTokenList } from './api-token-list.js'
import { createApiTokenBody, describeRestriction, type ApiTokenRestriction } from './api-token-restriction.js'
import { apiErrorMessage, TursoApiError, TursoNetworkError, UnexpectedResponseError, type Attempt } from './errors.js'
import {
  apiTokenPath,
  apiTokensPath,
  createTokenPath,
  databaseConfigurationPath,
  databasePath,
  databasesPath,
  organizationApiTokenPath,
  organizationApiTokensPath,
  rotatePath,
  validateApiTokenPath
} from './paths.js'
import { describeTarget, type MintOptions, type TokenTarget } from './targets.js'

export interface DatabaseInfo {
  hostname: string
  /** The group whose signing key the database's tokens use; null for a database outside groups. */
  group: string | null
}

/** A database of a group, as listed: its name (cleaned for printing) with the lookup fields. */
export interface GroupDatabase extends DatabaseInfo {
  name: string
}

/** The parts of a database's configuration that decide whether a runner can verify a token on it. */
export interface DatabaseConfiguration {
  /** Only these IP addresses / CIDR blocks may connect; empty means no restriction. */
  allowedIps: string[]
  /** Only these AWS VPC endpoints may connect; empty means no restriction. */
  allowedAwsVpcIds: string[]
  blockReads: boolean
  blockWrites: boolean
}

export interface MintedToken {
  jwt: string
  /** From the JWT's `exp` claim; null for a token that never expires. */
  expiresAt: Date | null
}

/**
 * What a DELETE of an API token got: `revoked` with the name or ID Turso reports (the one sent
 * when the answer names none usable), or `not-found` (404), which alone proves nothing: the
 * caller lists again to tell "gone" from "never there".
 */
export type DeleteResult = { outcome: 'revoked'; reported: string } | { outcome: 'not-found'; attempts: number }

/** A Platform API token just created: `token` is masked before the client returns it. */
export interface CreatedApiToken {
  name: string
  id: string
  token: string
}

export interface PlannedRequest {
  method: 'GET' | 'POST' | 'DELETE'
  path: string
  query: Record<string, string>
  body?: string
}

/** The body of a create-token request; fields appear only when used, as the CLI sends them. */
export function createTokenBody(options: MintOptions): Record<string, unknown> | undefined {
  const body: Record<string, unknown> = {}
  if (options.attachDatabases.length > 0) body.permissions = { read_attach: { databases: options.attachDatabases } }
  if (options.fineGrainedPermissions.length > 0) body.fine_grained_permissions = options.fineGrainedPermissions
  return Object.keys(body).length > 0 ? body : undefined
}

export function createTokenRequest(target: TokenTarget, options: MintOptions): PlannedRequest {
  const body = createTokenBody(options)
  return {
    method: 'POST',
    path: createTokenPath(target),
    query: { expiration: options.expiration, authorization: options.readOnly ? 'read-only' : 'full-access' },
    body: body === undefined ? undefined : JSON.stringify(body)
  }
}

/** createAPIToken, always with a body: without one Turso creates a deprecated unrestricted token. */
export function createApiTokenRequest(tokenName: string, restriction: ApiTokenRestriction): PlannedRequest {
  return { method: 'POST', path: apiTokenPath(tokenName), query: {}, body: JSON.stringify(createApiTokenBody(restriction)) }
}

export function validateApiTokenRequest(): PlannedRequest {
  return { method: 'GET', path: validateApiTokenPath(), query: {} }
}

export function rotateRequest(target: TokenTarget): PlannedRequest {
  return { method: 'POST', path: rotatePath(target), query: {} }
}

export function revokeRequest(tokenName: string): PlannedRequest {
  return { method: 'DELETE', path: apiTokenPath(tokenName), query: {} }
}

export function listApiTokensRequest(organization: string | null): PlannedRequest {
  return { method: 'GET', path: organization === null ? apiTokensPath() : organizationApiTokensPath(organization), query: {} }
}

export function revokeOrganizationTokenRequest(organization: string, tokenId: string): PlannedRequest {
  return { method: 'DELETE', path: organizationApiTokenPath(organization, tokenId), query: {} }
}

/** Members see and revoke only their own organization tokens (listOrganizationAPITokens, revokeOrganizationAPIToken). */
const MEMBER_TOKEN_LIMIT =
  "A member's API token lists and revokes only the tokens that member minted, and a token restricted to another organization or to a group may not manage them: use an API token of an admin or owner of the organization to revoke another member's token."

/**
 * The Turso Platform API calls this action makes. Every minted token is handed to `maskSecret`
 * before anything else happens to it.
 */
export class TursoClient {
  constructor(
    private readonly http: HttpClient,
    private readonly apiUrl: URL,
    private readonly apiToken: string,
    private readonly maskSecret: (value: string) => void
  ) {}

  async createToken(target: TokenTarget, options: MintOptions): Promise<MintedToken> {
    const attempt: Attempt = {
      action: `create a token for ${describeTarget(target)}`,
      notFound: mintNotFoundText(target, options.attachDatabases),
      scope: target.kind === 'database' ? 'db:mint-token' : 'group:mint-token'
    }
    let response: HttpResponse
    try {
      response = await this.send(createTokenRequest(target, options), attempt)
    } catch (error) {
      throw attachDatabaseNotFound(error, target, options.attachDatabases) ?? error
    }
    const body = parseJsonObject(response, attempt)
    const jwt = body.jwt
    if (typeof jwt !== 'string' || jwt === '') throw new UnexpectedResponseError(attempt, 'the answer has no jwt field')
    // Masked even if it turns out to be garbage: whatever it is, it may be a credential. Except
    // a value too short to be any credential: masking "e" would star out every "e" in the rest
    // of the job's log. Either way it is refused below and never printed.
    if (jwt.length >= MIN_MASKED_LENGTH) this.maskSecret(jwt)
    try {
      return { jwt, expiresAt: expiresAtFromJwt(jwt) }
    } catch (error) {
      // The parser's messages never quote the token.
      throw new UnexpectedResponseError(attempt, `the jwt field is not a usable token (${(error as Error).message})`)
    }
  }

  async rotate(target: TokenTarget): Promise<void> {
    const attempt: Attempt = {
      action: `invalidate the tokens of ${describeTarget(target)}`,
      notFound: notFoundText(target),
      scope: target.kind === 'database' ? 'db:rotate-creds' : 'group:rotate-creds'
    }
    // The success body is empty (HTTP 200, no JSON): nothing to parse.
    await this.send(rotateRequest(target), attempt)
  }

  async getDatabase(organization: string, database: string): Promise<DatabaseInfo> {
    const attempt: Attempt = {
      action: `look up database '${database}' in organization '${organization}'`,
      notFound: notFoundText({ kind: 'database', organization, database }),
      scope: 'read'
    }
    const response = await this.send({ method: 'GET', path: databasePath(organization, database), query: {} }, attempt)
    const record = parseJsonObject(response, attempt).database as Record<string, unknown> | undefined
    // Turso capitalises this one key: `Hostname`.
    const hostname = record?.Hostname
    if (typeof hostname !== 'string' || hostname === '') {
      throw new UnexpectedResponseError(attempt, 'the answer has no database.Hostname')
    }
    // It becomes the database-url output and is printed: only a bare host[:port] may pass.
    if (!isHostAndPort(hostname)) throw new UnexpectedResponseError(attempt, 'the answer\'s database.Hostname is not a host name')
    // Printed in rotate's "every token of group '…'" line: made printable where it enters.
    const group = typeof record?.group === 'string' ? serverText(record.group, 100) : ''
    return { hostname, group: group === '' ? null : group }
  }

  /**
   * GET .../databases/{db}/configuration. A field the answer lacks counts as unset (older answers
   * have no allowed_ips / allowed_aws_vpc_ids); a field of the wrong type is not Turso's answer.
   */
  async getDatabaseConfiguration(organization: string, database: string): Promise<DatabaseConfiguration> {
    const attempt: Attempt = {
      action: `read the configuration of database '${database}' in organization '${organization}'`,
      notFound: notFoundText({ kind: 'database', organization, database })
    }
    const response = await this.send({ method: 'GET', path: databaseConfigurationPath(organization, database), query: {} }, attempt)
    const body = parseJsonObject(response, attempt)
    const list = (name: string): string[] => {
      const value = body[name]
      if (value === undefined || value === null) return []
      if (!Array.isArray(value) || !value.every((entry) => typeof entry === 'string')) {
        throw new UnexpectedResponseError(attempt, `the answer's ${name} is not a list of strings`)
      }
      // Printed in the refusal: cleaned where they enter.
      return value.map((entry) => serverText(entry, 100))
    }
    const flag = (name: string): boolean => {
      const value = body[name]
      if (value === undefined || value === null) return false
      if (typeof value !== 'boolean') throw new UnexpectedResponseError(attempt, `the answer's ${name} is not true or false`)
      return value
    }
    return {
      allowedIps: list('allowed_ips'),
      allowedAwsVpcIds: list('allowed_aws_vpc_ids'),
      blockReads: flag('block_reads'),
      blockWrites: flag('block_writes')
    }
  }

  /** The databases of a group: the ones a rotation affects, and one to check a group token on. */
  async listGroupDatabases(organization: string, group: string): Promise<GroupDatabase[]> {
    const attempt: Attempt = {
      action: `list the databases of group '${group}' in organization '${organization}'`,
      notFound: `organization '${organization}' was not found`,
      scope: 'read'
    }
    const response = await this.send({ method: 'GET', path: databasesPath(organization), query: { group } }, attempt)
    const databases = parseJsonObject(response, attempt).databases
    if (!Array.isArray(databases)) throw new UnexpectedResponseError(attempt, 'the answer has no databases list')
    const inGroup = databases
      .filter((db): db is Record<string, unknown> => db !== null && typeof db === 'object')
      .filter((db) => typeof db.Hostname === 'string' && (db.group === undefined || db.group === group))
    // A hostname is printed and dialled with the new token: only a bare host[:port] may pass.
    if (inGroup.some((db) => !isHostAndPort(db.Hostname as string))) {
      throw new UnexpectedResponseError(attempt, 'a database.Hostname in the answer is not a host name')
    }
    // Names are printed (the databases a rotation affects): cleaned where they enter.
    return inGroup.map((db) => ({
      name: typeof db.Name === 'string' && db.Name !== '' ? serverText(db.Name, 100) : (db.Hostname as string),
      hostname: db.Hostname as string,
      group
    }))
  }

  /**
   * The caller's own API tokens (`organization` null), or an organization's org- and
   * group-scoped tokens; listed to revoke the token named `tokenName`.
   */
  async listApiTokens(organization: string | null, tokenName: string): Promise<ApiTokenList> {
    const attempt: Attempt =
      organization === null
        ? {
            action: `revoke the API token '${tokenName}' (listing the tokens of the account that owns api-token)`,
            notFound: 'the token list was not found; check api-url'
          }
        : {
            action: `revoke the API token '${tokenName}' in organization '${organization}' (listing the organization's tokens)`,
            notFound: `organization '${organization}' was not found (check the slug with \`turso org list\`)`,
            forbidden: MEMBER_TOKEN_LIMIT
          }
    const body = parseJsonObject(await this.send(listApiTokensRequest(organization), attempt), attempt)
    const list = parseApiTokenList(body)
    if (list === undefined) throw new UnexpectedResponseError(attempt, 'the answer has no tokens list')
    return list
  }

  /** DELETE /v1/auth/api-tokens/{name}: one of the caller's own tokens. */
  async revokeApiToken(tokenName: string): Promise<DeleteResult> {
    const attempt: Attempt = {
      action: `revoke the API token '${tokenName}'`,
      notFound: `no API token named '${tokenName}' exists for this account (list them with \`turso auth api-tokens list\`)`
    }
    return this.deleteToken(revokeRequest(tokenName), attempt, tokenName, isPrintableTokenName)
  }

  /** DELETE /v1/organizations/{org}/api-tokens/{id}; `description` names the token for errors. */
  async revokeOrganizationApiToken(organization: string, tokenId: string, description: string): Promise<DeleteResult> {
    const attempt: Attempt = {
      action: `revoke ${description} in organization '${organization}'`,
      notFound: `no token with ID ${tokenId} exists in organization '${organization}'`,
      forbidden: MEMBER_TOKEN_LIMIT
    }
    return this.deleteToken(revokeOrganizationTokenRequest(organization, tokenId), attempt, tokenId, isTokenId)
  }

  /** The same API, called with another Platform API token (a new one, to validate it or to revoke with it). */
  withApiToken(apiToken: string): TursoClient {
    return new TursoClient(this.http, this.apiUrl, apiToken, this.maskSecret)
  }

  /**
   * POST /v1/auth/api-tokens/{name} (createAPIToken). The new token is masked the moment it is
   * read from the answer, before anything about the answer can be checked or printed.
   */
  async createApiToken(tokenName: string, restriction: ApiTokenRestriction): Promise<CreatedApiToken> {
    const attempt: Attempt = {
      action: `create the API token '${tokenName}' restricted to ${describeRestriction(restriction)}`,
      notFound:
        restriction.group === null
          ? `organization '${restriction.organization}' was not found (check the slug with \`turso org list\`)`
          : `organization '${restriction.organization}' or its group '${restriction.group}' was not found (list them with \`turso org list\` and \`turso group list\`)`,
      forbidden: CREATE_API_TOKEN_LIMIT,
      conflict:
        `An API token named '${tokenName}' already exists for this account (names are unique per user): choose another token-name, or revoke that token first. ` +
        'If an earlier attempt of this run lost its answer, that attempt created it and its value is lost: revoke it and re-run.'
    }
    const body = parseJsonObject(await this.send(createApiTokenRequest(tokenName, restriction), attempt), attempt)
    const { token, id, name } = body
    if (typeof token === 'string' && token.length >= MIN_MASKED_LENGTH) this.maskSecret(token)
    if (typeof token !== 'string' || token === '') throw new UnexpectedResponseError(attempt, 'the answer has no token field')
    if (token.length < MIN_MASKED_LENGTH || !HEADER_VALUE.test(token)) throw new UnexpectedResponseError(attempt, 'the token field is not a usable API token')
    if (typeof id !== 'string' || !isTokenId(id)) throw new UnexpectedResponseError(attempt, 'the answer has no usable id field')
    // The name is printed and set as an output: one the token-name rules would refuse falls back to the one sent.
    return { name: typeof name === 'string' && isPrintableTokenName(name) ? name : tokenName, id, token }
  }

  /** GET /v1/auth/validate (validateAPIToken) with this client's token: when it expires, null for never (`exp: -1`). */
  async validateApiToken(): Promise<{ expiresAt: Date | null }> {
    const attempt: Attempt = { action: 'validate the API token with GET /v1/auth/validate', notFound: 'the validate endpoint was not found; check api-url' }
    const exp = parseJsonObject(await this.send(validateApiTokenRequest(), attempt), attempt).exp
    if (typeof exp !== 'number' || !Number.isSafeInteger(exp) || exp < -1) throw new UnexpectedResponseError(attempt, 'the answer has no usable exp field')
    return { expiresAt: exp === -1 ? null : new Date(exp * 1000) }
  }

  private async deleteToken(request: PlannedRequest, attempt: Attempt, sent: string, usable: (reported: string) => boolean): Promise<DeleteResult> {
    const response = await this.sendRaw(request, attempt)
    // DELETE is safe to repeat, and after a lost answer the retry finds nothing: the caller,
    // which listed the token before, lists again to tell "gone" from "never there".
    if (response.status === 404) return { outcome: 'not-found', attempts: response.attempts }
    this.checkStatus(response, attempt)
    // Any 2xx is success. The reported value is printed and set as an output: an empty body, or
    // a value the input rules would refuse (a newline could start a `::workflow-command::`),
    // falls back to the value sent.
    const reported = parseOptionalJsonObject(response.text)?.token
    return { outcome: 'revoked', reported: typeof reported === 'string' && usable(reported) ? reported : sent }
  }

  private async send(request: PlannedRequest, attempt: Attempt): Promise<HttpResponse> {
    return this.checkStatus(await this.sendRaw(request, attempt), attempt)
  }

  private async sendRaw(request: PlannedRequest, attempt: Attempt): Promise<HttpResponse> {
    const url = apiEndpoint(this.apiUrl, request.path)
    for (const [name, value] of Object.entries(request.query)) url.searchParams.set(name, value)
    const headers: Record<string, string> = { authorization: `Bearer ${this.apiToken}` }
    if (request.body !== undefined) headers['content-type'] = 'application/json'
    try {
      return await this.http.send({ method: request.method, url, headers, body: request.body })
    } catch (error) {
      // Say what was being attempted and what to do, not only which request failed.
      if (error instanceof NetworkError) throw new TursoNetworkError(error, attempt)
      throw error
    }
  }

  private checkStatus(response: HttpResponse, attempt: Attempt): HttpResponse {
    // Turso documents 200 for each success, but any 2xx means done; a 3xx is never followed (see HttpClient).
    if (response.status >= 200 && response.status < 300) return response
    // apiErrorMessage redacts the secrets (the API token is registered the moment it is read)
    // after decoding the JSON and before cutting the text.
    throw new TursoApiError(response.status, apiErrorMessage(response.text), attempt, response.attempts)
  }
}

/** Visible ASCII: what an `Authorization: Bearer` value can carry. */
const HEADER_VALUE = /^[\x21-\x7e]+$/u

/** createAPIToken's own rules (openapi.json): who may create which token. */
const CREATE_API_TOKEN_LIMIT =
  'A group-scoped token can be created only by an admin or owner of the organization, and an API token restricted to an organization or group ' +
  'may not create tokens outside it (Turso\'s answer does not say which rule applies): create it with the API token of an admin or owner ' +
  "whose restriction covers the new one (`turso auth api-tokens mint`), or narrow 'organization', 'group' and 'scopes'."

/** Shorter than any token Turso issues (a JWT runs to well over a hundred characters). */
const MIN_MASKED_LENGTH = 8

function isHostAndPort(value: string): boolean {
  return splitHostAndPort(value) !== undefined
}

// Turso answers 404 for a wrong organization slug as well, so the organization is named too.
function notFoundText(target: TokenTarget): string {
  if (target.kind === 'database') {
    return `database '${target.database}' was not found in organization '${target.organization}' (list them with \`turso db list\`; check the organization slug with \`turso org list\`)`
  }
  return target.organization === null
    ? `group '${target.group}' was not found in your user account (list them with \`turso group list\`)`
    : `group '${target.group}' was not found in organization '${target.organization}' (list them with \`turso group list\`; check the organization slug with \`turso org list\`)`
}

/** A 404 of a mint with attach-databases may mean one of those is missing, not the target. */
function mintNotFoundText(target: TokenTarget, attachDatabases: readonly string[]): string {
  if (attachDatabases.length === 0) return notFoundText(target)
  const listed = attachDatabases.map((name) => `'${name}'`).join(', ')
  return `${notFoundText(target)}; or an attach-databases entry (${listed}) does not exist there`
}

/**
 * When Turso's 404 message names an attach-databases entry (and not the target), the error
 * names that entry instead of blaming the target ("database 'app-db' was not found").
 */
function attachDatabaseNotFound(error: unknown, target: TokenTarget, attachDatabases: readonly string[]): TursoApiError | undefined {
  if (!(error instanceof TursoApiError) || error.status !== 404) return undefined
  const named = (name: string): boolean => new RegExp(`(?:^|[^a-z0-9-])${name}(?:[^a-z0-9-]|$)`, 'u').test(error.apiMessage)
  if (target.kind === 'database' && named(target.database)) return undefined
  const missing = attachDatabases.find(named)
  if (missing === undefined) return undefined
  const where = target.organization === null ? 'your user account' : `organization '${target.organization}'`
  const notFound = `attach database '${missing}' (input attach-databases) was not found in ${where} (list them with \`turso db list\`)`
  return new TursoApiError(error.status, error.apiMessage, { ...error.attempt, notFound }, error.attempts)
}

/** The JSON object in an optional success body; undefined for an empty or other body. */
function parseOptionalJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(text)
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

function parseJsonObject(response: HttpResponse, attempt: Attempt): Record<string, unknown> {
  let parsed: unknown
  try {
    parsed = JSON.parse(response.text)
  } catch {
    throw new UnexpectedResponseError(attempt, `the answer (HTTP ${response.status}) is not JSON`)
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new UnexpectedResponseError(attempt, 'the answer is not a JSON object')
  }
  return parsed as Record<string, unknown>
}
