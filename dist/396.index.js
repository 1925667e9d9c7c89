export const id = 396;
export const ids = [396];
export const modules = {

/***/ 3396:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  verifyDatabaseToken: () => (/* binding */ verifyDatabaseToken)
});

// UNUSED EXPORTS: READ_PROBE, TokenVerificationError, WRITE_PROBE, WRITE_PROBE_TABLE

// EXTERNAL MODULE: ./src/http/http-client.ts
var http_client = __webpack_require__(7772);
// EXTERNAL MODULE: ./src/http/retry-policy.ts
var retry_policy = __webpack_require__(7593);
// EXTERNAL MODULE: ./src/parsers/api-url.ts
var api_url = __webpack_require__(8568);
// EXTERNAL MODULE: ./src/parsers/host.ts
var parsers_host = __webpack_require__(3544);
;// CONCATENATED MODULE: ./src/verify/errors.ts
/**
 * The one error type token verification throws. Its message says what failed and
 * what to do next; it never carries the token or anything derived from it (every
 * server-supplied text is passed through `sanitizeServerText` first, and no
 * lower-level error is attached as `cause`).
 */
class TokenVerificationError extends Error {
    check;
    status;
    serverMessage;
    code;
    constructor(message, details) {
        super(message);
        this.name = 'TokenVerificationError';
        this.check = details.check;
        this.status = details.status;
        this.serverMessage = details.serverMessage;
        this.code = details.code;
    }
}

// EXTERNAL MODULE: ./src/runner/secrets.ts
var secrets = __webpack_require__(2995);
// EXTERNAL MODULE: ./src/turso/errors.ts
var errors = __webpack_require__(1406);
;// CONCATENATED MODULE: ./src/verify/sanitize.ts
/**
 * Makes text that came from a database server (or from a network error) safe to put
 * in a log line or an error message: the token is redacted first, then the project's
 * one log-text cleaner (`cleanForLog`) removes control characters and caps the length.
 */


/** JWT segments shorter than this are too generic to be worth redacting. */
const MIN_REDACTED_SEGMENT_LENGTH = 16;
/**
 * Replaces the token and each of its longer dot-separated JWT segments with `***`,
 * so that a server or proxy echoing the Authorization header cannot leak it.
 */
function redactToken(text, token) {
    if (token === '')
        return text;
    return (0,secrets/* replaceSecrets */.Et)(text, [token, ...token.split('.').filter((segment) => segment.length >= MIN_REDACTED_SEGMENT_LENGTH)]);
}
function sanitizeServerText(text, token, maxLength) {
    return (0,errors/* cleanForLog */.Z4)(redactToken(text, token), maxLength);
}

;// CONCATENATED MODULE: ./src/verify/database-url.ts
/**
 * Turns the database's Turso hostname (`db-org.turso.io`, or `127.0.0.1:PORT` for the
 * emulator) into the base URL the Hrana HTTP requests go to. Only a bare `host[:port]`
 * is accepted, so a value can never smuggle in a path, credentials or another scheme.
 */




/** `https://<hostname>`, or `http://<hostname>` for a loopback host (the emulator). Throws on anything but `host[:port]`. */
function databaseBaseUrl(hostname, token = '') {
    const reject = (problem) => {
        const shown = sanitizeServerText(JSON.stringify(hostname), token, 120);
        throw new TokenVerificationError(`Cannot verify the new token: the database hostname ${shown} ${problem}. ` +
            'Give the bare hostname reported by Turso, e.g. "my-db-my-org.turso.io" (or "127.0.0.1:PORT" for the emulator).', { check: 'hostname' });
    };
    if (hostname === '')
        return reject('is empty');
    if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(hostname))
        return reject('must not include a scheme such as libsql:// or https://');
    if (/\s/.test(hostname))
        return reject('must not contain whitespace');
    if (hostname.includes('/'))
        return reject('must not contain "/"');
    if (hostname.includes('@'))
        return reject('must not contain "@"');
    const split = (0,parsers_host/* splitHostAndPort */.r)(hostname);
    if (split === undefined && /:\d+$/.test(hostname) && (0,parsers_host/* splitHostAndPort */.r)(hostname.replace(/:\d+$/, '')) !== undefined) {
        return reject('has a port outside 1-65535');
    }
    if (split === undefined)
        return reject('is not of the form host or host:port');
    const { host } = split;
    // The same loopback rule as api-url (127.0.0.0/8, localhost, [::1]); it takes the host without the port.
    const scheme = (0,api_url/* isLoopbackHost */.cW)(host) ? 'http' : 'https';
    let parsed;
    try {
        parsed = new URL(`${scheme}://${hostname}`);
    }
    catch {
        return reject('is not a valid host');
    }
    // `origin` lower-cases the host and drops a default port; nothing else can differ after the checks above.
    return parsed.origin;
}

