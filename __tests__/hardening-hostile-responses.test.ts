/**
 * Hostile and broken answers from the API: canned responses from the emulator's faults, and a
 * raw TCP server for what no HTTP server would send. Each must end in one clear `::error::`
 * (or a warning where the run can go on), with no stack trace, no secret, no injected
 * workflow command, and nothing followed to another origin.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import type { Fault } from '../emulator/server.js'
import { useEmulator } from './support/emulator.js'
import { expectNoLeaks } from './support/leaks.js'
import { drip, startRawServer, type RawServer } from './support/raw-server.js'
import { runAction, type InProcessRun } from './support/run-action.js'

const emulator = useEmulator()

/** A second origin: a redirect must never reach it. */
let otherOrigin: RawServer
beforeAll(async () => {
  otherOrigin = await startRawServer((socket) => socket.end('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}'))
})
afterAll(async () => {
  await otherOrigin.close()
})
beforeEach(() => {
  otherOrigin.connections = 0
})

const MINT_PATH = '/v1/organizations/acme/databases/app-db/auth/tokens'
const LOOKUP_PATH = '/v1/organizations/acme/databases/app-db'
const ATTEMPT = "::error::Could not create a token for database 'app-db' in organization 'acme'"

function inputs(extra: Record<string, string> = {}): Record<string, string> {
  return { operation: 'create-token', 'api-url': emulator.url, 'api-token': emulator.apiToken, organization: 'acme', database: 'app-db', retries: '0', ...extra }
}

const b64url = (text: string): string => Buffer.from(text).toString('base64url')
const jwtWith = (payload: string): string => `${b64url('{"alg":"EdDSA","typ":"JWT"}')}.${b64url(payload)}.${b64url('not-really-a-signature')}`
/** Shaped like a Turso token and readable, but minted by nobody: what a canned 200 hands out. */
const CANNED_JWT = jwtWith('{"a":"rw","iat":1767225600,"id":"0b9c2f7e-hostile"}')

const lines = (run: InProcessRun): string[] => run.stdout.split('\n')
/** Mint requests alone: create-token looks the database up alongside the mint. */
const mintRequests = (): number => emulator.requests.filter((request) => request.method === 'POST' && request.path === MINT_PATH).length
const errorLines = (run: InProcessRun): string[] => lines(run).filter((line) => line.startsWith('::error::'))
const warningLines = (run: InProcessRun): string[] => lines(run).filter((line) => line.startsWith('::warning::'))

/** The common "failed cleanly" checks: one ::error::, no stack trace (outside ::debug::), exit 1; by default no token output. */
function expectCleanFailure(run: InProcessRun, { tokenMinted = false } = {}): string {
  expect(run.exitCode).toBe(1)
  const errors = errorLines(run)
  expect(errors).toHaveLength(1)
  expect(run.stdout + run.stderr).not.toMatch(/^\s+at /m)
  if (!tokenMinted) expect(run.outputs.token).toBeUndefined()
  return errors[0]
}

/**
 * Hostile text only ever appears inside a command the action wrote (as its data), never at the
 * start of a line of its own, where a runner would take it for a workflow command. Lines are
 * split at every line break a runner or a log viewer might honour.
 */
function expectNoInjectedCommands(run: InProcessRun): void {
  const allLines = run.stdout.split(/\r\n|[\n\r\u0085\u2028\u2029]/)
  const ours = /^::(add-mask|debug|error|warning|notice)::/
  const injected = allLines.filter((line) => line.includes('pwned') && (/^\s*::/.test(line) ? !ours.test(line) || /^::[a-z-]+::pwned/.test(line) : false))
  expect(injected).toEqual([])
  expect(allLines.filter((line) => /^\s*::error::/.test(line))).toHaveLength(errorLines(run).length)
}

