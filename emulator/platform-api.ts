/**
 * Turso Platform API routes used by the action (https://api.turso.tech), answered from EmulatorState.
 * Shapes follow /work/shared/reference/openapi.json (a copy is at emulator/reference/openapi.json).
 *
 * Check order for every route: route match (404/405) → API token (401) → organization (404)
 * → token's organization/group restriction (403) → target (404) → query and body (400).
 * Turso does not document the order; this one is a plausible choice.
 */
import { randomBytes } from 'node:crypto'
import { mintDatabaseToken, type FineGrainedRule } from './database-tokens.js'
import { parseGoDuration } from './duration.js'
import type { ApiTokenState, DatabaseState, EmulatorState, GroupState, OrganizationState } from './state.js'

export interface ApiRequest {
  method: string
  /** Percent-decoded path segments after the leading slash. */
  segments: string[]
  query: Record<string, string>
  headers: Record<string, string>
  body: string
}

/** `json` undefined means an empty body (as the rotate routes answer). */
export interface ApiResponse {
  status: number
  json?: unknown
}

export interface ApiContext {
  state: EmulatorState
  now: () => number
}

// --- Error wording --------------------------------------------------------------------------
// Documented by the OpenAPI spec:
const INVALID_EXPIRATION = 'Invalid expiration format'
const GROUP_NOT_FOUND = 'group not found'
const databaseNotFound = (name: string): string => `could not find database with name ${name}: record not found`
// Seen from the real API in 2023 for a token that no longer worked (turso-cli issue #154:
// "could not create database foo: Authentication required", where the CLI prints the body's
// `error`). The current wording for a wrong or revoked token is not documented anywhere found.
const AUTHENTICATION_REQUIRED = 'Authentication required'
// Not documented; emulator wording:
const ORGANIZATION_NOT_FOUND = 'organization not found'
const INVALID_AUTHORIZATION = 'Invalid authorization format, expected full-access or read-only'
const INVALID_BODY = 'Invalid request body'
const apiTokenNotFound = (name: string): string => `could not find api token with name ${name}: record not found`
const apiTokenIdNotFound = (id: string): string => `could not find api token with id ${id}: record not found`
const notMember = (org: string): string => `you are not a member of organization ${org}`
const FORBIDDEN = 'forbidden'
const onlyOwnTokens = 'members can only revoke API tokens they minted; ask an admin or owner of the organization'

const error = (status: number, message: string): ApiResponse => ({ status, json: { error: message } })

/** Scopes a group-scoped API token may hold; the presets expand to these. */
export const ALL_SCOPES = [
  'read',
  'db:create',
  'db:delete',
  'db:configure',
  'db:mint-token',
  'db:rotate-creds',
  'group:configure',
  'group:mint-token',
  'group:rotate-creds'
] as const

const FINE_GRAINED_ACTIONS = new Set(['data_read', 'data_add', 'data_update', 'data_delete', 'schema_add', 'schema_update', 'schema_delete'])

// --- Routing --------------------------------------------------------------------------------

type Params = Record<string, string>
type Handler = (ctx: ApiContext, req: ApiRequest, params: Params, token: ApiTokenState) => ApiResponse

interface Route {
  method: string
  pattern: string[]
  handler: Handler
}

const route = (method: string, path: string, handler: Handler): Route => ({ method, pattern: path.split('/').slice(1), handler })

function matchPattern(pattern: string[], segments: string[]): Params | undefined {
  if (pattern.length !== segments.length) return undefined
  const params: Params = {}
  for (let i = 0; i < pattern.length; i++) {
    const part = pattern[i] as string
    const segment = segments[i] as string
    if (part.startsWith(':')) {
      if (segment === '') return undefined
      params[part.slice(1)] = segment
    } else if (part !== segment) {
      return undefined
    }
  }
  return params
}

/**
 * A path served only for other methods is also 404: Turso answered `GET
 * /v1/auth/api-tokens/validate` with 404 (turso-api-client-ts issue #17), not 405.
 */
