/**
 * The token verification client against a real loopback HTTP server that speaks
 * libSQL's Hrana pipeline JSON (__tests__/support/fake-libsql.ts).
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { HttpClient, type HttpClientOptions, type HttpRequest, type HttpResponse } from '../src/http/http-client.js'
import { USER_AGENT } from '../src/version.js'
import { databaseBaseUrl } from '../src/verify/database-url.js'
import { errorBodyMessage, parsePipelineResponse } from '../src/verify/hrana-pipeline.js'
import { TokenVerificationError, verifyDatabaseToken, type VerifyOptions } from '../src/verify/libsql-verify.js'
import { sanitizeServerText } from '../src/verify/sanitize.js'
import { FakeLibsql } from './support/fake-libsql.js'

const JWT_HEADER = 'eyJhbGciOiJFZERTQSIsInR5cCI6IkpXVCJ9'
const RW_TOKEN = `${JWT_HEADER}.eyJhIjoicnciLCJpYXQiOjE3MDAwMDAwMDAsImlkIjoicmVhZC13cml0ZSJ9.cndTaWduYXR1cmVPZlRoZVJlYWRXcml0ZVRva2VuMDAwMDAwMDA`
const RO_TOKEN = `${JWT_HEADER}.eyJhIjoicm8iLCJpYXQiOjE3MDAwMDAwMDAsImlkIjoicmVhZC1vbmx5In0.cm9TaWduYXR1cmVPZlRoZVJlYWRPbmx5VG9rZW4xMTExMTExMTE`
const BAD_TOKEN = `${JWT_HEADER}.eyJhIjoicnciLCJpYXQiOjE3MDAwMDAwMDAsImlkIjoiZm9yZ2VkIn0.Zm9yZ2VkU2lnbmF0dXJlVGhhdFRoZVNlcnZlclJlamVjdHMyMjI`
/** Each token, and its payload and signature on their own: none may ever be printed. */
const SECRETS = [RW_TOKEN, RO_TOKEN, BAD_TOKEN].flatMap((token) => [token, ...token.split('.').slice(1)])

const READ_BODY = '{"baton":null,"requests":[{"type":"execute","stmt":{"sql":"SELECT 1","want_rows":true}},{"type":"close"}]}'
const WRITE_BODY =
  '{"baton":null,"requests":[' +
  '{"type":"execute","stmt":{"sql":"BEGIN IMMEDIATE","want_rows":false}},' +
  '{"type":"execute","stmt":{"sql":"CREATE TABLE IF NOT EXISTS \\"_turso_token_verify_probe\\" (\\"x\\")","want_rows":false}},' +
  '{"type":"execute","stmt":{"sql":"ROLLBACK","want_rows":false}},' +
  '{"type":"close"}]}'

const everyErrorText: string[] = []
const everyLogLine: string[] = []
let fake: FakeLibsql
/** The run's client as main.ts builds it, with millisecond backoff so retries are quick. */
let http: HttpClient
/** Clients a single test builds with other settings; closed after it. */
const extraClients: HttpClient[] = []

function clientOptions(overrides: Partial<HttpClientOptions> = {}): HttpClientOptions {
  return { timeoutMs: 2000, retries: 2, userAgent: USER_AGENT, log: (line) => everyLogLine.push(line), baseDelayMs: 1, maxDelayMs: 50, ...overrides }
}

function httpClient(overrides: Partial<HttpClientOptions>): HttpClient {
  const client = new HttpClient(clientOptions(overrides))
  extraClients.push(client)
  return client
}

function options(overrides: Partial<VerifyOptions> = {}): VerifyOptions {
  return {
    hostname: fake.hostname,
    token: RW_TOKEN,
    checkWrite: false,
    http,
    log: (line) => everyLogLine.push(line),
    ...overrides
  }
}