describe('a 200 that is not the documented create-token answer', () => {
  it.each<[string, string, string]>([
    ['an HTML page', '<html><body>Welcome to the captive portal</body></html>', 'the answer (HTTP 200) is not JSON'],
    ['truncated JSON', '{"jwt":"eyJhbGciOiJFZERTQSJ9.eyJhIjoicnci', 'the answer (HTTP 200) is not JSON'],
    ['an empty body', '', 'the answer (HTTP 200) is not JSON'],
    ['a JSON array', '[{"jwt":"x"}]', 'the answer is not a JSON object'],
    ['JSON null', 'null', 'the answer is not a JSON object'],
    ['no jwt field', '{"token":"something"}', 'the answer has no jwt field'],
    ['a jwt that is a number', '{"jwt":42}', 'the answer has no jwt field'],
    ['an empty jwt', '{"jwt":""}', 'the answer has no jwt field']
  ])('%s: fails naming what was attempted, with no stack trace', async (_label, body, problem) => {
    emulator.addFault({ method: 'POST', path: MINT_PATH, status: 200, body })
    const run = await runAction(inputs())
    const error = expectCleanFailure(run)
    expect(error).toBe(`${ATTEMPT}: ${problem}. This is not a documented Turso answer; check api-url and try again.`)
    expect(mintRequests()).toBe(1)
    expectNoLeaks(run, [emulator.apiToken])
  })

  it.each<[string, string, string]>([
    ['a word', 'hello', 'The token is not a JWT'],
    ['a single letter', 'e', 'The token is not a JWT'],
    ['a long opaque string', 'tk_live_0123456789abcdefghijklmnop', 'The token is not a JWT'],
    ['three dots-separated letters', 'a.b.c', 'The token payload is not valid base64url'],
    ['a JWT whose payload is not JSON', jwtWith('not json at all'), 'The token payload is not JSON'],
    ['a JWT whose payload is an array', jwtWith('[1,2]'), 'The token payload is not a JSON object'],
    ['a JWT whose exp is text', jwtWith('{"exp":"tomorrow"}'), "The token's 'exp' claim is not a number of seconds"],
    ['a JWT whose exp is beyond any date', jwtWith('{"exp":1e300}'), "The token's 'exp' claim is outside the range of dates"],
    ['a JWT followed by an injected command', `${CANNED_JWT}\n::warning::pwned`, 'The token is not a JWT']
  ])('a jwt that is %s: masked first, never printed, fails clearly', async (_label, jwt, parserProblem) => {
    emulator.addFault({ method: 'POST', path: MINT_PATH, status: 200, body: JSON.stringify({ jwt }) })
    const run = await runAction(inputs())
    const error = expectCleanFailure(run)
    expect(error).toContain(`${ATTEMPT}: the jwt field is not a usable token (${parserProblem}`)
    // Whatever it is, it might be a credential: masked the moment it arrived, before the failure;
    // unless it is too short to be one (masking "hello" would star it out of the whole job log).
    const masks = lines(run).filter((line) => line.startsWith('::add-mask::'))
    const masked = jwt.length >= 8 ? [`::add-mask::${jwt.replaceAll('\n', '%0A')}`] : []
    expect(masks).toEqual([`::add-mask::${emulator.apiToken}`, ...masked])
    expect(run.outputs).toEqual({})
    expect(run.exported).toEqual({})
    // (A single letter appears in every line, so there is nothing to look for.)
    expectNoLeaks(run, jwt.length > 1 ? [emulator.apiToken, jwt] : [emulator.apiToken])
    // Each line of a multi-line value, too, appears on its (escaped) mask line and nowhere else.
    for (const part of jwt.length > 1 ? jwt.split('\n') : []) {
      expect(lines(run).filter((line) => line.includes(part) && !line.startsWith('::add-mask::'))).toEqual([])
    }
    expectNoInjectedCommands(run)
  })
})

describe('oversized answers are cut off at 1 MiB', () => {
  // A 200 is final whatever its size (retries 2, one request); a 5xx would be retried as any 5xx, so retries 0.
  it.each<[string, Fault, string]>([
    ['a 200 of 1.5 MiB', { status: 200, body: JSON.stringify({ jwt: 'A'.repeat(1.5 * 1024 * 1024) }) }, '2'],
    ['an error page of 1.5 MiB', { status: 500, body: 'x'.repeat(1.5 * 1024 * 1024) }, '0']
  ])('%s: fails clearly, without holding on to it', async (_label, fault, retries) => {
    emulator.addFault({ ...fault, method: 'POST', path: MINT_PATH, times: 5 })
    const run = await runAction(inputs({ retries }))
    const error = expectCleanFailure(run)
    expect(error).toContain(`${ATTEMPT}: POST ${emulator.url}${MINT_PATH} failed after 1 attempt: the response was larger than 1048576 bytes`)
    expect(mintRequests()).toBe(1)
  })
})