export function handlePlatformApi(ctx: ApiContext, req: ApiRequest): ApiResponse {
  for (const candidate of ROUTES) {
    if (candidate.method !== req.method) continue
    const params = matchPattern(candidate.pattern, req.segments)
    if (params === undefined) continue
    const token = authenticate(ctx, req.headers)
    if (token === undefined) return error(401, AUTHENTICATION_REQUIRED)
    return candidate.handler(ctx, req, params, token)
  }
  return error(404, 'not found')
}

function authenticate(ctx: ApiContext, headers: Record<string, string>): ApiTokenState | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '')
  if (match === null) return undefined
  const token = ctx.state.findApiTokenByValue(match[1] as string)
  if (token === undefined) return undefined
  if (token.exp !== undefined && Math.floor(ctx.now() / 1000) >= token.exp) return undefined
  return token
}

// --- Restrictions of org- and group-scoped API tokens --------------------------------------

function expandScopes(scopes: string[] | undefined): Set<string> {
  const expanded = new Set<string>()
  for (const scope of scopes ?? []) {
    if (scope === 'full-access') ALL_SCOPES.forEach((s) => expanded.add(s))
    else if (scope === 'read-only') expanded.add('read')
    else expanded.add(scope)
  }
  return expanded
}

/**
 * Turso answers 403 for a token outside its restriction (response-codes.mdx: "no permission"),
 * and its body does not say which rule refused it: not the organization, the group, nor the
 * missing scope. The emulator answers the same bare text to all three (the wording is a guess),
 * so the action's messages cannot lean on it.
 */
const forbidden = (): ApiResponse => error(403, FORBIDDEN)

function organizationRestriction(token: ApiTokenState, org: OrganizationState): ApiResponse | undefined {
  if (token.organization !== undefined && token.organization !== org.slug) return forbidden()
  return undefined
}

function groupRestriction(token: ApiTokenState, group: GroupState, scope: string): ApiResponse | undefined {
  if (token.group === undefined) return undefined
  if (token.group !== group.seed.name) return forbidden()
  if (!expandScopes(token.scopes).has(scope)) return forbidden()
  return undefined
}

// --- Target resolution ------------------------------------------------------------------------

type Resolved<T> = { ok: T } | { response: ApiResponse }

function resolveOrganization(ctx: ApiContext, params: Params, token: ApiTokenState): Resolved<OrganizationState> {
  const org = params.org === undefined ? ctx.state.personalOrganization() : ctx.state.organizations.get(params.org)
  if (org === undefined) return { response: error(404, ORGANIZATION_NOT_FOUND) }
  const restricted = organizationRestriction(token, org)
  return restricted === undefined ? { ok: org } : { response: restricted }
}

function resolveDatabase(ctx: ApiContext, params: Params, token: ApiTokenState, scope: string): Resolved<DatabaseState> {
  const org = resolveOrganization(ctx, params, token)
  if ('response' in org) return org
  const db = org.ok.databases.get(params.db as string)
  if (db === undefined) return { response: error(404, databaseNotFound(params.db as string)) }
  const restricted = groupRestriction(token, db.group, scope)
  return restricted === undefined ? { ok: db } : { response: restricted }
}

function resolveGroup(ctx: ApiContext, params: Params, token: ApiTokenState, scope: string): Resolved<GroupState> {
  const org = resolveOrganization(ctx, params, token)
  if ('response' in org) return org
  const group = org.ok.groups.get(params.group as string)
  if (group === undefined) return { response: error(404, GROUP_NOT_FOUND) }
  const restricted = groupRestriction(token, group, scope)
  return restricted === undefined ? { ok: group } : { response: restricted }
}

// --- Response shapes (property order as in openapi.json) -------------------------------------

function databaseJson(db: DatabaseState): Record<string, unknown> {
  return {
    Name: db.seed.name,
    DbId: db.seed.id,
    Hostname: db.hostname,
    block_reads: db.configuration.block_reads,
    block_writes: db.configuration.block_writes,
    regions: [...db.group.seed.locations],
    primaryRegion: db.group.seed.primary,
    group: db.group.seed.name,
    delete_protection: db.seed.delete_protection ?? false,
    parent: null
  }
}

