/**
 * Input hardening end to end: values that try to escape their URL path segment, carry control
 * characters, run to 10,000 characters, or point api-url somewhere it must not go. Each is
 * refused by the running action before any request (the emulator records none), with one
 * `::error::` naming the input, short, and with nothing injected; or, where the value is fine,
 * accepted and sent safely. The parsers' own rules are unit-tested in parsers-*.test.ts and a
 * first set of refusals in invalid-inputs.test.ts; this file covers the rest, through run().
 */
import { describe, expect, it } from '@jest/globals'
import { useEmulator } from './support/emulator.js'
import { expectNoLeaks } from './support/leaks.js'
import { runAction, type InProcessRun } from './support/run-action.js'
import { errorLines } from './support/workflow-commands.js'

const emulator = useEmulator()

const GITHUB_TOKEN = 'ghp_inputsHardeningToken000000000000000'
const LONG = 'a'.repeat(10_000)

function valid(extra: Record<string, string> = {}): Record<string, string> {
  return { operation: 'create-token', 'api-url': emulator.url, 'api-token': emulator.apiToken, organization: 'acme', database: 'app-db', retries: '0', ...extra }
}

/** Refused locally: exit 1, one short ::error:: naming the input, no request, nothing injected or leaked. */
function expectRefused(run: InProcessRun, input: string): string {
  expect(run.exitCode).toBe(1)
  const errors = errorLines(run.stdout)
  expect(errors).toHaveLength(1)
  expect(errors[0]).toContain(`'${input}'`)
  // Echoes are cut short: a 10,000-character value does not become a 10,000-character log line.
  expect(errors[0].length).toBeLessThan(600)
  expect(emulator.requests).toEqual([])
  expect(run.outputs).toEqual({})
  // Every line break a runner or viewer might honour: no line of ours starts a command we did not write.
  const ownCommands = /^::(add-mask|debug|error)::/
  expect(run.stdout.split(/\r\n|[\n\r\u0085\u2028\u2029]/).filter((line) => /^\s*::/.test(line) && !ownCommands.test(line))).toEqual([])
  expectNoLeaks(run, [emulator.apiToken, GITHUB_TOKEN])
  return errors[0]
}

// Values that would leave their path segment if pasted into a URL, or that are not Turso names.
const ESCAPES = ['..', '.', 'a/b', '%2e%2e', '%2E%2E%2Fgroups', 'a?b', 'a#b', 'a\\b', 'a b', 'a;b', 'App-Db', '-app', 'app-', 'аpp-db' /* Cyrillic а */]
// Control, line-separator, bidi and BOM characters.
const CONTROLS = ['a\u0000b', 'a\u0007b', 'a\u001b[31mb', 'a\u0085b', 'a\u2028b', 'a\u202eb', 'a\ufeffb', 'a\u0000']
const NAME_VALUES = [...ESCAPES, ...CONTROLS, LONG]

describe('database, group, organization and attach-databases names', () => {
  const cases: Array<[string, string, Record<string, string>]> = []
  for (const value of NAME_VALUES) {
    cases.push(['database', value, { database: value }])
    cases.push(['group', value, { database: '', group: value }])
    cases.push(['organization', value, { organization: value }])
    // Commas and newlines separate entries there; a value holding neither stays one entry.
    cases.push(['attach-databases', value, { 'attach-databases': `analytics, ${value}` }])
  }

  it.each(cases)('%s %j: refused before any request', async (input, _value, inputs) => {
    expectRefused(await runAction(valid(inputs)), input)
  })

  it.each(['rotate', 'create-token'])('%s: a refused name sends nothing even with dry-run off and retries on', async (operation) => {
    expectRefused(await runAction(valid({ operation, database: '%2e%2e', retries: '3' })), 'database')
  })
})

describe('token-name (revoke)', () => {
  it.each(['..', '.', 'a/b', 'a\\b', '/', '../../databases', ...CONTROLS, 'x'.repeat(256), LONG])('%j: refused before any request', async (name) => {
    expectRefused(await runAction({ ...valid({ operation: 'revoke', database: '', organization: '' }), 'token-name': name }), 'token-name')
  })

  // Names the API may really hold (tokens predate the CLI's name checks): sent, each as one
  // percent-encoded segment that no server or proxy can read as a dot segment, query or fragment.
  it.each<[string, string]>([
    ['%2e%2e', '%252e%252e'],
    ['%2F', '%252F'],
    ['a?b', 'a%3Fb'],
    ['a#b', 'a%23b'],
    ['a b', 'a%20b'],
    ['..a', '..a'],
    ['a;b=c', 'a%3Bb%3Dc'],
    ['ü-token', '%C3%BC-token']
  ])('%j is sent as the single segment %s', async (name, segment) => {
    // The token exists under exactly this name, so revoking it proves the name arrived whole.
    const minted = await fetch(`${emulator.url}/v1/auth/api-tokens/${encodeURIComponent(name)}`, { method: 'POST', headers: { authorization: `Bearer ${emulator.apiToken}` } })
    expect(minted.status).toBe(200)
    emulator.clearRequests()
    const run = await runAction({ ...valid({ operation: 'revoke', database: '', organization: '' }), 'token-name': name })
    expect(emulator.requests.map((request) => `${request.method} ${request.path}`)).toEqual(['GET /v1/auth/api-tokens', `DELETE /v1/auth/api-tokens/${segment}`])
    expect(emulator.requests[1].query).toEqual({})
    expect(run.exitCode).toBe(0)
    expect(run.outputs['token-name']).toBe(name)
  })
})

