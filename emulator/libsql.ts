/**
 * The libSQL "Hrana over HTTP" endpoint each emulated database serves: POST /v2/pipeline and
 * /v3/pipeline (tursodatabase/libsql docs/HRANA_3_SPEC.md, libsql-server/src/hrana/http/).
 *
 * Wording comes from libsql-server's source and from answers recorded from real servers:
 * - missing header: `Unauthorized: \`Expected authorization header but none given\`` (Turso Cloud,
 *   turso-cli issue #632); bad token: `Unauthorized: \`The JWT is invalid\``; expired:
 *   `Unauthorized: \`The JWT has expired\`` (libsql-server auth/errors.rs, wrapped by error.rs).
 * - A read-only token and any write statement: the WHOLE request fails with HTTP 403
 *   `{"error":"Authorization forbidden: Current session doesn't not have Write permission to
 *   namespace <ns>"}` and nothing runs — not a per-statement error result. The permission error is
 *   not a Hrana StmtError, so libsql-server's hrana/http/request.rs lets it escape the pipeline
 *   (error.rs maps `Forbidden` to 403), and a recording against sqld 0.24.33 shows exactly that.
 *   The emulator names the database's DbId as the namespace.
 * - Non-JSON body: 400 text/plain `Cannot deserialize client message from JSON`; unknown baton:
 *   400 text/plain `Received an invalid baton` (recorded against sqld).
 */
import { checkDatabaseToken, type Access } from './database-tokens.js'
import { analyzeStatement, requiredPermission, SUPPORTED_STATEMENTS_NOTE, toExecutable, type StmtError } from './sql.js'
import type { DatabaseState } from './state.js'

/** libsql-server expires an idle HTTP stream after 10 seconds. */
const STREAM_IDLE_EXPIRY_MS = 10_000
/** Expired streams are remembered this long so their batons answer STREAM_EXPIRED, then dropped. */
const STREAM_FORGET_MS = 10 * 60_000

export interface HttpAnswer {
  status: number
  contentType?: string
  body: string
}

interface Stream {
  database: DatabaseState
  inTransaction: boolean
  lastUsedMs: number
}

const json = (status: number, value: unknown): HttpAnswer => ({ status, contentType: 'application/json', body: JSON.stringify(value) })
const text = (status: number, body: string): HttpAnswer => ({ status, contentType: 'text/plain', body })
const unauthorized = (detail: string): HttpAnswer => json(401, { error: `Unauthorized: \`${detail}\`` })
const forbidden = (permission: 'Read' | 'Write', database: DatabaseState): HttpAnswer =>
  json(403, { error: `Authorization forbidden: Current session doesn't not have ${permission} permission to namespace ${database.seed.id}` })
const BAD_JSON = text(400, 'Cannot deserialize client message from JSON')

// --- Hrana request shapes (validated before anything runs, as serde would) ------------------

interface HranaStmt {
  sql?: string
  sql_id?: number
  args?: unknown[]
  named_args?: unknown[]
  want_rows?: boolean
}

type BatchCond =
  | { type: 'ok' | 'error'; step: number }
  | { type: 'not'; cond: BatchCond }
  | { type: 'and' | 'or'; conds: BatchCond[] }
  | { type: 'is_autocommit' }

interface BatchStep {
  condition?: BatchCond | null
  stmt: HranaStmt
}

type HranaRequest =
  | { type: 'execute'; stmt: HranaStmt }
  | { type: 'batch'; batch: { steps: BatchStep[] } }
  | { type: 'close' }
  | { type: 'get_autocommit' }
  | { type: 'sequence' | 'describe' | 'store_sql' | 'close_sql' }

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

function isStmt(v: unknown): v is HranaStmt {
  return (
    isObject(v) &&
    (v.sql === undefined || v.sql === null || typeof v.sql === 'string') &&
    (v.sql_id === undefined || v.sql_id === null || typeof v.sql_id === 'number') &&
    (v.args === undefined || Array.isArray(v.args)) &&
    (v.named_args === undefined || Array.isArray(v.named_args)) &&
    (v.want_rows === undefined || v.want_rows === null || typeof v.want_rows === 'boolean')
  )
}

function isCond(v: unknown): v is BatchCond {
  if (!isObject(v)) return false
  switch (v.type) {
    case 'ok':
    case 'error':
      return typeof v.step === 'number' && Number.isInteger(v.step) && v.step >= 0
    case 'not':
      return isCond(v.cond)
    case 'and':
    case 'or':
      return Array.isArray(v.conds) && v.conds.every(isCond)
    case 'is_autocommit':
      return true
    default:
      return false
  }
}

function isRequest(v: unknown): v is HranaRequest {
  if (!isObject(v)) return false
  switch (v.type) {
    case 'execute':
      return isStmt(v.stmt)
    case 'batch':
      return (
        isObject(v.batch) &&
        Array.isArray(v.batch.steps) &&
        v.batch.steps.every((s) => isObject(s) && isStmt(s.stmt) && (s.condition === undefined || s.condition === null || isCond(s.condition)))
      )
    case 'close':
    case 'get_autocommit':
    case 'sequence':
    case 'describe':
    case 'store_sql':
    case 'close_sql':
      return true
    default:
      return false
  }
}

