/**
 * Proves a freshly minted token works before the action reports success, stores or
 * exports it: `SELECT 1` over libSQL's Hrana-over-HTTP protocol, and optionally a
 * write probe that changes nothing.
 *
 * ── What libsql-server does (tursodatabase/libsql @ f8fb14f3, paths under libsql-server/) ──
 * Wire format (docs/HRANA_3_SPEC.md, "Hrana over HTTP"; routes in src/http/user/mod.rs):
 *   POST /v2/pipeline (or /v3/pipeline), JSON
 *   -> {"baton":null,"requests":[{"type":"execute","stmt":{"sql":"SELECT 1","want_rows":true}},{"type":"close"}]}
 *   <- 200 {"baton":null,"base_url":null,"results":[
 *        {"type":"ok","response":{"type":"execute","result":{"cols":[{"name":"1","decltype":null}],
 *          "rows":[[{"type":"integer","value":"1"}]],"affected_row_count":0,"last_insert_rowid":null,...}}},
 *        {"type":"ok","response":{"type":"close"}}]}
 *   Integers are JSON strings. One result per request, always all executed.
 *   Per-statement failure (src/hrana/http/request.rs `handle`, src/hrana/stmt.rs `StmtError`/`code()`):
 *        {"type":"error","error":{"message":"SQLite error: ...","code":"SQLITE_ERROR"}}  (still HTTP 200)
 *   @libsql/hrana-client's JSON transport uses /v2/pipeline (its JSON v3 entry is commented out in
 *   libsql/hrana-client-ts src/http/client.ts), so /v2 is the most widely served endpoint: we use it.
 * Bad token (src/http/user/extract.rs authenticates before the handler runs; src/auth/errors.rs;
 *   src/auth/user_auth_strategies/jwt.rs; src/error.rs `AuthError(_) => 401`, body from `format_err`):
 *   HTTP 401, content-type application/json, body {"error":"Unauthorized: `The JWT is invalid`"}
 *   (bad signature, malformed, wrong key) or {"error":"Unauthorized: `The JWT has expired`"};
 *   no Authorization header: {"error":"Unauthorized: `Expected authorization header but none given`"}.
 *   A valid token for another database fails the Read check below: HTTP 403 (see next).
 * Read-only token writing (src/connection/program.rs `check_program_auth`, src/auth/authenticated.rs `has_right`):
 *   DDL/Write statements need Permission::Write; the failure is Error::Forbidden, which is not a
 *   StmtError (src/hrana/stmt.rs `stmt_error_from_sqld_error`), so it escapes the pipeline
 *   (request.rs `err.downcast::<StreamResponseError>()?`) and the WHOLE request answers
 *   HTTP 403 {"error":"Authorization forbidden: Current session doesn't not have Write permission to namespace <ns>"}
 *   (sic; snapshot tests/namespaces/snapshots/tests__namespaces__shared_schema__check_migration_perms.snap).
 *   The stream is dropped without release (src/hrana/http/stream.rs `Drop for Guard`), so its
 *   connection and any open transaction go away uncommitted.
 * BEGIN IMMEDIATE (src/query_analysis.rs): every `Stmt::Begin { .. }` is StmtKind::TxnBegin (the server
 *   has no TxnBeginReadOnly; that variant exists only client-side in libsql/src/parser.rs), and
 *   check_program_auth lets TxnBegin/TxnEnd/Read/Savepoint/Release through with Permission::Read.
 *   So a read-only token CAN run `BEGIN IMMEDIATE; ROLLBACK`: it proves nothing about write access.
 *
 * ── Write probe chosen ──
 *   BEGIN IMMEDIATE; CREATE TABLE IF NOT EXISTS "_turso_token_verify_probe" ("x"); ROLLBACK; close
 *   CREATE TABLE is StmtKind::DDL, so libsql-server demands Permission::Write (read-only token: the
 *   403 above), and it is a real write under any server or plain SQLite. Nothing can persist: no
 *   COMMIT is ever sent, ROLLBACK runs even after a statement error, and a dropped stream rolls back.
 *   Known limits: shared-schema child databases forbid DDL even to full-access tokens ("DDL
 *   statements not permitted on namespace ..."), and fine-grained tokens without schema rights
 *   would fail it; callers should ask for the write check only for full-access tokens.
 *   (`PRAGMA user_version` is also classed Write by query_analysis.rs, but only as a routing
 *   choice; it reads, and another server could rightly let a read-only token run it.)
 */
import { NetworkError, type HttpClient, type HttpResponse } from '../http/http-client.js'
import { RETRYABLE_STATUS_CODES, retryAfterMs } from '../http/retry-policy.js'
import { decodeJsonEscapes } from '../runner/secrets.js'
import { databaseBaseUrl } from './database-url.js'
import { TokenVerificationError, type VerificationCheck } from './errors.js'
import { PIPELINE_PATH, errorBodyMessage, executeRows, isSingleIntegerOne, parsePipelineResponse, pipelineRequestBody, type HranaError } from './hrana-pipeline.js'
import { sanitizeServerText } from './sanitize.js'