function groupJson(group: GroupState): Record<string, unknown> {
  return {
    name: group.seed.name,
    version: group.seed.version,
    uuid: group.seed.uuid,
    locations: [...group.seed.locations],
    primary: group.seed.primary,
    delete_protection: group.seed.delete_protection ?? false
  }
}

/** `owner` is set only on the organization list, for admins and owners (listOrganizationAPITokens). */
function apiTokenJson(token: ApiTokenState, owner?: { username: string; email: string }): Record<string, unknown> {
  const json: Record<string, unknown> = { name: token.name, id: token.id }
  if (token.organization !== undefined) json.organization = token.organization
  if (token.group !== undefined) json.group = token.group
  if (token.scopes !== undefined) json.scopes = [...expandScopes(token.scopes)]
  if (owner !== undefined) json.owner = owner
  json.created_at = token.created_at
  return json
}

/**
 * Turso's API tokens are JWTs (turso-api-client-ts issue #17: "could not parse jwt id" for a
 * token that is not one of them); the claims beyond `id` are not documented. The emulator
 * looks tokens up by value, so the signature is random bytes of an Ed25519 signature's length.
 */
function apiTokenValue(id: string, nowMs: number): string {
  const part = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url')
  return `${part({ alg: 'EdDSA', typ: 'JWT' })}.${part({ iat: Math.floor(nowMs / 1000), id })}.${randomBytes(64).toString('base64url')}`
}

// --- Token minting ------------------------------------------------------------------------------

interface MintOptions {
  access: 'rw' | 'ro'
  lifetimeNanoseconds: bigint | null
  readAttach: DatabaseState[]
  fineGrained?: FineGrainedRule[]
}

function parseFineGrained(value: unknown): FineGrainedRule[] | string {
  if (!Array.isArray(value)) return 'fine_grained_permissions must be an array'
  const rules: FineGrainedRule[] = []
  for (const rule of value) {
    if (typeof rule !== 'object' || rule === null || Array.isArray(rule)) return 'each fine-grained permission must be an object'
    const { t, a } = rule as { t?: unknown; a?: unknown }
    if (t !== undefined && t !== null && !(Array.isArray(t) && t.every((name) => typeof name === 'string' && name !== ''))) {
      return 'fine-grained permission "t" must be null or a list of table names'
    }
    if (!Array.isArray(a) || a.length === 0 || !a.every((action) => typeof action === 'string')) {
      return 'fine-grained permission "a" must be a non-empty list of actions'
    }
    const unknown = a.find((action) => !FINE_GRAINED_ACTIONS.has(action as string))
    if (unknown !== undefined) return `unknown fine-grained permission action "${String(unknown)}"`
    rules.push({ t: (t ?? null) as string[] | null, a: a as string[] })
  }
  return rules
}