;// CONCATENATED MODULE: ./src/verify/hrana-pipeline.ts
/**
 * The few pieces of Hrana-over-HTTP JSON that token verification needs: building a
 * pipeline request body and reading a pipeline response defensively.
 * Spec: tursodatabase/libsql docs/HRANA_3_SPEC.md, "Hrana over HTTP" and "Shared structures".
 */
/** `POST /v2/pipeline` with JSON: the endpoint every libsql-server and the JSON @libsql/client use. */
const PIPELINE_PATH = '/v2/pipeline';
/**
 * A pipeline on a new stream (`baton: null`) that executes each statement in order and
 * then closes the stream, so the server keeps no state after answering.
 */
function pipelineRequestBody(statements) {
    const requests = statements.map(({ sql, wantRows }) => ({
        type: 'execute',
        stmt: { sql, want_rows: wantRows }
    }));
    requests.push({ type: 'close' });
    return JSON.stringify({ baton: null, requests });
}
function isRecord(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
function parseHranaError(value) {
    if (!isRecord(value) || typeof value.message !== 'string')
        return undefined;
    return typeof value.code === 'string' && value.code !== '' ? { message: value.message, code: value.code } : { message: value.message };
}
/** Parses a 200 pipeline response body; `expectedResults` is the number of requests sent (one result each). */
function parsePipelineResponse(bodyText, expectedResults) {
    let body;
    try {
        body = JSON.parse(bodyText);
    }
    catch {
        return { ok: false, problem: 'the response body is not JSON' };
    }
    if (!isRecord(body))
        return { ok: false, problem: 'the response body is not a JSON object' };
    if (!Array.isArray(body.results))
        return { ok: false, problem: 'the response has no "results" array' };
    if (body.results.length !== expectedResults) {
        return { ok: false, problem: `the response has ${body.results.length} results for ${expectedResults} requests` };
    }
    const results = [];
    for (const [index, entry] of body.results.entries()) {
        if (isRecord(entry) && entry.type === 'ok') {
            results.push({ type: 'ok', response: entry.response });
            continue;
        }
        const error = isRecord(entry) && entry.type === 'error' ? parseHranaError(entry.error) : undefined;
        if (error === undefined)
            return { ok: false, problem: `result ${index} is neither {"type":"ok"} nor a {"type":"error"} with a message` };
        results.push({ type: 'error', error });
    }
    return { ok: true, results };
}
/** The `rows` of an `execute` response (`{"type":"execute","result":{"rows":[...]}}`), or undefined if it is not one. */
function executeRows(response) {
    if (!isRecord(response) || response.type !== 'execute' || !isRecord(response.result))
        return undefined;
    return Array.isArray(response.result.rows) ? response.result.rows : undefined;
}
/** True when the rows are exactly one row holding the integer 1 (Hrana JSON sends integers as strings). */
function isSingleIntegerOne(rows) {
    if (rows.length !== 1)
        return false;
    const row = rows[0];
    if (!Array.isArray(row) || row.length !== 1)
        return false;
    const cell = row[0];
    return isRecord(cell) && cell.type === 'integer' && cell.value === '1';
}
/**
 * The message in an HTTP error body. libsql-server sends `{"error": "..."}` (its
 * `ResponseError::format_err`); Hrana servers may send an `Error` (`{"message", "code"}`);
 * proxies send text or HTML. Returns the raw text when no structure is recognised.
 */
function errorBodyMessage(bodyText) {
    try {
        const body = JSON.parse(bodyText);
        if (isRecord(body)) {
            if (typeof body.error === 'string')
                return { message: body.error };
            const nested = parseHranaError(body.error) ?? parseHranaError(body);
            if (nested !== undefined)
                return nested;
        }
    }
    catch {
        // Not JSON: fall through to the raw text.
    }
    const text = bodyText.trim();
    return { message: text === '' ? '(empty body)' : text };
}

;// CONCATENATED MODULE: ./src/verify/libsql-verify.ts
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







const READ_PROBE = [{ sql: 'SELECT 1', wantRows: true }];
const WRITE_PROBE_TABLE = '_turso_token_verify_probe';
const WRITE_PROBE = [
    { sql: 'BEGIN IMMEDIATE', wantRows: false },
    { sql: `CREATE TABLE IF NOT EXISTS "${WRITE_PROBE_TABLE}" ("x")`, wantRows: false },
    { sql: 'ROLLBACK', wantRows: false }
];
/** The write probe runs only for tokens asked for as full-access, so a refusal means Turso minted less. */
const CANNOT_WRITE_NEXT_STEP = 'The token was requested as full-access but the database refuses its writes: check that the API token may mint full-access tokens, ' +
    'and that the database accepts schema changes (shared-schema child databases refuse them); set verify: false to skip the check.';
const BUSY_CODES = new Set(['SQLITE_BUSY', 'SQLITE_LOCKED', 'TRANSACTION_BUSY', 'TRANSACTION_TIMEOUT']);
/** Builds errors whose every server-supplied part has been sanitized, with the URL and check filled in. */
class FailureReporter {
    url;
    token;
    constructor(url, token) {
        this.url = url;
        this.token = token;
    }
    fail(check, what, nextStep, extra = {}) {
        const serverMessage = extra.error === undefined ? undefined : sanitizeServerText(extra.error.message, this.token);
        const code = extra.error?.code === undefined ? undefined : sanitizeServerText(extra.error.code, this.token, 60);
        const detail = serverMessage === undefined ? '' : `: ${serverMessage}${code === undefined ? '' : ` (${code})`}`;
        const message = sanitizeServerText(`Token verification against ${this.url} failed: ${what}${detail}. ${nextStep}`, this.token, 1000);
        throw new TokenVerificationError(message, { check, status: extra.status, serverMessage, code });
    }
}
function describeStatus(response) {
    return response.attempts > 1 ? `HTTP ${response.status} after ${response.attempts} attempts` : `HTTP ${response.status}`;
}
/** Maps a non-200 answer to the error that says what it means for the token. */
function failOnHttpStatus(reporter, probe, response) {
    const status = response.status;
    const error = errorBodyMessage(response.text);
    const extra = { status, error };
    const seen = describeStatus(response);
    if (status === 403 && probe.check === 'write') {
        reporter.fail('write', `the token cannot write (${seen})`, CANNOT_WRITE_NEXT_STEP, extra);
    }
    if (status === 401 || status === 403) {
        reporter.fail(probe.check, `the new token was rejected by the database (${seen})`, 'Check that the token was minted for this database or its group and was not invalidated by a later rotation.', extra);
    }
    if (status >= 300 && status < 400) {
        reporter.fail(probe.check, `the database answered with a redirect (${seen}), which is not followed so the token goes nowhere else`, 'Check the database hostname.', extra);
    }
    if (status === 404) {
        reporter.fail(probe.check, `the database or its ${PIPELINE_PATH} endpoint was not found (${seen})`, 'Check the database hostname and that the database still exists.', extra);
    }
    if (retry_policy/* RETRYABLE_STATUS_CODES */.v5.includes(status)) {
        reporter.fail(probe.check, `the database kept failing (${seen})`, 'Try again later, or raise `retries`.', extra);
    }
    reporter.fail(probe.check, `the database answered with an unexpected status (${seen})`, 'Check the database hostname; this is not a libSQL server answer the action understands.', extra);
}
async function runProbe(options, baseUrl, reporter, probe) {
    let response;
    try {
        response = await options.http.send({
            method: 'POST',
            url: new URL(`${baseUrl}${PIPELINE_PATH}`),
            headers: { authorization: `Bearer ${options.token}`, 'content-type': 'application/json' },
            body: pipelineRequestBody(probe.statements)
        });
    }
    catch (error) {
        if (!(error instanceof http_client/* NetworkError */.Dr))
            throw error;
        reporter.fail(probe.check, `could not reach the database after ${error.attempts} attempt(s): ${error.reason}`, 'Check the database hostname and the network; raise `timeout` or `retries` if the database is slow.');
    }
    if (response.status !== 200)
        failOnHttpStatus(reporter, probe, response);
    const parsed = parsePipelineResponse(response.text, probe.statements.length + 1);
    if (!parsed.ok) {
        reporter.fail(probe.check, `the database answered HTTP 200 but not with a Hrana pipeline response (${parsed.problem})`, 'Check that the hostname is a libSQL/Turso database.', {
            status: 200,
            error: { message: response.text }
        });
    }
    return parsed.results;
}
async function checkRead(options, baseUrl, reporter) {
    const [select] = await runProbe(options, baseUrl, reporter, { check: 'read', statements: READ_PROBE });
    if (select.type === 'error') {
        reporter.fail('read', 'SELECT 1 failed on the database', 'Check that the token grants read access to this database.', { status: 200, error: select.error });
    }
    const rows = executeRows(select.response);
    if (rows === undefined || !isSingleIntegerOne(rows)) {
        const got = rows === undefined ? 'no execute result' : `rows ${JSON.stringify(rows)}`;
        reporter.fail('read', `SELECT 1 did not return a single row holding the integer 1 (got ${sanitizeServerText(got, options.token, 200)})`, 'Check that the hostname is a libSQL/Turso database.', { status: 200 });
    }
}
async function checkWrite(options, baseUrl, reporter) {
    const results = await runProbe(options, baseUrl, reporter, { check: 'write', statements: WRITE_PROBE });
    // Only BEGIN and CREATE decide; nothing is ever committed, so a failed ROLLBACK still leaves no change behind.
    for (const [index, result] of results.slice(0, 2).entries()) {
        if (result.type === 'ok')
            continue;
        if (result.error.code !== undefined && BUSY_CODES.has(result.error.code)) {
            reporter.fail('write', `the write check could not take the write lock (${WRITE_PROBE[index].sql})`, 'Another writer holds the database; try again later.', { status: 200, error: result.error });
        }
        reporter.fail('write', `the token cannot write (${WRITE_PROBE[index].sql} failed)`, CANNOT_WRITE_NEXT_STEP, {
            status: 200,
            error: result.error
        });
    }
    if (results[2].type === 'error')
        options.log('Write check: ROLLBACK reported an error; no COMMIT was sent, so nothing was changed');
}
function assertUsableToken(token, baseUrl) {
    // Checked locally so a broken value never reaches an HTTP header (and undici's error about it never reaches a log).
    if (token === '' || !/^[\x21-\x7e]+$/.test(token)) {
        throw new TokenVerificationError(`Token verification against ${baseUrl} failed: the token is empty or contains characters not allowed in an HTTP header. Check the value the API returned.`, { check: 'token' });
    }
}
async function verifyDatabaseToken(options) {
    const baseUrl = databaseBaseUrl(options.hostname, options.token);
    assertUsableToken(options.token, baseUrl);
    const reporter = new FailureReporter(baseUrl, options.token);
    options.log(`Verifying the new token: SELECT 1 on ${baseUrl}${PIPELINE_PATH}`);
    await checkRead(options, baseUrl, reporter);
    options.log('The new token can read the database');
    if (!options.checkWrite)
        return { url: baseUrl, read: true, write: 'skipped' };
    options.log(`Checking write access: BEGIN IMMEDIATE, CREATE TABLE "${WRITE_PROBE_TABLE}", ROLLBACK (nothing is committed)`);
    await checkWrite(options, baseUrl, reporter);
    options.log('The new token can write to the database');
    return { url: baseUrl, read: true, write: true };
}


/***/ })

};

//# sourceMappingURL=396.index.js.map