export { TokenVerificationError } from './errors.js'
export type { VerificationCheck } from './errors.js'

export interface VerifyOptions {
  /** Turso Hostname, e.g. `db-org.turso.io`, or `127.0.0.1:PORT` for the emulator. */
  hostname: string
  token: string
  checkWrite: boolean
  /** The run's one HTTP client: its timeout, retries (logged), proxy and no-redirect rule apply here too. */
  http: HttpClient
  /** Retries for each request; default: the client's (the `retries` input). */
  retries?: number
  /** Aborts the probes in flight (the readiness loop's bound on the whole verify phase). */
  signal?: AbortSignal
  log: (message: string) => void
}

export interface VerifyResult {
  /** Base URL used, without the token. */
  url: string
  write: boolean | 'skipped'
}

export const READ_PROBE = [{ sql: 'SELECT 1', wantRows: true }] as const
export const WRITE_PROBE_TABLE = '_turso_token_verify_probe'
export const WRITE_PROBE = [
  { sql: 'BEGIN IMMEDIATE', wantRows: false },
  { sql: `CREATE TABLE IF NOT EXISTS "${WRITE_PROBE_TABLE}" ("x")`, wantRows: false },
  { sql: 'ROLLBACK', wantRows: false }
] as const

/** The write probe runs only for tokens asked for as full-access, so a refusal means Turso minted less. */
const CANNOT_WRITE_NEXT_STEP =
  'The token was requested as full-access but the database refuses its writes: check that the API token may mint full-access tokens, ' +
  'and that the database accepts schema changes (shared-schema child databases refuse them); set verify: false to skip the check.'

const BUSY_CODES = new Set(['SQLITE_BUSY', 'SQLITE_LOCKED', 'TRANSACTION_BUSY', 'TRANSACTION_TIMEOUT'])

interface Probe {
  check: Extract<VerificationCheck, 'read' | 'write'>
  statements: ReadonlyArray<{ sql: string; wantRows: boolean }>
}

/** Builds errors whose every server-supplied part has been sanitized, with the URL and check filled in. */
class FailureReporter {
  constructor(
    private readonly url: string,
    private readonly token: string
  ) {}

  fail(
    check: VerificationCheck,
    what: string,
    nextStep: string,
    extra: { status?: number; error?: HranaError; unreachable?: string; retryAfterMs?: number } = {}
  ): never {
    const serverMessage = extra.error === undefined ? undefined : sanitizeServerText(extra.error.message, this.token)
    const code = extra.error?.code === undefined ? undefined : sanitizeServerText(extra.error.code, this.token, 60)
    const detail = serverMessage === undefined ? '' : `: ${serverMessage}${code === undefined ? '' : ` (${code})`}`
    const message = sanitizeServerText(`Token verification against ${this.url} failed: ${what}${detail}. ${nextStep}`, this.token, 1000)
    throw new TokenVerificationError(message, {
      check,
      status: extra.status,
      serverMessage,
      code,
      unreachable: extra.unreachable,
      retryAfterMs: extra.retryAfterMs
    })
  }
}

function describeStatus(response: HttpResponse): string {
  return response.attempts > 1 ? `HTTP ${response.status} after ${response.attempts} attempts` : `HTTP ${response.status}`
}

/** Maps a non-200 answer to the error that says what it means for the token. */
function failOnHttpStatus(reporter: FailureReporter, probe: Probe, response: HttpResponse): never {
  const status = response.status
  const error = errorBodyMessage(response.text)
  const extra = { status, error, retryAfterMs: retryAfterMs(response.headers['retry-after']) }
  const seen = describeStatus(response)
  if (status === 403 && probe.check === 'write') {
    reporter.fail('write', `the token cannot write (${seen})`, CANNOT_WRITE_NEXT_STEP, extra)
  }
  if (status === 401 || status === 403) {
    reporter.fail(
      probe.check,
      `the new token was rejected by the database (${seen})`,
      'Check that the token was minted for this database or its group and was not invalidated by a later rotation.',
      extra
    )
  }
  if (status >= 300 && status < 400) {
    reporter.fail(probe.check, `the database answered with a redirect (${seen}), which is not followed so the token goes nowhere else`, 'Check the database hostname.', extra)
  }
  if (status === 404) {
    reporter.fail(probe.check, `the database or its ${PIPELINE_PATH} endpoint was not found (${seen})`, 'Check the database hostname and that the database still exists.', extra)
  }
  if (RETRYABLE_STATUS_CODES.includes(status)) {
    reporter.fail(probe.check, `the database kept failing (${seen})`, 'Try again later, or raise `verify-timeout`.', extra)
  }
  reporter.fail(probe.check, `the database answered with an unexpected status (${seen})`, 'Check the database hostname; this is not a libSQL server answer the action understands.', extra)
}