/** Parses `expiration`, `authorization` and the optional JSON body of a token request. */
function parseMintOptions(req: ApiRequest, org: OrganizationState): Resolved<MintOptions> {
  const expiration = req.query.expiration ?? ''
  let lifetimeNanoseconds: bigint | null = null
  if (expiration !== '' && expiration !== 'never') {
    const parsed = parseGoDuration(expiration)
    if (!parsed.ok) return { response: error(400, INVALID_EXPIRATION) }
    lifetimeNanoseconds = parsed.nanoseconds
  }

  const authorization = req.query.authorization ?? ''
  let access: 'rw' | 'ro'
  if (authorization === '' || authorization === 'full-access') access = 'rw'
  else if (authorization === 'read-only') access = 'ro'
  else return { response: error(400, INVALID_AUTHORIZATION) }

  const options: MintOptions = { access, lifetimeNanoseconds, readAttach: [] }
  if (req.body.trim() === '') return { ok: options }
  let body: unknown
  try {
    body = JSON.parse(req.body)
  } catch {
    return { response: error(400, INVALID_BODY) }
  }
  if (body === null) return { ok: options } // Go decodes `null` into an empty struct
  if (typeof body !== 'object' || Array.isArray(body)) return { response: error(400, INVALID_BODY) }
  const { permissions, fine_grained_permissions: fineGrained } = body as { permissions?: unknown; fine_grained_permissions?: unknown }

  if (permissions !== undefined && permissions !== null) {
    if (typeof permissions !== 'object' || Array.isArray(permissions)) return { response: error(400, INVALID_BODY) }
    const readAttach = (permissions as { read_attach?: unknown }).read_attach
    if (readAttach !== undefined && readAttach !== null) {
      if (typeof readAttach !== 'object' || Array.isArray(readAttach)) return { response: error(400, INVALID_BODY) }
      const names = (readAttach as { databases?: unknown }).databases ?? []
      if (!Array.isArray(names) || !names.every((name) => typeof name === 'string')) return { response: error(400, INVALID_BODY) }
      for (const name of names as string[]) {
        // Undocumented; the emulator resolves names in the same organization like the target.
        const db = org.databases.get(name)
        if (db === undefined) return { response: error(404, databaseNotFound(name)) }
        if (!options.readAttach.includes(db)) options.readAttach.push(db)
      }
    }
  }
  if (fineGrained !== undefined && fineGrained !== null) {
    const rules = parseFineGrained(fineGrained)
    if (typeof rules === 'string') return { response: error(400, `Invalid fine-grained permissions: ${rules}`) }
    if (rules.length > 0) options.fineGrained = rules
  }
  return { ok: options }
}

// --- Handlers -------------------------------------------------------------------------------------

const listDatabases: Handler = (ctx, req, params, token) => {
  const org = resolveOrganization(ctx, params, token)
  if ('response' in org) return org.response
  let databases = [...org.ok.databases.values()]
  if (token.group !== undefined) databases = databases.filter((db) => db.group.seed.name === token.group)
  if (req.query.group !== undefined) databases = databases.filter((db) => db.group.seed.name === req.query.group)
  if (req.query.parent !== undefined) databases = [] // the emulator has no branches
  return { status: 200, json: { databases: databases.map(databaseJson) } }
}

const getDatabase: Handler = (ctx, _req, params, token) => {
  const db = resolveDatabase(ctx, params, token, 'read')
  if ('response' in db) return db.response
  return { status: 200, json: { database: databaseJson(db.ok) } }
}

function configurationJson(db: DatabaseState): Record<string, unknown> {
  return {
    size_limit: '0',
    allow_attach: true,
    block_reads: db.configuration.block_reads,
    block_writes: db.configuration.block_writes,
    delete_protection: db.seed.delete_protection ?? false,
    allowed_ips: [...db.configuration.allowed_ips],
    allowed_aws_vpc_ids: [...db.configuration.allowed_aws_vpc_ids]
  }
}

const getDatabaseConfiguration: Handler = (ctx, _req, params, token) => {
  const db = resolveDatabase(ctx, params, token, 'read')
  if ('response' in db) return db.response
  return { status: 200, json: configurationJson(db.ok) }
}

/**
 * updateDatabaseConfiguration, for the fields the emulator keeps (others are accepted and
 * ignored): how tests restrict a database. An omitted field is left unchanged.
 */