describe('api-url', () => {
  const password = 'url-password-7Hq2'
  it.each([
    'http://api.turso.tech',
    'http://10.0.0.1',
    'http://192.168.1.10:8080',
    'http://169.254.169.254/latest/meta-data',
    'http://localhost.evil.example',
    'http://127.0.0.1.nip.io',
    // Loopback, but not spelled as the rule says (127.0.0.0/8 dotted quads, localhost, [::1]).
    'http://127.1:1',
    'http://2130706433:1',
    'http://0x7f.0.0.1:1',
    'http://[::2]:8080',
    'http://[::ffff:10.0.0.1]',
    `https://user:${password}@api.turso.tech`,
    `https://:${password}@api.turso.tech`,
    `http://127.0.0.1:1@evil.example`,
    'javascript:alert(1)',
    'file:///etc/passwd',
    'ftp://api.turso.tech',
    'data:text/plain,hello',
    'ws://127.0.0.1:1',
    '//api.turso.tech',
    'https://',
    'https://api.turso.tech/?org=acme',
    'https://api.turso.tech/#v1',
    'https://api.turso.tech/../v2',
    'https://api.turso.tech/%2e%2e/v2',
    'https://api.turso.tech\\@evil.example',
    'https://api.turso.tech\n/v1',
    'https://api.turso\u0000.tech'
  ])('%j: refused before any request', async (apiUrl) => {
    const error = expectRefused(await runAction(valid({ 'api-url': apiUrl })), 'api-url')
    expect(error).not.toContain(password)
  })

  // Loopback hosts may use http: (the emulator); other https URLs are fine. Dry run shows where
  // requests would go without sending any.
  it.each<[string, string]>([
    ['http://127.0.0.2:1', 'http://127.0.0.2:1'],
    ['http://127.255.255.254:1', 'http://127.255.255.254:1'],
    ['http://localhost:1', 'http://localhost:1'],
    ['http://[::1]:1', 'http://[::1]:1'],
    ['HTTPS://API.TURSO.TECH', 'https://api.turso.tech'],
    ['https://api.turso.tech/', 'https://api.turso.tech'],
    ['https://gateway.example/turso/', 'https://gateway.example']
  ])('%j: accepted; requests would go to %s', async (apiUrl, origin) => {
    const run = await runAction(valid({ 'api-url': apiUrl, 'dry-run': 'true' }))
    expect(run.exitCode).toBe(0)
    expect(run.stdout).toContain(`these requests would be sent to ${origin}:`)
    expect(emulator.requests).toEqual([])
  })

  it('http://127.0.0.2:1 is really dialled: the failure is a refused connection, not an input error', async () => {
    const run = await runAction(valid({ 'api-url': 'http://127.0.0.2:1' }))
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toMatch(/^::error::Could not create a token .*: POST http:\/\/127\.0\.0\.2:1\/\S+ failed after 1 attempt: connection refused/m)
  })

  it('a base path is kept and the API path appended under it', async () => {
    // The emulator serves no /turso prefix, so the answers are 404s; the paths are what matters.
    await runAction(valid({ 'api-url': `${emulator.url}/turso` }))
    expect(emulator.requests.map((request) => request.path).sort()).toEqual([
      '/turso/v1/organizations/acme/databases/app-db',
      '/turso/v1/organizations/acme/databases/app-db/auth/tokens'
    ])
  })
})

describe('every other input at 10,000 characters, and with control characters', () => {
  const secret = { 'secret-name': 'TURSO_TOKEN', 'github-token': GITHUB_TOKEN, 'secret-repository': 'octo-org/app' }
  it.each<[string, Record<string, string>]>([
    ['operation', { operation: LONG }],
    ['operation', { operation: 'create-token\r\n::warning::pwned' }],
    ['expiration', { expiration: LONG }],
    ['expiration', { expiration: `${'9'.repeat(10_000)}h` }],
    ['expiration', { expiration: '1h\n::warning::pwned' }],
    ['permissions', { permissions: LONG }],
    ['permissions', { permissions: 'all:data_read\u0000' }],
    ['permissions', { permissions: 'all:data_read\n::warning::pwned' }],
    ['retries', { retries: LONG }],
    ['retries', { retries: '1e1' }],
    ['timeout', { timeout: '1'.repeat(10_000) }],
    ['timeout', { timeout: 'Infinity' }],
    ['timeout', { timeout: '0x10' }],
    ['read-only', { 'read-only': LONG }],
    ['dry-run', { 'dry-run': LONG }],
    ['verify', { verify: 'true\n::warning::pwned' }],
    ['export-env', { 'export-env': LONG }],
    ['mint', { operation: 'rotate', mint: LONG }],
    ['secret-name', { ...secret, 'secret-name': 'TOKEN\n::warning::pwned' }],
    ['secret-name', { ...secret, 'secret-name': 'TURSO-TOKEN' }],
    ['secret-repository', { ...secret, 'secret-repository': LONG }],
    ['secret-repository', { ...secret, 'secret-repository': 'octo-org/app\u202e' }],
    ['secret-environment', { ...secret, 'secret-environment': LONG }],
    ['secret-environment', { ...secret, 'secret-environment': 'production\n::warning::pwned' }]
  ])('%s %#: refused before any request', async (input, inputs) => {
    expectRefused(await runAction(valid(inputs)), input)
  })
})
