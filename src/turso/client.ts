import { apiEndpoint } from '../parsers/api-url.js'
import { NetworkError, type FailedAttempt, type HttpClient, type HttpResponse } from '../http/http-client.js'
import { splitHostAndPort } from '../parsers/host.js'
import { expiresAtFromJwt } from '../parsers/jwt.js'
import { parseResourceName } from '../parsers/names.js'
import { redact, replaceSecrets } from '../runner/secrets.js'
import { serverText } from '../runner/server-text.js'
import { apiErrorMessage, TursoApiError, TursoNetworkError, UnexpectedResponseError, type Attempt } from './errors.js'
import { apiTokenPath, createTokenPath, databasePath, databasesPath, rotatePath } from './paths.js'
import { describeTarget, type MintOptions, type TokenTarget } from './targets.js'

export interface DatabaseInfo {
  hostname: string
  /** The group whose signing key the database's tokens use; null for a database outside groups. */
  group: string | null
}

export interface MintedToken {
  jwt: string
  /** From the JWT's `exp` claim; null for a token that never expires. */
  expiresAt: Date | null
}

export interface RevokeResult {
  tokenName: string
  /** The token was already gone on a retry after an attempt whose answer was lost. */
  alreadyGone: boolean
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

export function rotateRequest(target: TokenTarget): PlannedRequest {
  return { method: 'POST', path: rotatePath(target), query: {} }
}

export function revokeRequest(tokenName: string): PlannedRequest {
  return { method: 'DELETE', path: apiTokenPath(tokenName), query: {} }
}

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
      notFound: notFoundText(target)
    }
    const response = await this.send(createTokenRequest(target, options), attempt)
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
      notFound: notFoundText(target)
    }
    // The success body is empty (HTTP 200, no JSON): nothing to parse.
    await this.send(rotateRequest(target), attempt)
  }

  async getDatabase(organization: string, database: string): Promise<DatabaseInfo> {
    const attempt: Attempt = {
      action: `look up database '${database}' in organization '${organization}'`,
      notFound: notFoundText({ kind: 'database', organization, database })
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

  /** Names of the databases in a group, for checking a group token against one of them. */
  async listGroupDatabases(organization: string, group: string): Promise<DatabaseInfo[]> {
    const attempt: Attempt = {
      action: `list the databases of group '${group}' in organization '${organization}'`,
      notFound: `organization '${organization}' was not found`
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
    return inGroup.map((db) => ({ hostname: db.Hostname as string, group }))
  }

  async revokeApiToken(tokenName: string): Promise<RevokeResult> {
    const attempt: Attempt = {
      action: `revoke the API token '${tokenName}'`,
      notFound: `no API token named '${tokenName}' exists for this account (list them with \`turso auth api-tokens list\`)`
    }
    const request = revokeRequest(tokenName)
    const response = await this.sendRaw(request, attempt)
    // DELETE is safe to repeat; if an earlier attempt got no answer (or a 5xx) it may well have
    // revoked the token, and the retry then finds nothing to revoke: that is success.
    if (response.status === 404 && response.failedAttempts.some(mayHaveBeenCarriedOut)) {
      return { tokenName, alreadyGone: true }
    }
    const body = parseJsonObject(this.checkStatus(response, attempt), attempt)
    // The reported name is printed and set as an output: one that the token-name input itself
    // would refuse (a newline could start a `::workflow-command::`) falls back to the name sent.
    const revoked = typeof body.token === 'string' && isPrintableTokenName(body.token) ? body.token : tokenName
    return { tokenName: revoked, alreadyGone: false }
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
    // Every documented success is exactly 200; a 3xx is never followed (see HttpClient).
    if (response.status === 200) return response
    // Redacted before apiErrorMessage shortens it: cut first, an echoed secret would lose its
    // tail, and the head that is left would no longer match the secret and be printed.
    const text = redact(replaceSecrets(response.text, [this.apiToken]))
    throw new TursoApiError(response.status, apiErrorMessage(text), attempt, response.attempts)
  }
}

/** Shorter than any token Turso issues (a JWT runs to well over a hundred characters). */
const MIN_MASKED_LENGTH = 8

function isHostAndPort(value: string): boolean {
  return splitHostAndPort(value) !== undefined
}

function isPrintableTokenName(value: string): boolean {
  // Also one the server-text rule leaves untouched: `a%0A::warning::b` is a valid name, but not one to print.
  if (serverText(value, Number.MAX_SAFE_INTEGER) !== value) return false
  try {
    return parseResourceName('token-name', value, 'token-name') === value
  } catch {
    return false
  }
}

/** 408 and 429 say the server did not act on the request; anything else might have. */
function mayHaveBeenCarriedOut(failure: FailedAttempt): boolean {
  return failure.status !== 408 && failure.status !== 429
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