const updateDatabaseConfiguration: Handler = (ctx, req, params, token) => {
  const db = resolveDatabase(ctx, params, token, 'db:configure')
  if ('response' in db) return db.response
  let body: unknown
  try {
    body = JSON.parse(req.body)
  } catch {
    return error(400, INVALID_BODY)
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return error(400, INVALID_BODY)
  const input = body as Record<string, unknown>
  const isList = (value: unknown): value is string[] => Array.isArray(value) && value.every((entry) => typeof entry === 'string')
  for (const name of ['allowed_ips', 'allowed_aws_vpc_ids'] as const) {
    if (input[name] === undefined) continue
    if (!isList(input[name])) return error(400, INVALID_BODY)
  }
  for (const name of ['block_reads', 'block_writes'] as const) {
    if (input[name] !== undefined && typeof input[name] !== 'boolean') return error(400, INVALID_BODY)
  }
  const configuration = db.ok.configuration
  if (isList(input.allowed_ips)) configuration.allowed_ips = [...input.allowed_ips]
  if (isList(input.allowed_aws_vpc_ids)) configuration.allowed_aws_vpc_ids = [...input.allowed_aws_vpc_ids]
  if (typeof input.block_reads === 'boolean') configuration.block_reads = input.block_reads
  if (typeof input.block_writes === 'boolean') configuration.block_writes = input.block_writes
  return { status: 200, json: configurationJson(db.ok) }
}

const getGroup: Handler = (ctx, _req, params, token) => {
  const group = resolveGroup(ctx, params, token, 'read')
  if ('response' in group) return group.response
  return { status: 200, json: { group: groupJson(group.ok) } }
}

const createDatabaseToken: Handler = (ctx, req, params, token) => {
  const db = resolveDatabase(ctx, params, token, 'db:mint-token')
  if ('response' in db) return db.response
  const options = parseMintOptions(req, db.ok.organization)
  if ('response' in options) return options.response
  return { status: 200, json: { jwt: mintDatabaseToken({ target: { kind: 'database', database: db.ok }, ...options.ok }, ctx.now()) } }
}

const createGroupToken: Handler = (ctx, req, params, token) => {
  const group = resolveGroup(ctx, params, token, 'group:mint-token')
  if ('response' in group) return group.response
  const options = parseMintOptions(req, group.ok.organization)
  if ('response' in options) return options.response
  return { status: 200, json: { jwt: mintDatabaseToken({ target: { kind: 'group', group: group.ok }, ...options.ok }, ctx.now()) } }
}

/**
 * Tokens are signed per group, so rotating a database rotates its whole group: every token of
 * every database in that group stops working. That is what Turso does for grouped databases (the
 * CLI even redirects `db tokens invalidate` to the group endpoint).
 */
const rotateDatabaseTokens: Handler = (ctx, _req, params, token) => {
  const db = resolveDatabase(ctx, params, token, 'db:rotate-creds')
  if ('response' in db) return db.response
  ctx.state.rotateGroup(db.ok.group)
  return { status: 200 }
}

const rotateGroupTokens: Handler = (ctx, _req, params, token) => {
  const group = resolveGroup(ctx, params, token, 'group:rotate-creds')
  if ('response' in group) return group.response
  ctx.state.rotateGroup(group.ok)
  return { status: 200 }
}

const validateApiToken: Handler = (_ctx, _req, _params, token) => ({ status: 200, json: { exp: token.exp ?? -1 } })

/** A user's own tokens only ("Returns a list of API tokens belonging to a user"). */
const listApiTokens: Handler = (ctx, _req, _params, caller) => ({
  status: 200,
  json: { tokens: ctx.state.apiTokens.filter((t) => t.owner === caller.owner).map((t) => apiTokenJson(t)) }
})

const createApiToken: Handler = (ctx, req, params, caller) => {
  const name = params.name as string
  let restriction: { organization?: string; group?: string; scopes?: string[] } = {}
  if (req.body.trim() !== '') {
    let body: unknown
    try {
      body = JSON.parse(req.body)
    } catch {
      return error(400, INVALID_BODY)
    }
    if (body !== null) {
      if (typeof body !== 'object' || Array.isArray(body)) return error(400, INVALID_BODY)
      const { organization, group, scopes } = body as Record<string, unknown>
      if (organization !== undefined && typeof organization !== 'string') return error(400, INVALID_BODY)
      if (group !== undefined && typeof group !== 'string') return error(400, INVALID_BODY)
      if (scopes !== undefined && !(Array.isArray(scopes) && scopes.every((s) => typeof s === 'string'))) return error(400, INVALID_BODY)
      restriction = { organization, group, scopes: scopes as string[] | undefined }
    }
  }
  const { organization, group, scopes } = restriction
  if (group !== undefined && organization === undefined) return error(400, 'group requires organization')
  if (group !== undefined && (scopes === undefined || scopes.length === 0)) return error(400, 'group-scoped tokens require a non-empty scopes list')
  if (scopes !== undefined && group === undefined && scopes.length > 0) return error(400, 'scopes require group')
  const knownScopes = new Set<string>([...ALL_SCOPES, 'read-only', 'full-access'])
  const unknownScope = scopes?.find((s) => !knownScopes.has(s))
  if (unknownScope !== undefined) return error(400, `unknown scope "${unknownScope}"`)
  if (organization !== undefined) {
    const org = ctx.state.organizations.get(organization)
    if (org === undefined) return error(404, ORGANIZATION_NOT_FOUND)
    if (group !== undefined && !org.groups.has(group)) return error(404, GROUP_NOT_FOUND)
    // "The caller must be an admin or owner of the organization" (createAPIToken) for group-scoped tokens.
    const role = org.members.get(caller.owner)
    if (group !== undefined && role !== 'owner' && role !== 'admin') return forbidden()
  }
  if (!coversRestriction(caller, { organization, group, scopes })) return forbidden()
  // The spec documents no conflict answer for this operation; 409 is Turso's general
  // "resource already exists" code (api-reference/response-codes.mdx).
  // Names are unique per user, not across users (see revokeOrganizationAPIToken's description).
  if (ctx.state.apiTokens.some((t) => t.owner === caller.owner && t.name === name)) return error(409, `an API token named ${name} already exists`)

  const id = randomBytes(16).toString('base64url')
  const created: ApiTokenState = {
    name,
    id,
    value: apiTokenValue(id, ctx.now()),
    owner: caller.owner,
    created_at: new Date(ctx.now()).toISOString().slice(0, 10)
  }
  if (organization !== undefined) created.organization = organization
  if (group !== undefined) {
    created.group = group
    created.scopes = [...expandScopes(scopes)]
  }
  ctx.state.apiTokens.push(created)
  return { status: 200, json: { name: created.name, id: created.id, token: created.value } }
}

/**
 * A restricted token creates no token broader than itself: an organization-scoped one only tokens
 * of its organization, a group-scoped one only tokens of its group with scopes it holds. Turso
 * does not document this; it is the emulator's guess at "the token can only act on resources
 * inside that organization" (createAPIToken).
 */
function coversRestriction(caller: ApiTokenState, wanted: { organization?: string; group?: string; scopes?: string[] }): boolean {
  if (caller.organization === undefined) return true
  if (wanted.organization !== caller.organization) return false
  if (caller.group === undefined) return true
  if (wanted.group !== caller.group) return false
  const held = expandScopes(caller.scopes)
  return [...expandScopes(wanted.scopes)].every((scope) => held.has(scope))
}

/**
 * Turso documents no error answer for revoking an unknown name (the CLI lists tokens first and
 * skips the call). The emulator answers 404 with a GORM-style message like the database one.
 */
const revokeApiToken: Handler = (ctx, _req, params, caller) => {
  const name = params.name as string
  // "Revokes the provided API token belonging to a user": only the caller's own.
  const index = ctx.state.apiTokens.findIndex((t) => t.owner === caller.owner && t.name === name)
  if (index < 0) return error(404, apiTokenNotFound(name))
  ctx.state.apiTokens.splice(index, 1)
  return { status: 200, json: { token: name } }
}

type OrgMembership = { org: OrganizationState; admin: boolean } | { response: ApiResponse }

/** Admins and owners manage every token of the organization; members and viewers their own. */
function membership(ctx: ApiContext, params: Params, caller: ApiTokenState): OrgMembership {
  const org = resolveOrganization(ctx, params, caller)
  if ('response' in org) return org
  const role = org.ok.members.get(caller.owner)
  // Undocumented; the emulator answers 403 like other refusals (response-codes.mdx).
  if (role === undefined) return { response: error(403, notMember(org.ok.slug)) }
  return { org: org.ok, admin: role === 'owner' || role === 'admin' }
}

/**
 * listOrganizationAPITokens: org- and group-scoped tokens of this organization (never
 * unrestricted ones). Admins and owners see all, each with its `owner`; members only their own.
 */
const listOrganizationApiTokens: Handler = (ctx, _req, params, caller) => {
  const access = membership(ctx, params, caller)
  if ('response' in access) return access.response
  const tokens = ctx.state.apiTokens
    .filter((t) => t.organization === access.org.slug && (access.admin || t.owner === caller.owner))
    .map((t) => apiTokenJson(t, access.admin ? { username: t.owner, email: ctx.state.users.get(t.owner) ?? '' } : undefined))
  return { status: 200, json: { tokens } }
}

/**
 * revokeOrganizationAPIToken: by ID. A token of another organization, an unrestricted one or an
 * unknown ID is 404 (documented); a member revoking someone else's token gets 403 (the status
 * is not documented: response-codes.mdx's general "not allowed").
 */
const revokeOrganizationApiToken: Handler = (ctx, _req, params, caller) => {
  const access = membership(ctx, params, caller)
  if ('response' in access) return access.response
  const id = params.id as string
  const index = ctx.state.apiTokens.findIndex((t) => t.id === id && t.organization === access.org.slug)
  if (index < 0) return error(404, apiTokenIdNotFound(id))
  if (!access.admin && ctx.state.apiTokens[index]?.owner !== caller.owner) return error(403, onlyOwnTokens)
  ctx.state.apiTokens.splice(index, 1)
  return { status: 200, json: { token: id } }
}

const listGroups: Handler = (ctx, _req, params, token) => {
  const org = resolveOrganization(ctx, params, token)
  if ('response' in org) return org.response
  // A group-scoped token sees its own group only, as with the database list.
  const groups = [...org.ok.groups.values()].filter((group) => token.group === undefined || group.seed.name === token.group)
  return { status: 200, json: { groups: groups.map(groupJson) } }
}

const ROUTES: Route[] = [
  route('GET', '/v1/organizations/:org/databases', listDatabases),
  route('GET', '/v1/organizations/:org/databases/:db', getDatabase),
  route('GET', '/v1/organizations/:org/databases/:db/configuration', getDatabaseConfiguration),
  route('PATCH', '/v1/organizations/:org/databases/:db/configuration', updateDatabaseConfiguration),
  route('POST', '/v1/organizations/:org/databases/:db/auth/tokens', createDatabaseToken),
  route('POST', '/v1/organizations/:org/databases/:db/auth/rotate', rotateDatabaseTokens),
  route('GET', '/v1/organizations/:org/groups', listGroups),
  route('GET', '/v1/organizations/:org/groups/:group', getGroup),
  route('GET', '/v1/organizations/:org/api-tokens', listOrganizationApiTokens),
  route('DELETE', '/v1/organizations/:org/api-tokens/:id', revokeOrganizationApiToken),
  route('POST', '/v1/organizations/:org/groups/:group/auth/tokens', createGroupToken),
  route('POST', '/v1/organizations/:org/groups/:group/auth/rotate', rotateGroupTokens),
  // Legacy user-account paths (the CLI uses them when no organization is set).
  route('POST', '/v1/databases/:db/auth/tokens', createDatabaseToken),
  route('POST', '/v1/databases/:db/auth/rotate', rotateDatabaseTokens),
  route('POST', '/v1/groups/:group/auth/tokens', createGroupToken),
  route('POST', '/v1/groups/:group/auth/rotate', rotateGroupTokens),
  route('GET', '/v1/auth/validate', validateApiToken),
  route('GET', '/v1/auth/api-tokens', listApiTokens),
  route('POST', '/v1/auth/api-tokens/:name', createApiToken),
  route('DELETE', '/v1/auth/api-tokens/:name', revokeApiToken)
]