describe('redirects are never followed', () => {
  it.each([301, 302, 303, 307, 308])('HTTP %d to another origin: that origin receives nothing, and the error says why', async (status) => {
    emulator.addFault({ method: 'POST', path: MINT_PATH, status, body: '', headers: { location: `${otherOrigin.url}/steal` } })
    const run = await runAction(inputs({ retries: '2' }))
    const error = expectCleanFailure(run)
    expect(error).toContain(`Turso answered HTTP ${status}`)
    expect(error).toContain('Redirects are never followed with credentials: set api-url to the final API address.')
    expect(otherOrigin.connections).toBe(0)
    expect(mintRequests()).toBe(1)
    expectNoLeaks(run, [emulator.apiToken])
  })

  it('a redirect on the database lookup is not followed either: the token is kept, database-url is empty', async () => {
    emulator.addFault({ method: 'GET', path: LOOKUP_PATH, status: 302, body: '', headers: { location: `${otherOrigin.url}/v1/organizations/acme/databases/app-db` } })
    const run = await runAction(inputs())
    expect(run.exitCode).toBe(0)
    expect(run.outputs['database-url']).toBe('')
    expect(warningLines(run)).toEqual([expect.stringContaining('Turso answered HTTP 302')])
    expect(otherOrigin.connections).toBe(0)
    expectNoLeaks(run, [emulator.apiToken, run.outputs.token])
  })
})

describe('error bodies that echo secrets are redacted', () => {
  it('an error that quotes the API token, in JSON and in the Authorization header it saw', async () => {
    const body = JSON.stringify({ error: `token ${emulator.apiToken} is not allowed (Authorization: Bearer ${emulator.apiToken})` })
    emulator.addFault({ method: 'POST', path: MINT_PATH, status: 403, body })
    const run = await runAction(inputs())
    const error = expectCleanFailure(run)
    expect(error).toContain('Turso answered HTTP 403: token *** is not allowed (Authorization: Bearer ***)')
    expectNoLeaks(run, [emulator.apiToken])
  })

  it('an echo at the very end of a long message is redacted before the message is shortened, so no prefix survives', async () => {
    emulator.addFault({ method: 'POST', path: MINT_PATH, status: 400, body: JSON.stringify({ error: `${'x'.repeat(290)} ${emulator.apiToken}` }) })
    const run = await runAction(inputs())
    const error = expectCleanFailure(run)
    expect(error).toContain(' ***')
    const printed = lines(run).filter((line) => !line.startsWith('::add-mask::'))
    expect(printed.filter((line) => line.includes(emulator.apiToken.slice(0, 8)))).toEqual([])
  })

  it('a later error that quotes the freshly minted JWT (and the API token) prints neither', async () => {
    emulator.addFault(
      { method: 'POST', path: MINT_PATH, status: 200, body: JSON.stringify({ jwt: CANNED_JWT }) },
      { method: 'GET', path: LOOKUP_PATH, status: 500, body: `<pre>upstream said: jwt=${CANNED_JWT} auth=${emulator.apiToken}</pre>` }
    )
    const run = await runAction(inputs())
    expect(run.exitCode).toBe(0)
    expect(run.outputs.token).toBe(CANNED_JWT)
    expect(warningLines(run)).toEqual([expect.stringContaining('upstream said: jwt=*** auth=***')])
    expectNoLeaks(run, [emulator.apiToken, CANNED_JWT])
  })
})