/** Runs a verification that must fail, and keeps its message and stack for the leak check. */
async function verifyFailure(overrides: Partial<VerifyOptions> = {}): Promise<TokenVerificationError> {
  const error = await verifyDatabaseToken(options(overrides)).then(
    () => {
      throw new Error('verification unexpectedly succeeded')
    },
    (caught: unknown) => caught
  )
  expect(error).toBeInstanceOf(TokenVerificationError)
  const verificationError = error as TokenVerificationError
  everyErrorText.push(verificationError.message, String(verificationError.stack), JSON.stringify(verificationError))
  return verificationError
}

beforeAll(async () => {
  fake = await new FakeLibsql({ readWriteToken: RW_TOKEN, readOnlyToken: RO_TOKEN }).start()
  http = new HttpClient(clientOptions())
})

afterEach(async () => {
  await Promise.all(extraClients.splice(0).map((client) => client.close()))
})

afterAll(async () => {
  await http.close()
  await fake.close()
})

beforeEach(() => fake.reset())

describe('a full-access token, read check only', () => {
  it('sends one exact SELECT 1 pipeline and reports read access', async () => {
    const result = await verifyDatabaseToken(options())

    expect(result).toEqual({ url: `http://${fake.hostname}`, write: 'skipped' })
    expect(fake.requests).toHaveLength(1)
    const [sent] = fake.requests
    expect(sent.method).toBe('POST')
    expect(sent.path).toBe('/v2/pipeline')
    expect(sent.body).toBe(READ_BODY)
    expect(sent.headers.authorization).toBe(`Bearer ${RW_TOKEN}`)
    expect(sent.headers['content-type']).toBe('application/json')
    expect(sent.headers['user-agent']).toMatch(/turso-auth-token-action/)
  })

  it('sends through the HttpClient it is given', async () => {
    const sent: HttpRequest[] = []
    class RecordingClient extends HttpClient {
      override async send(request: HttpRequest): Promise<HttpResponse> {
        sent.push(request)
        return super.send(request)
      }
    }
    const client = new RecordingClient(clientOptions())
    extraClients.push(client)

    await verifyDatabaseToken(options({ http: client }))
    expect(sent.map((request) => [request.method, request.url.href])).toEqual([['POST', `http://${fake.hostname}/v2/pipeline`]])
  })
})

describe('a full-access token with the write check', () => {
  it('sends BEGIN IMMEDIATE, CREATE TABLE, ROLLBACK in one pipeline and commits nothing', async () => {
    const result = await verifyDatabaseToken(options({ checkWrite: true }))

    expect(result).toEqual({ url: `http://${fake.hostname}`, write: true })
    expect(fake.requests.map((request) => request.body)).toEqual([READ_BODY, WRITE_BODY])
    expect(fake.requests[1].headers.authorization).toBe(`Bearer ${RW_TOKEN}`)
    expect([...fake.committedTables]).toEqual([])
  })

  it('fails with "cannot write" when the database refuses the write statement', async () => {
    const readOnlyDatabase = await new FakeLibsql({ readWriteToken: RW_TOKEN, readOnlyToken: RO_TOKEN, readOnlyDatabase: true }).start()
    try {
      const error = await verifyFailure({ hostname: readOnlyDatabase.hostname, checkWrite: true })
      expect(error.check).toBe('write')
      expect(error.code).toBe('SQLITE_READONLY')
      expect(error.message).toContain('the token cannot write (CREATE TABLE IF NOT EXISTS "_turso_token_verify_probe" ("x") failed)')
      expect(error.message).toContain('SQLite error: attempt to write a readonly database (SQLITE_READONLY)')
    } finally {
      await readOnlyDatabase.close()
    }
  })

  it('says the write lock was busy rather than blaming the token', async () => {
    fake.script(
      { status: 200, body: fake.okSelectBody() },
      {
        status: 200,
        body: JSON.stringify({
          baton: null,
          base_url: null,
          results: [
            { type: 'error', error: { message: 'SQLite error: database is locked', code: 'SQLITE_BUSY' } },
            { type: 'error', error: { message: 'SQLite error: no such table: _turso_token_verify_probe', code: 'SQLITE_ERROR' } },
            { type: 'error', error: { message: 'SQLite error: cannot rollback - no transaction is active', code: 'SQLITE_ERROR' } },
            { type: 'ok', response: { type: 'close' } }
          ]
        })
      }
    )
    const error = await verifyFailure({ checkWrite: true })
    expect(error.check).toBe('write')
    expect(error.message).toContain('could not take the write lock (BEGIN IMMEDIATE)')
    expect(error.message).toContain('database is locked (SQLITE_BUSY)')
  })
})

