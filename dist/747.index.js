export const id = 747;
export const ids = [747];
export const modules = {

/***/ 1747:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  verifyDatabaseToken: () => (/* binding */ verifyDatabaseToken)
});

// UNUSED EXPORTS: READ_PROBE, TokenVerificationError, WRITE_PROBE, WRITE_PROBE_TABLE

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

;// CONCATENATED MODULE: ./src/verify/sanitize.ts
/**
 * Makes text that came from a server (or from a network error) safe to put in a
 * log line or an error message: the token is redacted, control characters are
 * replaced (no log-command or terminal-escape injection), and the length is capped.
 */
const MAX_SERVER_TEXT_LENGTH = 300;
/** JWT segments shorter than this are too generic to be worth redacting. */
const MIN_REDACTED_SEGMENT_LENGTH = 16;
// C0 and C1 controls, DEL, and the Unicode bidi/line separators that can reorder or split a log line.
// eslint-disable-next-line no-control-regex
const UNSAFE_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]+/g;
/**
 * Replaces the token and each of its longer dot-separated JWT segments with `***`,
 * so that a server or proxy echoing the Authorization header cannot leak it.
 */
function redactToken(text, token) {
    if (token === '')
        return text;
    const secrets = [token, ...token.split('.').filter((segment) => segment.length >= MIN_REDACTED_SEGMENT_LENGTH)];
    let redacted = text;
    for (const secret of secrets) {
        redacted = redacted.split(secret).join('***');
    }
    return redacted;
}
function sanitizeServerText(text, token, maxLength = MAX_SERVER_TEXT_LENGTH) {
    const singleLine = redactToken(text, token).replace(UNSAFE_CHARACTERS, ' ').replace(/\s+/g, ' ').trim();
    if (singleLine.length <= maxLength)
        return singleLine;
    return `${singleLine.slice(0, maxLength)}… (truncated)`;
}

;// CONCATENATED MODULE: ./src/verify/database-url.ts
/**
 * Turns the database's Turso hostname (`db-org.turso.io`, or `127.0.0.1:PORT` for the
 * emulator) into the base URL the Hrana HTTP requests go to. Only a bare `host[:port]`
 * is accepted, so a value can never smuggle in a path, credentials or another scheme.
 */


// A DNS name / IPv4 address, or a bracketed IPv6 address, then an optional port.
const HOST_AND_PORT = /^(?<host>\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?)(?::(?<port>\d{1,5}))?$/;
const LOOPBACK_IPV4 = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
/** True for `localhost`, `127.0.0.0/8` and `[::1]`: the hosts the emulator serves plain http on. */
function isLoopbackHost(host) {
    const lower = host.toLowerCase();
    if (lower === 'localhost' || lower === '[::1]')
        return true;
    const octets = LOOPBACK_IPV4.exec(lower);
    return octets !== null && octets.slice(1).every((octet) => Number(octet) <= 255);
}
/** `https://<hostname>`, or `http://<hostname>` for a loopback host. Throws on anything but `host[:port]`. */
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
    const match = HOST_AND_PORT.exec(hostname);
    const host = match?.groups?.host;
    if (host === undefined)
        return reject('is not of the form host or host:port');
    const port = match?.groups?.port;
    if (port !== undefined && (Number(port) < 1 || Number(port) > 65535))
        return reject('has a port outside 1-65535');
    const scheme = isLoopbackHost(host) ? 'http' : 'https';
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

// EXTERNAL MODULE: ./node_modules/undici/index.js
var undici = __webpack_require__(6752);
;// CONCATENATED MODULE: ./src/verify/pipeline-http.ts
/**
 * Sends one Hrana pipeline POST with undici: Bearer auth, a timeout per attempt, no
 * redirects (undici's `request` never follows them), and bounded retries for network
 * errors, timeouts, 408, 429 and 5xx only, honouring `Retry-After` up to a small cap.
 * Any other status is handed back to the caller to interpret.
 */


const USER_AGENT = 'turso-auth-token-action (token verification)';
/** Response bodies past this are cut; a pipeline answer for our probes is a few hundred bytes. */
const MAX_RESPONSE_BYTES = 1024 * 1024;
/** Longest wait a server's `Retry-After` can ask of us. */
const MAX_RETRY_AFTER_MS = 10_000;
const BACKOFF_BASE_MS = 500;
const BACKOFF_CAP_MS = 5_000;
/** Every attempt failed without an HTTP response (connection error or timeout). */
class PipelineTransportError extends Error {
    reason;
    attempts;
    constructor(reason, attempts) {
        super(reason);
        this.reason = reason;
        this.attempts = attempts;
        this.name = 'PipelineTransportError';
    }
}
function isRetryableStatus(status) {
    return status === 408 || status === 429 || status >= 500;
}
function headerValue(value) {
    return Array.isArray(value) ? value[0] : value;
}
/**
 * Milliseconds to wait before retry number `attempt` (1-based). A `Retry-After` in
 * seconds or as an HTTP date wins (capped at MAX_RETRY_AFTER_MS); otherwise
 * exponential backoff with jitter: 250-500 ms, 500-1000 ms, ... up to 5 s.
 */
function retryDelayMs(attempt, retryAfter, now = Date.now(), random = Math.random) {
    if (retryAfter !== undefined && retryAfter.trim() !== '') {
        const trimmed = retryAfter.trim();
        const askedMs = /^\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) * 1000 : Date.parse(trimmed) - now;
        if (Number.isFinite(askedMs))
            return Math.min(Math.max(askedMs, 0), MAX_RETRY_AFTER_MS);
    }
    const ceiling = Math.min(BACKOFF_BASE_MS * 2 ** (attempt - 1), BACKOFF_CAP_MS);
    return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
