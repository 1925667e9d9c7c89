/**
 * Issue 18, item 13: a Turso error body that echoes the API token spelled with JSON `\u` escapes
 * was redacted before it was parsed (the escaped spelling matched no secret), then cut at 300
 * characters: 230 of the token's 241 characters reached `::error::` and the summary. Secrets are
 * now redacted after decoding and before cutting; a JWT's long parts, and anything shaped like
 * a JWT, are redacted on every path.
 */
import { describe, expect, it } from '@jest/globals'
import { apiErrorMessage } from '../src/turso/errors.js'
import { errorBodyMessage } from '../src/verify/hrana-pipeline.js'
import { sanitizeServerText } from '../src/verify/sanitize.js'
import { decodeJsonEscapes, forgetSecrets, redact, redactJwtShaped, registerSecret, secretParts } from '../src/runner/secrets.js'
import { HttpClient } from '../src/http/http-client.js'
import { USER_AGENT } from '../src/version.js'
import { verifyDatabaseToken } from '../src/verify/libsql-verify.js'
import { useEmulator } from './support/emulator.js'
import { FakeLibsql } from './support/fake-libsql.js'
import { useServer } from './support/lifecycle.js'
import { runAction, type InProcessRun } from './support/run-action.js'
import { errorLines } from './support/workflow-commands.js'

const emulator = useEmulator()