describe('a read-only token', () => {
  it('passes the read check', async () => {
    await expect(verifyDatabaseToken(options({ token: RO_TOKEN }))).resolves.toEqual({ url: `http://${fake.hostname}`, write: 'skipped' })
  })

  it('fails the write check with libsql-server\'s 403 and is not retried', async () => {
    const error = await verifyFailure({ token: RO_TOKEN, checkWrite: true })

    expect(error.check).toBe('write')
    expect(error.status).toBe(403)
    expect(error.message).toContain('the token cannot write (HTTP 403)')
    expect(error.message).toContain("Current session doesn't not have Write permission to namespace default")
    expect(error.message).toContain('requested as full-access but the database refuses its writes')
    expect(fake.requests.map((request) => request.body)).toEqual([READ_BODY, WRITE_BODY])
    expect([...fake.committedTables]).toEqual([])
  })
})

describe('a token the database rejects', () => {
  it('fails on the 401 with the server message, without retrying', async () => {
    const error = await verifyFailure({ token: BAD_TOKEN })

    expect(error.check).toBe('read')
    expect(error.status).toBe(401)
    expect(error.message).toContain('the new token was rejected by the database (HTTP 401): Unauthorized: `The JWT is invalid`')
    expect(error.serverMessage).toBe('Unauthorized: `The JWT is invalid`')
    expect(fake.requests).toHaveLength(1)
  })
})

describe('retries', () => {
  it('retries a 503 (honouring Retry-After) and then succeeds', async () => {
    fake.script({ status: 503, body: 'upstream unavailable', headers: { 'retry-after': '0' } })

    await expect(verifyDatabaseToken(options())).resolves.toMatchObject({ url: `http://${fake.hostname}` })
    expect(fake.requests.map((request) => request.body)).toEqual([READ_BODY, READ_BODY])
    // Retry-After: 0 still waits the minimum, here cut to this client's 50 ms cap.
    expect(everyLogLine).toContain('Attempt 1 of 3: POST /v2/pipeline failed (HTTP 503); retrying in 0.1 s')
  })

  it('retries a 429 and then succeeds', async () => {
    fake.script({ status: 429, body: '{"error":"Too many concurrent requests"}', headers: { 'retry-after': '0' } })
    await expect(verifyDatabaseToken(options())).resolves.toMatchObject({ url: `http://${fake.hostname}` })
    expect(fake.requests).toHaveLength(2)
  })

  it('gives up after retries+1 attempts of 500 and says so', async () => {
    const busy = { status: 500, body: '{"error":"Internal Error: `boom`"}', headers: { 'retry-after': '0' } }
    fake.script(busy, busy, busy)

    const error = await verifyFailure()
    expect(error.status).toBe(500)
    expect(error.message).toContain('the database kept failing (HTTP 500 after 3 attempts): Internal Error: `boom`')
    expect(fake.requests).toHaveLength(3)
  })

  it('does not follow a redirect (the token must not travel elsewhere)', async () => {
    fake.script({ status: 307, body: '', headers: { location: 'https://elsewhere.example/v2/pipeline' } })

    const error = await verifyFailure()
    expect(error.status).toBe(307)
    expect(error.message).toContain('redirect (HTTP 307)')
    expect(fake.requests).toHaveLength(1)
  })

  it('times out an attempt that never gets an answer', async () => {
    fake.hang = true
    const error = await verifyFailure({ http: httpClient({ timeoutMs: 150, retries: 0 }) })
    expect(error.message).toContain('could not reach the database after 1 attempt(s): timed out')
    expect(fake.requests).toHaveLength(1)
  })

  it('retries a refused connection, then reports it', async () => {
    const closed = createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const port = (closed.address() as AddressInfo).port
    await new Promise<void>((resolve) => closed.close(() => resolve()))

    const error = await verifyFailure({ hostname: `127.0.0.1:${port}`, http: httpClient({ retries: 1 }) })
    expect(error.check).toBe('read')
    expect(error.message).toContain('could not reach the database after 2 attempt(s): connection refused')
    expect(everyLogLine.some((line) => line.startsWith('Attempt 1 of 2: POST /v2/pipeline failed (connection refused)'))).toBe(true)
  })
})