async function runProbe(options: VerifyOptions, baseUrl: string, reporter: FailureReporter, probe: Probe) {
  let response: HttpResponse
  try {
    response = await options.http.send({
      method: 'POST',
      url: new URL(`${baseUrl}${PIPELINE_PATH}`),
      headers: { authorization: `Bearer ${options.token}`, 'content-type': 'application/json' },
      body: pipelineRequestBody(probe.statements),
      retries: options.retries,
      signal: options.signal
    })
  } catch (error) {
    if (!(error instanceof NetworkError)) throw error
    reporter.fail(probe.check, `could not reach the database after ${error.attempts} attempt(s): ${error.reason}`, 'Check the database hostname and the network; raise `timeout` or `verify-timeout` if the database is slow.', {
      unreachable: error.reason
    })
  }
  if (response.status !== 200) failOnHttpStatus(reporter, probe, response)

  const parsed = parsePipelineResponse(response.text, probe.statements.length + 1)
  if (!parsed.ok) {
    reporter.fail(probe.check, `the database answered HTTP 200 but not with a Hrana pipeline response (${parsed.problem})`, 'Check that the hostname is a libSQL/Turso database.', {
      status: 200,
      // Decoded first, so a token echoed with `\u` escapes is redacted before the text is cut.
      error: { message: decodeJsonEscapes(response.text) }
    })
  }
  return parsed.results
}

async function checkRead(options: VerifyOptions, baseUrl: string, reporter: FailureReporter): Promise<void> {
  const [select] = await runProbe(options, baseUrl, reporter, { check: 'read', statements: READ_PROBE })
  if (select.type === 'error') {
    reporter.fail('read', 'SELECT 1 failed on the database', 'Check that the token grants read access to this database.', { status: 200, error: select.error })
  }
  const rows = executeRows(select.response)
  if (rows === undefined || !isSingleIntegerOne(rows)) {
    const got = rows === undefined ? 'no execute result' : `rows ${JSON.stringify(rows)}`
    reporter.fail('read', `SELECT 1 did not return a single row holding the integer 1 (got ${sanitizeServerText(got, options.token, 200)})`, 'Check that the hostname is a libSQL/Turso database.', { status: 200 })
  }
}

async function checkWrite(options: VerifyOptions, baseUrl: string, reporter: FailureReporter): Promise<void> {
  const results = await runProbe(options, baseUrl, reporter, { check: 'write', statements: WRITE_PROBE })
  // Only BEGIN and CREATE decide; nothing is ever committed, so a failed ROLLBACK still leaves no change behind.
  for (const [index, result] of results.slice(0, 2).entries()) {
    if (result.type === 'ok') continue
    if (result.error.code !== undefined && BUSY_CODES.has(result.error.code)) {
      reporter.fail('write', `the write check could not take the write lock (${WRITE_PROBE[index].sql})`, 'Another writer holds the database; try again later.', { status: 200, error: result.error })
    }
    reporter.fail('write', `the token cannot write (${WRITE_PROBE[index].sql} failed)`, CANNOT_WRITE_NEXT_STEP, {
      status: 200,
      error: result.error
    })
  }
  if (results[2].type === 'error') options.log('Write check: ROLLBACK reported an error; no COMMIT was sent, so nothing was changed')
}

function assertUsableToken(token: string, baseUrl: string): void {
  // Checked locally so a broken value never reaches an HTTP header (and undici's error about it never reaches a log).
  if (token === '' || !/^[\x21-\x7e]+$/.test(token)) {
    throw new TokenVerificationError(`Token verification against ${baseUrl} failed: the token is empty or contains characters not allowed in an HTTP header. Check the value the API returned.`, { check: 'token' })
  }
}

export async function verifyDatabaseToken(options: VerifyOptions): Promise<VerifyResult> {
  const baseUrl = databaseBaseUrl(options.hostname, options.token)
  assertUsableToken(options.token, baseUrl)
  const reporter = new FailureReporter(baseUrl, options.token)

  options.log(`Verifying the new token: SELECT 1 on ${baseUrl}${PIPELINE_PATH}`)
  await checkRead(options, baseUrl, reporter)
  options.log('The new token can read the database')

  if (!options.checkWrite) return { url: baseUrl, write: 'skipped' }

  options.log(`Checking write access: BEGIN IMMEDIATE, CREATE TABLE "${WRITE_PROBE_TABLE}", ROLLBACK (nothing is committed)`)
  await checkWrite(options, baseUrl, reporter)
  options.log('The new token can write to the database')
  return { url: baseUrl, write: true }
}