// --- Execution ------------------------------------------------------------------------------------

type StmtOutcome = { ok: true; result: Record<string, unknown> } | { ok: false; error: StmtError }

const sqliteError = (message: string): StmtOutcome => ({
  ok: false,
  // rusqlite has no ErrorCode for plain SQLITE_ERROR, so libsql-server reports it as SQLITE_UNKNOWN.
  error: { message: `SQLite error: ${message}`, code: 'SQLITE_UNKNOWN' }
})

function stmtResult(cols: { name: string; decltype: null }[], rows: unknown[][], rowsRead: number): Record<string, unknown> {
  return { cols, rows, affected_row_count: 0, last_insert_rowid: null, replication_index: null, rows_read: rowsRead, rows_written: 0, query_duration_ms: 0 }
}

function runStmt(stream: Stream, stmt: HranaStmt): StmtOutcome {
  if (typeof stmt.sql !== 'string') {
    return { ok: false, error: { message: `${SUPPORTED_STATEMENTS_NOTE}; stored SQL (sql_id) is not supported`, code: 'EMULATOR_UNSUPPORTED' } }
  }
  const analysis = analyzeStatement(stmt.sql)
  if (!analysis.ok) return analysis
  if ((stmt.args?.length ?? 0) > 0 || (stmt.named_args?.length ?? 0) > 0) {
    return { ok: false, error: { message: 'Arguments do not match SQL parameters: the statement has no parameters', code: 'ARGS_INVALID' } }
  }
  const executable = toExecutable(analysis.sql)
  if (executable === undefined) {
    return { ok: false, error: { message: `${SUPPORTED_STATEMENTS_NOTE}; it cannot run: ${stmt.sql}`, code: 'EMULATOR_UNSUPPORTED_STATEMENT' } }
  }
  switch (executable.type) {
    case 'select-integer': {
      const rows = stmt.want_rows === false ? [] : [[{ type: 'integer', value: executable.value.toString() }]]
      return { ok: true, result: stmtResult([{ name: executable.columnName, decltype: null }], rows, 1) }
    }
    case 'schema-no-op':
      return { ok: true, result: stmtResult([], [], 0) }
    case 'begin':
      if (stream.inTransaction) return sqliteError('cannot start a transaction within a transaction')
      stream.inTransaction = true
      return { ok: true, result: stmtResult([], [], 0) }
    case 'commit':
      if (!stream.inTransaction) return sqliteError('cannot commit - no transaction is active')
      stream.inTransaction = false
      return { ok: true, result: stmtResult([], [], 0) }
    case 'rollback':
      if (!stream.inTransaction) return sqliteError('cannot rollback - no transaction is active')
      stream.inTransaction = false
      return { ok: true, result: stmtResult([], [], 0) }
  }
}

function evalCond(cond: BatchCond, succeeded: boolean[], stream: Stream): boolean | undefined {
  switch (cond.type) {
    case 'ok':
      return cond.step < succeeded.length ? succeeded[cond.step] : undefined
    case 'error':
      return cond.step < succeeded.length ? !succeeded[cond.step] : undefined
    case 'not': {
      const inner = evalCond(cond.cond, succeeded, stream)
      return inner === undefined ? undefined : !inner
    }
    case 'and':
    case 'or': {
      let acc = cond.type === 'and'
      for (const c of cond.conds) {
        const v = evalCond(c, succeeded, stream)
        if (v === undefined) return undefined
        acc = cond.type === 'and' ? acc && v : acc || v
      }
      return acc
    }
    case 'is_autocommit':
      return !stream.inTransaction
  }
}

function runBatch(stream: Stream, steps: BatchStep[]): Record<string, unknown> | StmtError {
  const stepResults: unknown[] = []
  const stepErrors: unknown[] = []
  const succeeded: boolean[] = []
  for (const [index, step] of steps.entries()) {
    const run = step.condition === undefined || step.condition === null ? true : evalCond(step.condition, succeeded, stream)
    if (run === undefined) return { message: `Invalid reference to step in a batch condition (step ${index})`, code: 'BATCH_COND_INVALID' }
    if (!run) {
      stepResults.push(null)
      stepErrors.push(null)
      succeeded.push(false)
      continue
    }
    const outcome = runStmt(stream, step.stmt)
    stepResults.push(outcome.ok ? outcome.result : null)
    stepErrors.push(outcome.ok ? null : outcome.error)
    succeeded.push(outcome.ok)
  }
  return { step_results: stepResults, step_errors: stepErrors }
}

/** Statements of a pipeline, for the up-front permission check. */
function statementsOf(requests: HranaRequest[]): HranaStmt[] {
  return requests.flatMap((r) => (r.type === 'execute' ? [r.stmt] : r.type === 'batch' ? r.batch.steps.map((s) => s.stmt) : []))
}