describe('answers that are not a good pipeline response', () => {
  it('rejects a 200 whose body is not JSON', async () => {
    fake.script({ status: 200, body: '<html>502 Bad Gateway</html>' })

    const error = await verifyFailure()
    expect(error.message).toContain('not with a Hrana pipeline response (the response body is not JSON): <html>502 Bad Gateway</html>')
    expect(fake.requests).toHaveLength(1)
  })

  it('rejects a response without results', async () => {
    fake.script({ status: 200, body: '{"baton":null}' })
    const error = await verifyFailure()
    expect(error.message).toContain('the response has no "results" array')
  })

  it('rejects SELECT 1 answering 2', async () => {
    fake.selectValue = { type: 'integer', value: '2' }
    const error = await verifyFailure()
    expect(error.message).toContain('SELECT 1 did not return a single row holding the integer 1 (got rows [[{"type":"integer","value":"2"}]])')
  })

  it('rejects SELECT 1 answering the text "1" (Hrana integers are typed)', async () => {
    fake.selectValue = { type: 'text', value: '1' }
    const error = await verifyFailure()
    expect(error.message).toContain('did not return a single row holding the integer 1')
  })

  it('reports a statement error on SELECT 1 with its message and code', async () => {
    fake.script({
      status: 200,
      body: JSON.stringify({
        baton: null,
        base_url: null,
        results: [{ type: 'error', error: { message: 'SQLite error: no such function: x', code: 'SQLITE_ERROR' } }, { type: 'ok', response: { type: 'close' } }]
      })
    })
    const error = await verifyFailure()
    expect(error.check).toBe('read')
    expect(error.code).toBe('SQLITE_ERROR')
    expect(error.message).toContain('SELECT 1 failed on the database: SQLite error: no such function: x (SQLITE_ERROR)')
  })

  it('strips control characters, truncates, and redacts a token the server echoes', async () => {
    fake.script({ status: 400, body: `bad request for Bearer ${RW_TOKEN}\u001b[31m\r\n::error::injected ${'x'.repeat(500)}` })

    const error = await verifyFailure()
    // The markers of the injected command are broken too (`: :`), by the one server-text rule.
    expect(error.message).toContain('bad request for Bearer *** [31m : :error: :injected xxx')
    expect(error.serverMessage).toMatch(/x…$/)
    expect(error.message).not.toMatch(/\p{Cc}/u)
    expect(error.serverMessage?.length).toBeLessThan(320)
  })
})