describe('control characters and workflow-command injection in what the API says', () => {
  const hostile = 'bad request\n::warning::pwned\r\n::set-output name=token::pwned\u2028::notice::pwned\u202e\u0007\u001b[31m'

  it.each<[string, string]>([
    ['a JSON error message', JSON.stringify({ error: hostile })],
    ['a JSON error that is an object', JSON.stringify({ error: { detail: hostile } })],
    ['a plain-text error page', hostile]
  ])('%s: one ::error:: line, nothing injected, control characters gone', async (_label, body) => {
    emulator.addFault({ method: 'POST', path: MINT_PATH, status: 400, body })
    const run = await runAction(inputs())
    const error = expectCleanFailure(run)
    expect(error).toContain('bad request')
    // eslint-disable-next-line no-control-regex
    expect(error).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202e]/)
    expectNoInjectedCommands(run)
  })

  it('revoke: a reported token name with a newline is not printed; the name sent is used instead', async () => {
    emulator.addFault({ method: 'DELETE', status: 200, body: JSON.stringify({ token: 'ci-deployer\n::warning::pwned' }) })
    const run = await runAction({ operation: 'revoke', 'api-url': emulator.url, 'api-token': emulator.apiToken, 'token-name': 'ci-deployer' })
    expect(run.exitCode).toBe(0)
    expect(run.outputs).toEqual({ 'token-name': 'ci-deployer' })
    expect(run.stdout).toContain("Revoked API token 'ci-deployer'\n")
    expectNoInjectedCommands(run)
  })

  it('a database Hostname with a newline: not a host name, so database-url stays empty with a warning', async () => {
    emulator.addFault({ method: 'GET', path: LOOKUP_PATH, status: 200, body: JSON.stringify({ database: { Hostname: 'db.example\n::warning::pwned', group: 'default' } }) })
    const run = await runAction(inputs())
    expect(run.exitCode).toBe(0)
    expect(run.outputs['database-url']).toBe('')
    expect(warningLines(run)).toEqual([expect.stringContaining("the answer's database.Hostname is not a host name")])
    expectNoInjectedCommands(run)
  })

  it('a group database Hostname with a newline is refused before it is printed or dialled for verify', async () => {
    emulator.addFault({
      method: 'GET',
      path: '/v1/organizations/acme/databases',
      status: 200,
      body: JSON.stringify({ databases: [{ Name: 'x', Hostname: 'db.example\n::warning::pwned', group: 'default' }] })
    })
    const run = await runAction(inputs({ database: '', group: 'default', verify: 'true' }))
    // The token is an output before verification starts (outputs first, so a failure never loses it).
    const error = expectCleanFailure(run, { tokenMinted: true })
    expect(error).toContain("Could not list the databases of group 'default' in organization 'acme': a database.Hostname in the answer is not a host name")
    expectNoInjectedCommands(run)
  })
})

describe('answers that are not well-formed HTTP (a raw server as api-url)', () => {
  let server: RawServer | undefined
  afterAll(async () => {
    await server?.close()
  })
  async function against(respond: Parameters<typeof startRawServer>[0], extra: Record<string, string> = {}): Promise<InProcessRun> {
    await server?.close()
    server = await startRawServer(respond)
    return runAction(inputs({ 'api-url': server.url, ...extra }))
  }

  it.each<[string, Parameters<typeof startRawServer>[0]]>([
    ['garbage instead of HTTP', (socket) => socket.end('SSH-2.0-OpenSSH_9.6\r\n')],
    ['a body cut short', (socket) => socket.end('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"jwt":"eyJ')],
    ['headers larger than any sane answer', (socket) => socket.end(`HTTP/1.1 200 OK\r\nx-filler: ${'a'.repeat(64 * 1024)}\r\n\r\n`)],
    ['a connection closed without a word', (socket) => socket.destroy()]
  ])('%s: one clean ::error:: naming the attempt', async (_label, respond) => {
    const run = await against(respond)
    const error = expectCleanFailure(run)
    expect(error).toMatch(/^::error::Could not create a token for database 'app-db' in organization 'acme': POST http:\/\/127\.0\.0\.1:\d+\/\S+ failed after 1 attempt: .+\. Check that api-url/)
    expectNoLeaks(run, [emulator.apiToken])
  })

  it('a body that drips a byte at a time is abandoned after `timeout`, not read forever', async () => {
    const run = await against((socket) => {
      socket.write('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100000\r\n\r\n{')
      drip(socket, ' ', 50)
    }, { timeout: '0.3' })
    const error = expectCleanFailure(run)
    expect(error).toContain('failed after 1 attempt: timed out')
    expect(run.elapsedMs).toBeLessThan(1500)
  })

  it('headers that drip forever are abandoned after `timeout` too', async () => {
    const run = await against((socket) => {
      socket.write('HTTP/1.1 200 OK\r\n')
      drip(socket, 'x-slow: 1\r\n', 50)
    }, { timeout: '0.3' })
    const error = expectCleanFailure(run)
    expect(error).toMatch(/failed after 1 attempt: (timed out|.*[Hh]eaders)/)
    expect(run.elapsedMs).toBeLessThan(2000)
  })
})
