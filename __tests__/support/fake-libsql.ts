/**
 * A tiny loopback libSQL server speaking Hrana-over-HTTP JSON pipelines, with the
 * status codes and error bodies libsql-server really sends (see the comment block at
 * the top of src/verify/libsql-verify.ts for the sources):
 * - missing/unknown token: 401 {"error":"Unauthorized: `The JWT is invalid`"}
 * - read-only token running DDL/DML: the whole request is 403
 *   {"error":"Authorization forbidden: Current session doesn't not have Write permission to namespace default"}
 *   while BEGIN/COMMIT/ROLLBACK/SELECT only need read access (as in check_program_auth).
 * Responses can also be scripted (status, body, headers) to simulate failures.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface RecordedRequest {
  method: string
  path: string
  headers: IncomingMessage['headers']
  body: string
}

export interface ScriptedResponse {
  status: number
  body: string
  headers?: Record<string, string>
}

export interface FakeLibsqlOptions {
  readWriteToken: string
  readOnlyToken: string
  /** When set, writes fail per statement with SQLITE_READONLY instead of the 403 a read-only token gets. */
  readOnlyDatabase?: boolean
}

type Value = { type: 'integer'; value: string } | { type: 'text'; value: string } | { type: 'null' }
type StreamResult = { type: 'ok'; response: unknown } | { type: 'error'; error: { message: string; code: string } }

class ForbiddenError extends Error {}

const FORBIDDEN_WRITE = "Authorization forbidden: Current session doesn't not have Write permission to namespace default"

export class FakeLibsql {
  readonly requests: RecordedRequest[] = []
  /** Tables that a COMMIT made permanent; the write probe must never add one. */
  readonly committedTables = new Set<string>()
  /** Value the next `SELECT 1` answers with (libsql-server's is the integer "1"). */
  selectValue: Value = { type: 'integer', value: '1' }
  /** When true, requests are accepted but never answered (to exercise timeouts). */
  hang = false

  private readonly server: Server
  private readonly scripted: ScriptedResponse[] = []
  private port = 0

  constructor(private readonly options: FakeLibsqlOptions) {
    this.server = createServer((req, res) => this.handle(req, res))
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve))
    this.port = (this.server.address() as AddressInfo).port
    return this
  }

  /** `127.0.0.1:PORT`: what the action is given as the database hostname. */
  get hostname(): string {
    return `127.0.0.1:${this.port}`
  }

  /** Answers the next requests with these responses, in order, before behaving normally again. */
  script(...responses: ScriptedResponse[]): void {
    this.scripted.push(...responses)
  }

  /** The body libsql-server answers to a `SELECT 1` + `close` pipeline, for scripting a passing read check. */
  okSelectBody(): string {
    const stream = new FakeStream(false, false, { type: 'integer', value: '1' }, new Set())
    return JSON.stringify({ baton: null, base_url: null, results: [stream.run({ type: 'execute', stmt: { sql: 'SELECT 1' } }), stream.run({ type: 'close' })] })
  }

  reset(): void {
    this.requests.length = 0
    this.scripted.length = 0
    this.committedTables.clear()
    this.selectValue = { type: 'integer', value: '1' }
    this.hang = false
  }

  async close(): Promise<void> {
    this.server.closeAllConnections()
    await new Promise<void>((resolve, reject) => this.server.close((error) => (error ? reject(error) : resolve())))
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8')
      this.requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body })
      if (this.hang) return
      const scripted = this.scripted.shift()
      if (scripted !== undefined) {
        res.writeHead(scripted.status, { 'content-type': 'text/plain', ...scripted.headers })
        res.end(scripted.body)
        return
      }
      this.answer(req, body, res)
    })
  }

  private answer(req: IncomingMessage, body: string, res: ServerResponse): void {
    const json = (status: number, value: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' })
      res.end(JSON.stringify(value))
    }
    if (req.method !== 'POST' || (req.url !== '/v2/pipeline' && req.url !== '/v3/pipeline')) {
      res.writeHead(404)
      res.end()
      return
    }
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1]
    const canWrite = token === this.options.readWriteToken
    if (!canWrite && token !== this.options.readOnlyToken) {
      json(401, { error: 'Unauthorized: `The JWT is invalid`' })
      return
    }

    let requests: Array<{ type: string; stmt?: { sql?: string } }>
    try {
      requests = (JSON.parse(body) as { requests: typeof requests }).requests
      if (!Array.isArray(requests)) throw new Error('no requests')
    } catch {
      json(400, { error: 'Failed to parse query: `invalid pipeline body`' })
      return
    }

    const stream = new FakeStream(canWrite, this.options.readOnlyDatabase === true, this.selectValue, this.committedTables)
    try {
      const results = requests.map((request) => stream.run(request))
      json(200, { baton: null, base_url: null, results })
    } catch (error) {
      if (!(error instanceof ForbiddenError)) throw error
      // libsql-server drops the stream (and its open transaction) and fails the whole request.
      json(403, { error: FORBIDDEN_WRITE })
    }
  }
}

/** One Hrana stream: a connection with an optional open transaction. */
class FakeStream {
  private pendingTables: string[] = []
  private inTransaction = false

  constructor(
    private readonly canWrite: boolean,
    private readonly readOnlyDatabase: boolean,
    private readonly selectValue: Value,
    private readonly committedTables: Set<string>
  ) {}

  run(request: { type: string; stmt?: { sql?: string } }): StreamResult {
    if (request.type === 'close') return { type: 'ok', response: { type: 'close' } }
    if (request.type !== 'execute' || typeof request.stmt?.sql !== 'string') {
      return { type: 'error', error: { message: `unsupported request ${request.type}`, code: 'UNKNOWN' } }
    }
    const sql = request.stmt.sql.trim()
    const result = (rows: Value[][], name: string | null = null) => ({
      type: 'ok' as const,
      response: {
        type: 'execute',
        result: { cols: name === null ? [] : [{ name, decltype: null }], rows, affected_row_count: 0, last_insert_rowid: null, rows_read: 0, rows_written: 0, query_duration_ms: 0.01 }
      }
    })

    if (/^SELECT 1$/i.test(sql)) return result([[this.selectValue]], '1')
    if (/^BEGIN( (DEFERRED|IMMEDIATE|EXCLUSIVE))?$/i.test(sql)) {
      // Permission::Read is enough for any BEGIN, as in libsql-server's check_program_auth.
      this.inTransaction = true
      return result([])
    }
    if (/^ROLLBACK$/i.test(sql)) {
      this.pendingTables = []
      this.inTransaction = false
      return result([])
    }
    if (/^COMMIT$/i.test(sql)) {
      this.pendingTables.forEach((table) => this.committedTables.add(table))
      this.pendingTables = []
      this.inTransaction = false
      return result([])
    }
    const create = /^CREATE TABLE (?:IF NOT EXISTS )?"([^"]+)"/i.exec(sql)
    if (create !== null || /^(INSERT|UPDATE|DELETE|DROP|ALTER)\b/i.test(sql)) {
      if (!this.canWrite) throw new ForbiddenError()
      if (this.readOnlyDatabase) {
        return { type: 'error', error: { message: 'SQLite error: attempt to write a readonly database', code: 'SQLITE_READONLY' } }
      }
      if (create !== null) {
        if (this.inTransaction) this.pendingTables.push(create[1])
        else this.committedTables.add(create[1])
      }
      return result([])
    }
    return { type: 'error', error: { message: `SQL string could not be parsed: near "${sql.slice(0, 20)}": syntax error`, code: 'SQL_PARSE_ERROR' } }
  }
}