describe('the database hostname', () => {
  it.each([
    ['db-org.turso.io', 'https://db-org.turso.io'],
    ['DB-Org.Turso.io', 'https://db-org.turso.io'],
    ['db-org.turso.io:443', 'https://db-org.turso.io'],
    ['127.0.0.1:8080', 'http://127.0.0.1:8080'],
    ['127.10.20.30', 'http://127.10.20.30'],
    ['localhost:3000', 'http://localhost:3000'],
    ['LocalHost', 'http://localhost'],
    ['[::1]:8080', 'http://[::1]:8080'],
    // Other spellings of loopback addresses are outside the loopback rule: https, like any host.
    ['127.1:8080', 'https://127.0.0.1:8080'],
    ['[0:0::1]', 'https://[::1]'],
    ['[::ffff:127.0.0.1]:8080', 'https://[::ffff:7f00:1]:8080'],
    ['127.0.0.1.nip.io', 'https://127.0.0.1.nip.io'],
    ['localhost.example.com', 'https://localhost.example.com'],
    ['128.0.0.1:80', 'https://128.0.0.1:80'],
    ['[2001:db8::1]', 'https://[2001:db8::1]']
  ])('%s becomes %s', (hostname, url) => {
    expect(databaseBaseUrl(hostname)).toBe(url)
  })

  it.each([
    ['', 'is empty'],
    ['libsql://db-org.turso.io', 'must not include a scheme'],
    ['https://db-org.turso.io', 'must not include a scheme'],
    ['db-org.turso.io/v2', 'must not contain "/"'],
    ['user@db-org.turso.io', 'must not contain "@"'],
    ['db org.turso.io', 'must not contain whitespace'],
    ['db-org.turso.io\n', 'must not contain whitespace'],
    ['db-org.turso.io:99999', 'port outside'],
    ['db-org.turso.io:0', 'port outside'],
    ['libsql:db-org.turso.io', 'host or host:port'],
    ['db-org.turso.io?x=1', 'host or host:port'],
    ['[::1', 'host or host:port'],
    ['-db.turso.io', 'host or host:port'],
    ['localhost.', 'host or host:port'],
    ['127.0.0.256', 'is not a valid host']
  ])('%j is rejected (%s)', (hostname, problem) => {
    expect(() => databaseBaseUrl(hostname)).toThrow(problem)
  })

  it('is checked before anything is sent', async () => {
    const error = await verifyFailure({ hostname: 'libsql://db-org.turso.io' })
    expect(error.check).toBe('hostname')
    expect(fake.requests).toHaveLength(0)
  })
})

describe('a token that cannot be sent', () => {
  it.each([
    ['empty', ''],
    ['with a newline', `${RW_TOKEN}\n`],
    ['with a space', `${RW_TOKEN} x`]
  ])('is refused locally when %s, without echoing it', async (_label, token) => {
    const error = await verifyFailure({ token })
    expect(error.check).toBe('token')
    expect(fake.requests).toHaveLength(0)
  })
})

describe('protocol helpers', () => {
  it('reads libsql-server, Hrana and plain-text error bodies', () => {
    expect(errorBodyMessage('{"error":"Unauthorized: `The JWT has expired`"}')).toEqual({ message: 'Unauthorized: `The JWT has expired`' })
    expect(errorBodyMessage('{"message":"stream expired","code":"STREAM_EXPIRED"}')).toEqual({ message: 'stream expired', code: 'STREAM_EXPIRED' })
    expect(errorBodyMessage('{"error":{"message":"nested","code":"X"}}')).toEqual({ message: 'nested', code: 'X' })
    expect(errorBodyMessage('  Service Unavailable \n')).toEqual({ message: 'Service Unavailable' })
    expect(errorBodyMessage('')).toEqual({ message: '(empty body)' })
  })

  it('rejects malformed pipeline results', () => {
    expect(parsePipelineResponse('[]', 2)).toEqual({ ok: false, problem: 'the response body is not a JSON object' })
    expect(parsePipelineResponse('{"results":[{"type":"ok"}]}', 2)).toEqual({ ok: false, problem: 'the response has 1 results for 2 requests' })
    expect(parsePipelineResponse('{"results":[{"type":"error","error":{}},{"type":"ok"}]}', 2)).toEqual({
      ok: false,
      problem: 'result 0 is neither {"type":"ok"} nor a {"type":"error"} with a message'
    })
  })

  it('redacts the token and its long JWT segments', () => {
    const [, payload, signature] = RW_TOKEN.split('.')
    expect(sanitizeServerText(`a ${payload} b ${signature} c`, RW_TOKEN)).toBe('a *** b *** c')
  })
})

describe('secrets', () => {
  it('never appear in an error message, stack or log line', () => {
    expect(everyErrorText.length).toBeGreaterThan(15)
    expect(everyLogLine.length).toBeGreaterThan(5)
    for (const text of [...everyErrorText, ...everyLogLine]) {
      for (const secret of SECRETS) expect(text).not.toContain(secret)
    }
  })
})