/** 241 characters, no dots and no `eyJ`: only the secret rule can find it, not the JWT shape. */
const LONG_API_TOKEN = Array.from({ length: 241 }, (_, i) => 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-'[(i * 7 + 3) % 64]).join('')
const JWT_HEADER = 'eyJhbGciOiJFZERTQSIsInR5cCI6IkpXVCJ9'
const escaped = (text: string): string => Array.from(text, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')

/** Every stretch of 12 characters of `secret` that shows anywhere but in its own mask line. */
function pieces(run: InProcessRun, secret: string): string[] {
  const shown = `${run.stdout.split('\n').filter((line) => line !== `::add-mask::${secret}`).join('\n')}\n${run.summary}`
  const found: string[] = []
  for (let i = 0; i + 12 <= secret.length; i++) if (shown.includes(secret.slice(i, i + 12))) found.push(secret.slice(i, i + 12))
  return found
}

function mintWith(apiToken: string) {
  return runAction({ operation: 'create-token', 'api-url': emulator.url, 'api-token': apiToken, organization: 'acme', database: 'app-db' })
}

describe('an API token echoed with \\u escapes after 70 characters of text', () => {
  it('is redacted whole: no piece of it reaches ::error:: or the summary', async () => {
    const body = `{"error":"${'x'.repeat(70)} rejected token ${escaped(LONG_API_TOKEN)}"}`
    emulator.addFault({ method: 'POST', status: 401, body })
    const run = await mintWith(LONG_API_TOKEN)
    expect(run.exitCode).toBe(1)
    expect(errorLines(run.stdout)).toEqual([expect.stringContaining(`Turso answered HTTP 401: ${'x'.repeat(70)} rejected token ***. `)])
    expect(pieces(run, LONG_API_TOKEN)).toEqual([])
  })

  it('is redacted whole in a JSON body without an error field too', async () => {
    emulator.addFault({ method: 'POST', status: 500, body: `{"detail":"${'x'.repeat(70)} ${escaped(LONG_API_TOKEN)}"}`, times: 4 })
    const run = await runAction({ operation: 'create-token', 'api-url': emulator.url, 'api-token': LONG_API_TOKEN, organization: 'acme', database: 'app-db', retries: '0' })
    expect(run.exitCode).toBe(1)
    expect(errorLines(run.stdout)).toEqual([expect.stringContaining(`Turso answered HTTP 500: {"detail":"${'x'.repeat(70)} ***"}. `)])
    expect(pieces(run, LONG_API_TOKEN)).toEqual([])
  })
})

describe('a JWT API token of which Turso echoes one part', () => {
  it('has that part redacted: the payload alone, or the head of the token cut short', async () => {
    const [header, payload, signature] = [JWT_HEADER, 'eyJpYXQiOjE3NzUwODgwMDAsImlkIjoiZW11In0', 'KC9VGLgQIpnwrCwoe3P7K7QqkFc1e7Okx9eyFiF0_CWg7Jts3-nguCaf_pqD71bkgAa']
    emulator.addFault({ method: 'POST', status: 401, body: JSON.stringify({ error: `bad payload ${payload}, bad signature ${signature}, header ${header}` }) })
    const run = await mintWith(`${header}.${payload}.${signature}`)
    expect(run.exitCode).toBe(1)
    expect(errorLines(run.stdout)).toEqual([expect.stringContaining('Turso answered HTTP 401: bad payload ***, bad signature ***, header ***. ')])
  })
})

describe('the rules one by one', () => {
  it('secretParts: a JWT gives itself and each part of 16 characters or more; anything else only itself', () => {
    expect(secretParts('aaaaaaaaaaaaaaaa.bbb.cccccccccccccccc')).toEqual(['aaaaaaaaaaaaaaaa.bbb.cccccccccccccccc', 'aaaaaaaaaaaaaaaa', 'cccccccccccccccc'])
    expect(secretParts('aaaaaaaaaaaaaaa.bbbbbbbbbbbbbbbbb')).toEqual(['aaaaaaaaaaaaaaa.bbbbbbbbbbbbbbbbb', 'bbbbbbbbbbbbbbbbb'])
    expect(secretParts('ghp_0123456789abcdef0123456789')).toEqual(['ghp_0123456789abcdef0123456789'])
    // One long part is the secret itself: listed once.
    expect(secretParts('aaaaaaaaaaaaaaaaaaaa.b')).toEqual(['aaaaaaaaaaaaaaaaaaaa.b', 'aaaaaaaaaaaaaaaaaaaa'])
  })

  it('redact: registered secrets and their parts, then any JWT shape, cut short or whole', () => {
    forgetSecrets()
    const original = process.stdout.write.bind(process.stdout)
    process.stdout.write = (() => true) as typeof process.stdout.write
    try {
      registerSecret('aaaaaaaaaaaaaaaaaaaa.bbbbbbbbbbbbbbbbbbbb.cc')
    } finally {
      process.stdout.write = original
    }
    expect(redact('x bbbbbbbbbbbbbbbbbbbb y')).toBe('x *** y')
    expect(redact('x aaaaaaaaaaaaaaaaaaaa.bbbbbbbbbbbbbbbbbbbb.cc y')).toBe('x *** y')
    forgetSecrets()
    expect(redact('unknown eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIx.sig_-x, cut eyJhbGciOiJIUz')).toBe('unknown ***, cut ***')
  })

  it('redactJwtShaped: needs `eyJ` and ten base64url characters; stops at what is not base64url', () => {
    expect(redactJwtShaped('eyJ0123456789')).toBe('***')
    expect(redactJwtShaped('eyJ012345678')).toBe('eyJ012345678')
    expect(redactJwtShaped('(eyJ0123456789.ab.cd.ef)')).toBe('(***.ef)')
    expect(redactJwtShaped('a eyJ0123456789 b eyJabcdefghij')).toBe('a *** b ***')
  })

  it('decodeJsonEscapes: JSON is written again without escapes; other text is kept', () => {
    expect(decodeJsonEscapes('{"a": "\\u0065yJ"}')).toBe('{"a":"eyJ"}')
    expect(decodeJsonEscapes('not json \\u0065')).toBe('not json \\u0065')
  })

  it('apiErrorMessage redacts before it cuts', () => {
    forgetSecrets()
    const original = process.stdout.write.bind(process.stdout)
    process.stdout.write = (() => true) as typeof process.stdout.write
    try {
      registerSecret(LONG_API_TOKEN)
    } finally {
      process.stdout.write = original
    }
    expect(apiErrorMessage(`{"error":"${'x'.repeat(290)} ${escaped(LONG_API_TOKEN)}"}`)).toBe(`${'x'.repeat(290)} ***`)
    expect(apiErrorMessage(`${'x'.repeat(290)} ${LONG_API_TOKEN}`)).toBe(`${'x'.repeat(290)} ***`)
    expect(apiErrorMessage('{"error":{"code":7}}')).toBe('{"code":7}')
    expect(apiErrorMessage('[1, 2]')).toBe('[1,2]')
    // Any JSON value is decoded, a bare string or null included.
    expect(apiErrorMessage('"bad \\u0074oken"')).toBe('bad token')
    expect(apiErrorMessage(' null ')).toBe('null')
    expect(apiErrorMessage('<html>x</html>')).toBe('<html>x</html>')
    forgetSecrets()
  })

  it('verify: a database body that is JSON of another shape is decoded, so the token is found, before it is cut', () => {
    const token = LONG_API_TOKEN
    const message = errorBodyMessage(`{"detail":"${escaped(token)}"}`).message
    expect(message).toBe(`{"detail":"${token}"}`)
    expect(sanitizeServerText(`${'x'.repeat(280)} ${message}`, token)).toBe(`${'x'.repeat(280)} {"detail":"***"}`)
  })
})

describe('a database that answers HTTP 200 with JSON that is not a pipeline answer, echoing the token with \\u escapes', () => {
  const database = useServer(async () => new FakeLibsql({ readWriteToken: LONG_API_TOKEN, readOnlyToken: 'unused' }).start())
  const http = useServer(async () => new HttpClient({ timeoutMs: 2000, retries: 0, userAgent: USER_AGENT, log: () => {} }))

  it('has the token redacted from the error, decoded first', async () => {
    database.script({ status: 200, body: `{"detail":"${escaped(LONG_API_TOKEN)}"}`, headers: { 'content-type': 'application/json' } })
    const failure = await verifyDatabaseToken({ hostname: database.hostname, token: LONG_API_TOKEN, checkWrite: false, http, log: () => {} }).catch((error: Error) => error)
    expect(failure).toMatchObject({ serverMessage: '{"detail":"***"}' })
    expect(JSON.stringify(failure)).not.toContain(LONG_API_TOKEN.slice(0, 12))
  })
})