// --- The endpoint ---------------------------------------------------------------------------------

export class LibsqlEndpoint {
  private readonly streams = new Map<string, Stream>()
  private nextBaton = 1

  constructor(private readonly now: () => number) {}

  handle(database: DatabaseState, method: string, path: string, headers: Record<string, string>, body: string): HttpAnswer {
    if (method === 'GET' && (path === '/v2' || path === '/v3')) return text(200, 'Hello, this is HTTP API v2 (Hrana over HTTP)')
    if (method === 'GET' && path === '/health') return { status: 200, body: '' }
    const version = path === '/v2/pipeline' ? 2 : path === '/v3/pipeline' ? 3 : undefined
    if (version === undefined || method !== 'POST') return { status: method !== 'POST' && version !== undefined ? 405 : 404, body: '' }

    const authorization = headers.authorization
    if (authorization === undefined || authorization.trim() === '') return unauthorized('Expected authorization header but none given')
    const match = /^(\S+)\s+(\S+)\s*$/.exec(authorization.trim())
    if (match === null) return unauthorized('The `Authorization` HTTP header has invalid value')
    if ((match[1] as string).toLowerCase() !== 'bearer') return unauthorized('The authentication scheme in the `Authorization` HTTP header is not supported')
    const check = checkDatabaseToken(match[2] as string, database, this.now())
    if (!check.valid) {
      if (check.code === 'expired') return unauthorized('The JWT has expired')
      if (check.code === 'wrong-database') return forbidden('Read', database)
      return unauthorized('The JWT is invalid')
    }
    return this.pipeline(database, check.access, version, body)
  }

  private pipeline(database: DatabaseState, access: Access, version: number, body: string): HttpAnswer {
    let parsed: unknown
    try {
      parsed = JSON.parse(body)
    } catch {
      return BAD_JSON
    }
    if (!isObject(parsed) || !Array.isArray(parsed.requests) || !parsed.requests.every(isRequest)) return BAD_JSON
    const baton = parsed.baton
    if (baton !== undefined && baton !== null && typeof baton !== 'string') return BAD_JSON
    const requests = parsed.requests as HranaRequest[]

    this.forgetOldStreams()
    let stream: Stream
    if (typeof baton === 'string') {
      const found = this.streams.get(baton)
      this.streams.delete(baton) // a baton is good for one request only
      if (found === undefined || found.database !== database) return text(400, 'Received an invalid baton')
      if (this.now() - found.lastUsedMs > STREAM_IDLE_EXPIRY_MS) {
        return json(400, { message: 'The stream has expired due to inactivity', code: 'STREAM_EXPIRED' })
      }
      stream = found
    } else {
      stream = { database, inTransaction: false, lastUsedMs: this.now() }
    }

    if (access === 'ro') {
      for (const stmt of statementsOf(requests)) {
        if (typeof stmt.sql !== 'string') continue
        const analysis = analyzeStatement(stmt.sql)
        if (analysis.ok && requiredPermission(analysis.kind) === 'write') return forbidden('Write', database)
      }
    }

    const results: unknown[] = []
    let closed = false
    for (const request of requests) {
      if (closed && request.type !== 'close') {
        results.push({ type: 'error', error: { message: 'The stream has already been closed', code: 'STREAM_CLOSED' } })
        continue
      }
      switch (request.type) {
        case 'execute': {
          const outcome = runStmt(stream, request.stmt)
          results.push(outcome.ok ? { type: 'ok', response: { type: 'execute', result: outcome.result } } : { type: 'error', error: outcome.error })
          break
        }
        case 'batch': {
          const outcome = runBatch(stream, request.batch.steps)
          results.push('code' in outcome ? { type: 'error', error: outcome } : { type: 'ok', response: { type: 'batch', result: outcome } })
          break
        }
        case 'close':
          stream.inTransaction = false // closing the connection rolls back an open transaction
          closed = true
          results.push({ type: 'ok', response: { type: 'close' } })
          break
        case 'get_autocommit':
          if (version < 3) return text(400, 'The `get_autocommit` request is only supported in protocol version 3 and higher')
          results.push({ type: 'ok', response: { type: 'get_autocommit', is_autocommit: !stream.inTransaction } })
          break
        default:
          results.push({
            type: 'error',
            error: { message: `${SUPPORTED_STATEMENTS_NOTE}; the \`${request.type}\` request is not supported`, code: 'EMULATOR_UNSUPPORTED_REQUEST' }
          })
      }
    }

    let nextBaton: string | null = null
    if (!closed) {
      nextBaton = `emulator-baton-${this.nextBaton++}`
      stream.lastUsedMs = this.now()
      this.streams.set(nextBaton, stream)
    }
    return json(200, { baton: nextBaton, base_url: null, results })
  }

  private forgetOldStreams(): void {
    const now = this.now()
    for (const [baton, stream] of this.streams) if (now - stream.lastUsedMs > STREAM_FORGET_MS) this.streams.delete(baton)
  }
}
