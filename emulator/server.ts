/**
 * A local Turso Platform API emulator: one HTTP listener for the API (plus `/_emulator/` control
 * routes) and one loopback listener per database serving libSQL's HTTP pipeline, with request
 * recording and programmable faults.
 */
import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { rotationOutage, validateAvailability, wakeUpOutage, type Availability } from './availability.js'
import { handleControl } from './control.js'
import { checkDatabaseToken, type Access } from './database-tokens.js'
import { FaultQueue, isCannedResponse, type Fault } from './faults.js'
import { GitHubSide, handleGitHubControl } from './github.js'
import { flattenHeaders, parseTarget, readBody, sendError, sendJson } from './http-util.js'
import { LibsqlEndpoint } from './libsql.js'
import { handlePlatformApi } from './platform-api.js'
import { loadDefaultSeed, validateSeed, type Seed } from './seed.js'
import { EmulatorState, type DatabaseState } from './state.js'

export type { Availability, DowntimeMode, DowntimePhase, WakeUp } from './availability.js'
export type { Fault } from './faults.js'
export type { GitHubSide, StoredGitHubSecret } from './github.js'
export type { Seed, SeedApiToken, SeedDatabase, SeedGroup, SeedOrganization } from './seed.js'

export interface EmulatorOptions {
  /** Default '127.0.0.1'. */
  host?: string
  /** API port; default 0 (any free port). Database listeners always use free ports. */
  port?: number
  /** Default: emulator/seed.json. */
  seed?: Seed
  /** Clock in epoch milliseconds (for token iat/exp and expiry checks); default Date.now. */
  now?: () => number
  /**
   * Monotonic milliseconds for the downtime and wake-up windows; default performance.now. A test
   * that drives it (and the action's readiness clock) runs a 14 s downtime in no real time.
   */
  monotonicNow?: () => number
  /** Post-rotation downtime and idle wake-up of the databases; default: always available. */
  availability?: Availability
}

export interface RecordedRequest {
  method: string
  /** Raw path without query, still percent-encoded as received. */
  path: string
  query: Record<string, string>
  /** Lower-cased names. */
  headers: Record<string, string>
  /** Raw body text, '' if none. */
  body: string
  /** `github`: the GitHub secrets routes under /github on the API listener. */
  target: 'api' | 'libsql' | 'github'
  /** Database name, for libsql requests. */
  database?: string
}

export type TokenVerification = { valid: true; claims: Record<string, unknown>; access: 'rw' | 'ro' } | { valid: false; reason: string }

export interface Emulator {
  /** API base URL, e.g. http://127.0.0.1:PORT */
  url: string
  /** GitHub's secrets API on the same port: `${url}/github`, what GITHUB_API_URL should be. */
  githubUrl: string
  /** The GitHub side: stored secrets (opened), public keys, key rotation. */
  github: GitHubSide
  /** A valid Platform API token from the seed. */
  apiToken: string
  /** Every API and libsql request received, in order, including faulted ones (not control routes). */
  requests: RecordedRequest[]
  clearRequests(): void
  /** Queued; the first matching fault with uses left is applied. */
  addFault(...faults: Fault[]): void
  clearFaults(): void
  /** Replaces the downtime/wake-up configuration (`{}` turns both off); applies to the next request. */
  setAvailability(availability: Availability): void
  /** Checks a database/group auth token as a libSQL server would, for a given database. */
  verifyDatabaseToken(jwt: string, database: string, organization?: string): TokenVerification
  /** What GET database reports as Hostname: `127.0.0.1:<port of that database's listener>`. */
  hostnameOf(database: string, organization?: string): string
  /** Closes every listener and destroys open sockets. */
  close(): Promise<void>
}

/** A JSON answer, or an empty one (GitHub's 204). */
function sendAnswer(res: ServerResponse, answer: { status: number; json?: unknown }): void {
  if (answer.json !== undefined) return sendJson(res, answer.status, answer.json)
  res.writeHead(answer.status, { 'content-length': 0 })
  res.end()
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve((server.address() as AddressInfo).port)
    })
  })
}

