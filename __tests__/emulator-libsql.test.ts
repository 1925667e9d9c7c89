/**
 * Each emulated database's libSQL HTTP pipeline (Hrana over HTTP, /v2 and /v3): auth, the SQL
 * subset it runs, read-only enforcement, batons and batches, and statement classification.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startEmulator, type Emulator } from '../emulator/server.js'
import { analyzeStatement } from '../emulator/sql.js'

let clockMs = Date.UTC(2026, 0, 1)
let emulator: Emulator
let readWrite: string
let readOnly: string

async function mint(path: string): Promise<string> {
  const response = await fetch(`${emulator.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${emulator.apiToken}` } })
  return ((await response.json()) as { jwt: string }).jwt
}

beforeAll(async () => {
  emulator = await startEmulator({ now: () => clockMs })
  readWrite = await mint('/v1/organizations/acme/databases/app-db/auth/tokens')
  readOnly = await mint('/v1/organizations/acme/databases/app-db/auth/tokens?authorization=read-only')
})

afterAll(async () => {
  await emulator.close()
})

interface Answer {
  status: number
  contentType: string | null
  text: string
  json: unknown
}

async function send(body: unknown, options: { token?: string | null; version?: 2 | 3; database?: string; rawBody?: string } = {}): Promise<Answer> {
  const token = options.token === undefined ? readWrite : options.token
  const headers: Record<string, string> = token === null ? {} : { authorization: `Bearer ${token}` }
  const url = `http://${emulator.hostnameOf(options.database ?? 'app-db')}/v${options.version ?? 2}/pipeline`
  const response = await fetch(url, { method: 'POST', headers, body: options.rawBody ?? JSON.stringify(body) })
  const text = await response.text()
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    json = undefined
  }
  return { status: response.status, contentType: response.headers.get('content-type'), text, json }
}

const execute = (sql: string, extra: Record<string, unknown> = {}): unknown => ({ type: 'execute', stmt: { sql, ...extra } })
const CLOSE = { type: 'close' }

function results(answer: Answer): { type: string; response?: { type: string; result?: Record<string, unknown> }; error?: { message: string; code: string } }[] {
  return (answer.json as { results: [] }).results
}

const EMPTY_RESULT = {
  cols: [],
  rows: [],
  affected_row_count: 0,
  last_insert_rowid: null,
  replication_index: null,
  rows_read: 0,
  rows_written: 0,
  query_duration_ms: 0
}

describe('SELECT 1 over /v2/pipeline', () => {
  it('answers exactly like libsql-server', async () => {
    const answer = await send({ baton: null, requests: [execute('SELECT 1'), CLOSE] })
    expect(answer.status).toBe(200)
    expect(answer.contentType).toBe('application/json')
    expect(answer.json).toEqual({
      baton: null,
      base_url: null,
      results: [
        {
          type: 'ok',
          response: {
            type: 'execute',
            result: {
              cols: [{ name: '1', decltype: null }],
              rows: [[{ type: 'integer', value: '1' }]],
              affected_row_count: 0,
              last_insert_rowid: null,
              replication_index: null,
              rows_read: 1,
              rows_written: 0,
              query_duration_ms: 0
            }
          }
        },
        { type: 'ok', response: { type: 'close' } }
      ]
    })
  })

  it('runs any integer literal, in any case and spacing, also on /v3', async () => {
    const answer = await send({ requests: [execute('  select\n  -42 ; '), execute('SELECT 9223372036854775807', { want_rows: false }), CLOSE] }, { version: 3 })
    const [negative, noRows] = results(answer)
    expect(negative?.response?.result).toMatchObject({ cols: [{ name: '-42', decltype: null }], rows: [[{ type: 'integer', value: '-42' }]] })
    expect(noRows?.response?.result).toMatchObject({ cols: [{ name: '9223372036854775807', decltype: null }], rows: [] })
  })
})

describe('authentication', () => {
  it('answers 401 with libsql wording for a missing, non-bearer or invalid token', async () => {
    const body = { requests: [execute('SELECT 1')] }
    expect((await send(body, { token: null })).json).toEqual({ error: 'Unauthorized: `Expected authorization header but none given`' })
    const garbage = await send(body, { token: 'abc' })
    expect(garbage.status).toBe(401)
    expect(garbage.json).toEqual({ error: 'Unauthorized: `The JWT is invalid`' })
    const url = `http://${emulator.hostnameOf('app-db')}/v2/pipeline`
    const basic = await fetch(url, { method: 'POST', headers: { authorization: 'Basic dXNlcjpwYXNz' }, body: JSON.stringify(body) })
    expect(basic.status).toBe(401)
    expect(await basic.json()).toEqual({ error: 'Unauthorized: `The authentication scheme in the `Authorization` HTTP header is not supported`' })
  })

  it('refuses a token of another database with 403 and one of another group with 401', async () => {
    const analytics = await mint('/v1/organizations/acme/databases/analytics/auth/tokens')
    const sameGroup = await send({ requests: [execute('SELECT 1')] }, { token: analytics })
    expect(sameGroup.status).toBe(403)
    expect(sameGroup.json).toEqual({ error: "Authorization forbidden: Current session doesn't not have Read permission to namespace 0eb771dd-0000-4000-8000-00000000e001" })
    const otherGroup = await send({ requests: [execute('SELECT 1')] }, { token: readWrite, database: 'staging-db' })
    expect(otherGroup.status).toBe(401)
  })

  it('accepts a group token on each database of its group', async () => {
    const group = await mint('/v1/organizations/acme/groups/default/auth/tokens')
    for (const database of ['app-db', 'analytics']) expect((await send({ requests: [execute('SELECT 1'), CLOSE] }, { token: group, database })).status).toBe(200)
  })
})

describe('read-only tokens', () => {
  it('fail the whole request with 403 when any statement writes, even after a read', async () => {
    for (const sql of ['INSERT INTO t VALUES (1)', 'CREATE TABLE t (x)', 'PRAGMA user_version', 'delete from t']) {
      const answer = await send({ requests: [execute('SELECT 1'), execute(sql), CLOSE] }, { token: readOnly })
      expect(answer.status).toBe(403)
      expect(answer.json).toEqual({ error: "Authorization forbidden: Current session doesn't not have Write permission to namespace 0eb771dd-0000-4000-8000-00000000e001" })
    }
  })

  it('may run BEGIN IMMEDIATE, reads and ROLLBACK (TxnBegin needs only Read permission)', async () => {
    const answer = await send({ requests: [execute('BEGIN IMMEDIATE'), execute('SELECT 1'), execute('ROLLBACK'), CLOSE] }, { token: readOnly })
    expect(answer.status).toBe(200)
    expect(results(answer).map((r) => r.type)).toEqual(['ok', 'ok', 'ok', 'ok'])
    expect(results(answer)[0]?.response?.result).toEqual(EMPTY_RESULT)
  })
})

describe('a write probe (BEGIN IMMEDIATE; CREATE TABLE IF NOT EXISTS; ROLLBACK)', () => {
  const probe = {
    requests: [execute('BEGIN IMMEDIATE'), execute('CREATE TABLE IF NOT EXISTS "_probe" ("x")'), execute('DROP TABLE IF EXISTS "_probe"'), execute('ROLLBACK'), CLOSE]
  }

  it('succeeds for a full-access token (schema statements are no-ops in the emulator)', async () => {
    const answer = await send(probe)
    expect(answer.status).toBe(200)
    expect(results(answer).map((r) => r.type)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok'])
  })

  it('is refused as a whole for a read-only token', async () => {
    expect((await send(probe, { token: readOnly })).status).toBe(403)
  })
})

describe('statements the emulator cannot run', () => {
  it('reports per-statement errors and keeps going', async () => {
    const answer = await send({
      requests: [
        execute('INSERT INTO t VALUES (1)'),
        execute('CREATE TEMP TABLE t (x)'),
        execute('SELECT 1; SELECT 2'),
        execute('  -- nothing\n'),
        execute('SELECT 1', { args: [{ type: 'integer', value: '1' }] }),
        execute('SELECT 2'),
        CLOSE
      ]
    })
    expect(answer.status).toBe(200)
    expect(results(answer).map((r) => r.error?.code ?? r.type)).toEqual([
      'EMULATOR_UNSUPPORTED_STATEMENT',
      'SQL_PARSE_ERROR',
      'SQL_MANY_STATEMENTS',
      'SQL_NO_STATEMENT',
      'ARGS_INVALID',
      'ok',
      'ok'
    ])
    expect(results(answer)[0]?.error?.message).toContain('the Turso emulator runs only SELECT <integer>, BEGIN')
    expect(results(answer)[1]?.error?.message).toBe('SQL string could not be parsed: unsupported statement: CREATE TEMP TABLE t (x)')
  })

  it('answers an unsupported request type with an error result', async () => {
    const answer = await send({ requests: [{ type: 'describe', sql: 'SELECT 1' }, CLOSE] })
    expect(results(answer)[0]?.error?.code).toBe('EMULATOR_UNSUPPORTED_REQUEST')
  })
})

describe('transactions, batons and batches', () => {
  it('keeps a stream open across requests with a single-use baton', async () => {
    const first = await send({ baton: null, requests: [execute('BEGIN')] })
    const baton = (first.json as { baton: string }).baton
    expect(typeof baton).toBe('string')

    const second = await send({ baton, requests: [{ type: 'get_autocommit' }, execute('BEGIN DEFERRED'), execute('COMMIT'), { type: 'get_autocommit' }, CLOSE] }, { version: 3 })
    expect(results(second)).toEqual([
      { type: 'ok', response: { type: 'get_autocommit', is_autocommit: false } },
      { type: 'error', error: { message: 'SQLite error: cannot start a transaction within a transaction', code: 'SQLITE_UNKNOWN' } },
      { type: 'ok', response: { type: 'execute', result: EMPTY_RESULT } },
      { type: 'ok', response: { type: 'get_autocommit', is_autocommit: true } },
      { type: 'ok', response: { type: 'close' } }
    ])
    expect((second.json as { baton: unknown }).baton).toBeNull()

    const reused = await send({ baton, requests: [execute('SELECT 1')] })
    expect(reused.status).toBe(400)
    expect(reused.text).toBe('Received an invalid baton')
  })

  it('expires a stream idle for more than 10 seconds', async () => {
    const first = await send({ requests: [execute('SELECT 1')] })
    clockMs += 10_001
    const late = await send({ baton: (first.json as { baton: string }).baton, requests: [execute('SELECT 1')] })
    expect(late.status).toBe(400)
    expect(late.json).toEqual({ message: 'The stream has expired due to inactivity', code: 'STREAM_EXPIRED' })
  })

  it('reports COMMIT and ROLLBACK outside a transaction like SQLite', async () => {
    const answer = await send({ requests: [execute('COMMIT'), execute('rollback transaction'), CLOSE] })
    expect(results(answer).map((r) => r.error?.message)).toEqual([
      'SQLite error: cannot commit - no transaction is active',
      'SQLite error: cannot rollback - no transaction is active',
      undefined
    ])
  })

  it('runs batches with step conditions', async () => {
    const batch = {
      type: 'batch',
      batch: {
        steps: [
          { stmt: { sql: 'BEGIN' } },
          { condition: { type: 'ok', step: 0 }, stmt: { sql: 'SELECT 7' } },
          { condition: { type: 'ok', step: 1 }, stmt: { sql: 'COMMIT' } },
          { condition: { type: 'not', cond: { type: 'ok', step: 2 } }, stmt: { sql: 'ROLLBACK' } },
          { condition: { type: 'is_autocommit' }, stmt: { sql: 'INSERT INTO t VALUES (1)' } }
        ]
      }
    }
    const answer = await send({ requests: [batch, CLOSE] })
    const result = results(answer)[0]?.response?.result as { step_results: unknown[]; step_errors: ({ code: string } | null)[] }
    expect(result.step_results.map((r) => r !== null)).toEqual([true, true, true, false, false])
    expect(result.step_errors.map((e) => e?.code ?? null)).toEqual([null, null, null, null, 'EMULATOR_UNSUPPORTED_STATEMENT'])
  })
})

describe('protocol errors and other paths', () => {
  it('answers 400 text for a body that is not a Hrana pipeline', async () => {
    for (const rawBody of ['not json', '{"requests":[{"type":"explode"}]}', '{"requests":{}}']) {
      const answer = await send(undefined, { rawBody })
      expect(answer.status).toBe(400)
      expect(answer.text).toBe('Cannot deserialize client message from JSON')
    }
    const v2Autocommit = await send({ requests: [{ type: 'get_autocommit' }] })
    expect(v2Autocommit.status).toBe(400)
  })

  it('greets on GET /v2 and answers 404 elsewhere', async () => {
    const base = `http://${emulator.hostnameOf('app-db')}`
    expect(await (await fetch(`${base}/v2`)).text()).toBe('Hello, this is HTTP API v2 (Hrana over HTTP)')
    expect((await fetch(`${base}/v1/nothing`)).status).toBe(404)
  })
})

describe('statement classification follows libsql-server query_analysis.rs', () => {
  it.each([
    ['BEGIN', 'TxnBegin'],
    ['BEGIN IMMEDIATE', 'TxnBegin'],
    ['begin deferred', 'TxnBegin'],
    ['BEGIN EXCLUSIVE TRANSACTION', 'TxnBegin'],
    ['COMMIT', 'TxnEnd'],
    ['END TRANSACTION', 'TxnEnd'],
    ['ROLLBACK', 'TxnEnd'],
    ['ROLLBACK TO sp1', 'Release'],
    ['SAVEPOINT sp1', 'Savepoint'],
    ['SELECT 1', 'Read'],
    ["SELECT ';' -- ; not a split", 'Read'],
    ['WITH x AS (SELECT 1) SELECT * FROM x', 'Read'],
    ['INSERT INTO t VALUES (1)', 'Write'],
    ['UPDATE t SET x = 1', 'Write'],
    ['CREATE TABLE t (x)', 'DDL'],
    ['DROP TABLE t', 'DDL'],
    ['PRAGMA table_info(t)', 'Read'],
    ['PRAGMA foreign_keys', 'Write'],
    ['ATTACH "other" AS o', 'Attach']
  ])('%p is %s', (sql, kind) => {
    expect(analyzeStatement(sql)).toMatchObject({ ok: true, kind })
  })

  it.each(['CREATE TEMP TABLE t (x)', 'VACUUM', 'PRAGMA cache_size = 10', 'PRAGMA wal_checkpoint'])('%p is an unsupported statement', (sql) => {
    expect(analyzeStatement(sql)).toMatchObject({ ok: false, error: { code: 'SQL_PARSE_ERROR' } })
  })
})