function sleep(ms) {
    return new Promise((resolve) => setTimeout(resolve, ms));
}
async function readCapped(body) {
    const chunks = [];
    let size = 0;
    for await (const chunk of body) {
        chunks.push(chunk);
        size += chunk.length;
        // Leaving the loop destroys the stream, so an oversized answer is not read to its end.
        if (size >= MAX_RESPONSE_BYTES)
            break;
    }
    return Buffer.concat(chunks).subarray(0, MAX_RESPONSE_BYTES).toString('utf8');
}
async function sendOnce(options) {
    const controller = new AbortController();
    // One timer covers connecting, the headers and the whole body.
    const timer = setTimeout(() => controller.abort(), options.timeoutMs);
    try {
        const response = await (0,undici.request)(options.url, {
            method: 'POST',
            headers: {
                authorization: `Bearer ${options.token}`,
                'content-type': 'application/json',
                accept: 'application/json',
                'user-agent': USER_AGENT
            },
            body: options.body,
            signal: controller.signal,
            ...(options.dispatcher === undefined ? {} : { dispatcher: options.dispatcher })
        });
        const bodyText = await readCapped(response.body);
        return { status: response.statusCode, headers: response.headers, bodyText };
    }
    catch (error) {
        // No `cause`: lower-level errors are kept out of anything that may be printed.
        // eslint-disable-next-line preserve-caught-error
        if (controller.signal.aborted)
            throw new Error(`no complete answer within ${options.timeoutMs} ms`);
        throw error;
    }
    finally {
        clearTimeout(timer);
    }
}
function describeNetworkError(error, token) {
    const raw = error instanceof Error ? error.message : String(error);
    const code = error instanceof Error && 'code' in error && typeof error.code === 'string' ? ` (${error.code})` : '';
    return sanitizeServerText(`${raw}${code}`, token);
}
async function postPipeline(options) {
    const maxAttempts = Math.max(0, Math.floor(options.retries)) + 1;
    for (let attempt = 1;; attempt++) {
        let outcome;
        let retryAfter;
        try {
            const response = await sendOnce(options);
            if (!isRetryableStatus(response.status) || attempt === maxAttempts)
                return { ...response, attempts: attempt };
            outcome = `HTTP ${response.status}`;
            retryAfter = headerValue(response.headers['retry-after']);
        }
        catch (error) {
            const reason = describeNetworkError(error, options.token);
            if (attempt === maxAttempts)
                throw new PipelineTransportError(reason, attempt);
            outcome = reason;
        }
        const delay = retryDelayMs(attempt, retryAfter);
        options.log(`Attempt ${attempt}/${maxAttempts} failed: ${outcome}; retrying in ${delay} ms`);
        await sleep(delay);
    }
}

;// CONCATENATED MODULE: ./src/verify/libsql-verify.ts






const READ_PROBE = [{ sql: 'SELECT 1', wantRows: true }];
const WRITE_PROBE_TABLE = '_turso_token_verify_probe';
const WRITE_PROBE = [
    { sql: 'BEGIN IMMEDIATE', wantRows: false },
    { sql: `CREATE TABLE IF NOT EXISTS "${WRITE_PROBE_TABLE}" ("x")`, wantRows: false },
    { sql: 'ROLLBACK', wantRows: false }
];
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
    const error = errorBodyMessage(response.bodyText);
    const extra = { status, error };
    const seen = describeStatus(response);
    if (status === 403 && probe.check === 'write') {
        reporter.fail('write', `the token cannot write (${seen})`, 'Mint a full-access token (read-only: false), or do not ask for the write check.', extra);
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
    if (isRetryableStatus(status)) {
        reporter.fail(probe.check, `the database kept failing (${seen})`, 'Try again later, or raise `retries`.', extra);
    }
    reporter.fail(probe.check, `the database answered with an unexpected status (${seen})`, 'Check the database hostname; this is not a libSQL server answer the action understands.', extra);
}
async function runProbe(options, baseUrl, reporter, probe) {
    let response;
    try {
        response = await postPipeline({
            url: `${baseUrl}${PIPELINE_PATH}`,
            token: options.token,
            body: pipelineRequestBody(probe.statements),
            timeoutMs: options.timeoutMs,
            retries: options.retries,
            dispatcher: options.dispatcher,
            log: options.log
        });
    }
    catch (error) {
        if (!(error instanceof PipelineTransportError))
            throw error;
        reporter.fail(probe.check, `could not reach the database after ${error.attempts} attempt(s): ${error.reason}`, 'Check the database hostname and the network; raise `timeout` or `retries` if the database is slow.');
    }
    if (response.status !== 200)
        failOnHttpStatus(reporter, probe, response);
    const parsed = parsePipelineResponse(response.bodyText, probe.statements.length + 1);
    if (!parsed.ok) {
        reporter.fail(probe.check, `the database answered HTTP 200 but not with a Hrana pipeline response (${parsed.problem})`, 'Check that the hostname is a libSQL/Turso database.', {
            status: 200,
            error: { message: response.bodyText }
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
        reporter.fail('write', `the token cannot write (${WRITE_PROBE[index].sql} failed)`, 'Mint a full-access token (read-only: false), or do not ask for the write check.', {
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
    if (!Number.isFinite(options.timeoutMs) || options.timeoutMs <= 0) {
        throw new TokenVerificationError(`Token verification against ${baseUrl} failed: the timeout must be a positive number of milliseconds.`, { check: 'read' });
    }
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

//# sourceMappingURL=747.index.js.map