/** The host clients should dial: a wildcard bind is reached through loopback. */
function dialableHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1'
  if (host === '::') return '[::1]'
  return host.includes(':') ? `[${host}]` : host
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const host = options.host ?? '127.0.0.1'
  const now = options.now ?? Date.now
  const seed = options.seed ?? loadDefaultSeed()
  validateSeed(seed)
  const state = new EmulatorState(seed, options.monotonicNow)
  const faults = new FaultQueue()
  const libsql = new LibsqlEndpoint(now)
  const github = await GitHubSide.create(undefined, now)
  const requests: RecordedRequest[] = []
  const servers: Server[] = []
  const pendingDelays = new Set<() => void>()
  let closed = false
  let availability = validateAvailability(options.availability ?? {})

  const firstToken = seed.apiTokens[0]
  if (firstToken === undefined) throw new Error('seed has no API token')

  function delay(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const finish = (): void => {
        clearTimeout(timer)
        pendingDelays.delete(finish)
        resolve()
      }
      const timer = setTimeout(finish, ms)
      pendingDelays.add(finish)
    })
  }

  /** Applies a fault (if any) around the real response. */
  async function respond(req: IncomingMessage, res: ServerResponse, fault: Fault | undefined, real: () => void): Promise<void> {
    if (fault?.delayMs !== undefined && fault.delayMs > 0) await delay(fault.delayMs)
    if (closed || res.destroyed) return
    if (fault?.reset === true) {
      req.socket.destroy()
      return
    }
    if (fault?.dropResponse === true) {
      // The real handler runs (its side effects happen), but what it writes never leaves.
      res.writeHead = (() => res) as unknown as ServerResponse['writeHead']
      res.end = (() => {
        req.socket.destroy()
        return res
      }) as unknown as ServerResponse['end']
      real()
      return
    }
    if (fault !== undefined && isCannedResponse(fault)) {
      const status = fault.status ?? 500
      const body = fault.body ?? JSON.stringify({ error: STATUS_CODES[status] ?? 'emulated fault' })
      const headers: Record<string, string> = { 'content-type': 'application/json' }
      for (const [name, value] of Object.entries(fault.headers ?? {})) headers[name.toLowerCase()] = value
      res.writeHead(status, { ...headers, 'content-length': String(Buffer.byteLength(body)) })
      res.end(body)
      return
    }
    real()
  }

  /** A database that is down: the shapes are guesses, as Turso documents none (see availability.ts). */
  function answerOutage(req: IncomingMessage, res: ServerResponse, mode: '503' | 'reset' | '401'): void {
    if (mode === 'reset') {
      req.socket.destroy()
      return
    }
    const body =
      mode === '401'
        ? JSON.stringify({ error: 'Unauthorized: `The JWT is invalid`' })
        : JSON.stringify({ error: 'Service Unavailable: the database is not ready' })
    res.writeHead(mode === '401' ? 401 : 503, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) })
    res.end(body)
  }

  function lookupDatabase(name: string, organization?: string): DatabaseState | string {
    const lookup = state.findDatabase(name, organization)
    if ('found' in lookup) return lookup.found
    if (lookup.error === 'ambiguous') return `database "${name}" exists in several organizations; pass the organization`
    return organization === undefined ? `unknown database "${name}"` : `unknown database "${name}" in organization "${organization}"`
  }

  function verifyDatabaseToken(jwt: string, database: string, organization?: string): TokenVerification {
    const db = lookupDatabase(database, organization)
    if (typeof db === 'string') return { valid: false, reason: db }
    const check = checkDatabaseToken(jwt, db, now())
    if (!check.valid) return { valid: false, reason: check.reason }
    const access: Access = check.access
    return { valid: true, claims: check.claims, access }
  }

  function handleFailure(res: ServerResponse, error: unknown): void {
    if (res.headersSent || res.destroyed) {
      res.destroy()
      return
    }
    sendError(res, 500, `internal emulator error: ${(error as Error).message}`)
  }

  const emulator: Emulator = {
    url: '',
    githubUrl: '',
    github,
    apiToken: firstToken.value,
    requests,
    clearRequests: () => {
      requests.length = 0
    },
    addFault: (...added) => faults.add(...added),
    clearFaults: () => faults.clear(),
    setAvailability: (next) => {
      availability = validateAvailability(next)
    },
    verifyDatabaseToken,
    hostnameOf(database, organization) {
      const db = lookupDatabase(database, organization)
      if (typeof db === 'string') throw new Error(db)
      return db.hostname
    },
    async close() {
      if (closed) return
      closed = true
      for (const finish of [...pendingDelays]) finish()
      await Promise.all(
        servers.map(
          (server) =>
            new Promise<void>((resolve) => {
              server.close(() => resolve())
              server.closeAllConnections()
            })
        )
      )
    }
  }

  const controlTarget = {
    requests,
    clearRequests: emulator.clearRequests,
    addFault: emulator.addFault,
    clearFaults: emulator.clearFaults,
    pendingFaults: () => faults.size,
    setAvailability: emulator.setAvailability,
    verifyDatabaseToken,
    databases: () =>
      state.allDatabases().map((db) => ({
        organization: db.organization.slug,
        name: db.seed.name,
        group: db.group.seed.name,
        DbId: db.seed.id,
        hostname: db.hostname
      }))
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req)
    const method = req.method ?? 'GET'
    const target = parseTarget(req.url)
    if (target.decodedPath.startsWith('/_emulator/github/')) {
      const answer = handleGitHubControl(github, method, target.decodedPath, body) ?? { status: 404, json: { error: `unknown emulator control route ${method} ${target.decodedPath}` } }
      sendJson(res, answer.status, answer.json)
      return
    }
    if (target.decodedPath === '/_emulator' || target.decodedPath.startsWith('/_emulator/')) {
      const answer = handleControl(controlTarget, method, target.decodedPath, body)
      sendJson(res, answer.status, answer.json)
      return
    }
    const headers = flattenHeaders(req)
    const onGitHub = target.segments?.[0] === 'github'
    requests.push({ method, path: target.rawPath, query: target.query, headers, body, target: onGitHub ? 'github' : 'api' })
    // GitHub's routes share the API listener, so a fault for them is an `api` fault with a /github/... path.
    const fault = faults.take('api', method, target.decodedPath)
    await respond(req, res, fault, () => {
      if (target.segments === undefined) return sendError(res, 404, 'not found')
      if (onGitHub) return sendAnswer(res, github.handle({ method, segments: target.segments.slice(1), headers, body }))
      const answer = handlePlatformApi({ state, now }, { method, segments: target.segments, query: target.query, headers, body })
      if (answer.json === undefined) {
        res.writeHead(answer.status, { 'content-length': 0 })
        res.end()
      } else {
        sendJson(res, answer.status, answer.json)
      }
    })
  }

  async function handleDatabase(db: DatabaseState, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req)
    const method = req.method ?? 'GET'
    const target = parseTarget(req.url)
    const headers = flattenHeaders(req)
    requests.push({ method, path: target.rawPath, query: target.query, headers, body, target: 'libsql', database: db.seed.name })
    const waking = wakeUpOutage(availability, db.activity, state.monotonicNow())
    if (waking.kind === 'hold') await delay(waking.ms)
    if (closed || res.destroyed) return
    const outage = waking.kind === '503' ? waking : rotationOutage(availability, db.group.rotatedAt, state.monotonicNow())
    if (outage.kind !== 'none' && outage.kind !== 'hold') {
      answerOutage(req, res, outage.kind)
      return
    }
    db.activity.lastActiveAt = state.monotonicNow()
    const fault = faults.take('libsql', method, target.decodedPath)
    await respond(req, res, fault, () => {
      const answer = libsql.handle(db, method, target.decodedPath, headers, body)
      const responseHeaders: Record<string, string | number> = { 'content-length': Buffer.byteLength(answer.body) }
      if (answer.contentType !== undefined) responseHeaders['content-type'] = answer.contentType
      res.writeHead(answer.status, responseHeaders)
      res.end(answer.body)
    })
  }

  try {
    const apiServer = createServer((req, res) => void handleApi(req, res).catch((e: unknown) => handleFailure(res, e)))
    servers.push(apiServer)
    const apiPort = await listen(apiServer, host, options.port ?? 0)
    emulator.url = `http://${dialableHost(host)}:${apiPort}`
    emulator.githubUrl = `${emulator.url}/github`
    for (const db of state.allDatabases()) {
      const dbServer = createServer((req, res) => void handleDatabase(db, req, res).catch((e: unknown) => handleFailure(res, e)))
      servers.push(dbServer)
      db.hostname = `${dialableHost(host)}:${await listen(dbServer, host, 0)}`
    }
  } catch (error) {
    await emulator.close()
    throw error
  }
  return emulator
}
