/**
 * The start-up path (src/startup/*, src/http/early-connector.ts): secrets masked first, the
 * connection to the API opened before the bulk of the action loads, and handed to the HTTP
 * client's first connect. In process, over loopback; the bundled runs are in startup-dist.test.ts.
 */
import { createServer, type AddressInfo } from 'node:net'
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import * as core from '@actions/core'
import { makeThrowAwayCertificate, startLatencyRelay, startTlsFront, type LatencyRelay, type ThrowAwayCertificate, type TlsFront } from '../scripts/lib/tls-fixture.js'
import { HttpClient, NetworkError } from '../src/http/http-client.js'
import { discardEarlyConnection, offerEarlyConnection, openEarlyConnection, takeEarlyConnection } from '../src/startup/early-connection.js'
import { maskCommand, readRunnerInput, startEarly } from '../src/startup/early-start.js'
import { proxyApplies } from '../src/startup/proxy-env.js'
import { useEmulator } from './support/emulator.js'

const emulator = useEmulator()
let certificate: ThrowAwayCertificate
let front: TlsFront
beforeAll(async () => {
  certificate = makeThrowAwayCertificate()
  front = await startTlsFront(new URL(emulator.url), certificate)
})
afterAll(async () => {
  await front.close()
  certificate.remove()
})
afterEach(() => {
  discardEarlyConnection()
  front.reset()
})

const client = (timeoutMs = 5000): HttpClient => new HttpClient({ timeoutMs, retries: 0, userAgent: 'startup-test', log: () => undefined })
const MINT_PATH = '/v1/organizations/acme/groups/default/auth/tokens?expiration=never&authorization=full-access'
const mint = (base: string, timeoutMs?: number): Promise<Awaited<ReturnType<HttpClient['send']>>> =>
  client(timeoutMs).send({ method: 'POST', url: new URL(MINT_PATH, base), headers: { authorization: `Bearer ${emulator.apiToken}` } })

/** INPUT_* as the runner sets them (with action.yml's defaults that matter here). */
function runnerEnv(inputs: Record<string, string>, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const all = { operation: 'create-token', organization: 'acme', group: 'default', retries: '0', timeout: '5', 'dry-run': 'false', ...inputs }
  return { ...Object.fromEntries(Object.entries(all).map(([name, value]) => [`INPUT_${name.toUpperCase()}`, value])), ...extra }
}

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

describe('proxyApplies: the proxy decision of undici EnvHttpProxyAgent', () => {
  const api = new URL('https://api.turso.tech')
  it.each([
    [{}, false],
    [{ HTTPS_PROXY: 'http://proxy:3128' }, true],
    [{ https_proxy: 'http://proxy:3128' }, true],
    [{ HTTP_PROXY: 'http://proxy:3128' }, true],
    [{ http_proxy: '', HTTP_PROXY: 'http://proxy:3128' }, false],
    [{ https_proxy: '', HTTPS_PROXY: 'http://proxy:3128' }, false],
    [{ HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: 'api.turso.tech' }, false],
    [{ HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: 'example.com, .turso.tech' }, false],
    [{ HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: '*.TURSO.tech' }, false],
    [{ HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: '*' }, false],
    [{ HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: 'turso.tech:8443' }, true],
    [{ HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: 'turso.tech:443' }, false],
    [{ HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: 'io.turso.tech' }, true],
    [{ HTTPS_PROXY: 'http://proxy:3128', no_proxy: '', NO_PROXY: 'api.turso.tech' }, true]
  ])('%j → %s for https://api.turso.tech', (env, expected) => {
    expect(proxyApplies(api, env)).toBe(expected)
  })

  it('plain http (the emulator) follows HTTP_PROXY only', () => {
    const local = new URL('http://127.0.0.1:8080')
    expect(proxyApplies(local, { HTTPS_PROXY: 'http://proxy:3128' })).toBe(false)
    expect(proxyApplies(local, { HTTP_PROXY: 'http://proxy:3128' })).toBe(true)
    expect(proxyApplies(local, { HTTP_PROXY: 'http://proxy:3128', NO_PROXY: '127.0.0.1:8080' })).toBe(false)
  })
})

describe('startEarly', () => {
  it('writes ::add-mask:: exactly as @actions/core setSecret does', () => {
    const secret = 'tok%en\r\nwith lines'
    const written: string[] = []
    const original = process.stdout.write.bind(process.stdout)
    process.stdout.write = ((chunk: string) => written.push(chunk) > 0) as typeof process.stdout.write
    try {
      core.setSecret(secret)
    } finally {
      process.stdout.write = original
    }
    expect(maskCommand(secret)).toBe(written.join(''))
  })

  it('reads inputs as @actions/core getInput does', () => {
    const env = { 'INPUT_API-URL': '  https://x.example \n', INPUT_SECRET_NAME: 'a' }
    process.env['INPUT_API-URL'] = env['INPUT_API-URL']
    process.env.INPUT_SECRET_NAME = env.INPUT_SECRET_NAME
    try {
      expect(readRunnerInput(env, 'api-url')).toBe(core.getInput('api-url'))
      expect(readRunnerInput(env, 'secret name')).toBe(core.getInput('secret name'))
      expect(readRunnerInput(env, 'missing')).toBe(core.getInput('missing'))
    } finally {
      delete process.env['INPUT_API-URL']
      delete process.env.INPUT_SECRET_NAME
    }
  })

  it('masks the API token before anything else, then opens the connection', async () => {
    const written: string[] = []
    const early = startEarly(runnerEnv({ 'api-url': emulator.url, 'github-token': 'ghp_example' }, { TURSO_API_TOKEN: emulator.apiToken }), (text) => written.push(text))
    expect(written).toEqual([maskCommand(emulator.apiToken), maskCommand('ghp_example')])
    expect(early).toMatchObject({ masked: [emulator.apiToken, 'ghp_example'], connecting: true })
    await early.started
    const connection = takeEarlyConnection(new URL(emulator.url).origin)
    expect(connection).toBeDefined()
    await expect(connection?.settled).resolves.toEqual({ connected: true })
    connection?.discard()
  })

  it('opens nothing when a proxy applies to api-url', async () => {
    const env = runnerEnv({ 'api-url': front.url }, { TURSO_API_TOKEN: emulator.apiToken, HTTPS_PROXY: 'http://127.0.0.1:9' })
    expect(startEarly(env, () => undefined).connecting).toBe(false)
    expect(takeEarlyConnection(new URL(front.url).origin)).toBeUndefined()
    // With NO_PROXY covering the host the proxy does not apply, and the connection is opened.
    expect(startEarly({ ...env, NO_PROXY: '127.0.0.1' }, () => undefined).connecting).toBe(true)
    const connection = takeEarlyConnection(new URL(front.url).origin)
    await connection?.settled
    connection?.discard()
    expect(front.connections).toBe(1)
  })

  it('opens nothing for a dry run or invalid inputs, but still masks', () => {
    const token = { TURSO_API_TOKEN: emulator.apiToken }
    const written: string[] = []
    expect(startEarly(runnerEnv({ 'api-url': emulator.url, 'dry-run': 'true' }, token), (text) => written.push(text)).connecting).toBe(false)
    expect(startEarly(runnerEnv({ 'api-url': emulator.url, expiration: '10 days' }, token), (text) => written.push(text)).connecting).toBe(false)
    expect(startEarly(runnerEnv({ 'api-url': 'http://example.com' }, token), (text) => written.push(text)).connecting).toBe(false)
    expect(written).toEqual([maskCommand(emulator.apiToken), maskCommand(emulator.apiToken), maskCommand(emulator.apiToken)])
    expect(takeEarlyConnection(new URL(emulator.url).origin)).toBeUndefined()
  })
})

describe('the HTTP client and the early connection', () => {
  let relay: LatencyRelay | undefined
  afterEach(async () => {
    await relay?.close()
    relay = undefined
  })

  it('serves the first request on the early connection: no second connection is made', async () => {
    relay = await startLatencyRelay(new URL(emulator.url), 0)
    const early = openEarlyConnection(new URL(relay.url), 5000)
    await expect(early.settled).resolves.toEqual({ connected: true })
    offerEarlyConnection(early)
    const response = await mint(relay.url)
    expect(response.status).toBe(200)
    expect(relay.connections).toBe(1)
    expect(takeEarlyConnection(new URL(relay.url).origin)).toBeUndefined()
  })

  it('only for its origin: a client for another origin connects normally and leaves it offered', async () => {
    relay = await startLatencyRelay(new URL(emulator.url), 0)
    const early = openEarlyConnection(new URL(relay.url), 5000)
    offerEarlyConnection(early)
    expect((await mint(emulator.url)).status).toBe(200)
    expect(takeEarlyConnection(new URL(relay.url).origin)).toBe(early)
    early.discard()
  })

  it('falls back to a normal connect when the early connection was refused', async () => {
    const port = await freePort()
    const early = openEarlyConnection(new URL(`http://127.0.0.1:${port}`), 5000)
    const outcome = await early.settled
    expect(outcome).toMatchObject({ connected: false, timedOut: false, error: { code: 'ECONNREFUSED' } })
    relay = await startLatencyRelay(new URL(emulator.url), 0, port)
    offerEarlyConnection(early)
    const response = await mint(relay.url)
    expect(response.status).toBe(200)
    expect(response.attempts).toBe(1)
    expect(relay.connections).toBe(1)
  })

  it('falls back to a normal connect when the early connection closed before it was used', async () => {
    let accepted = 0
    relay = await startLatencyRelay(new URL(emulator.url), 0)
    const closer = createServer((socket) => {
      accepted += 1
      socket.destroy()
    })
    await new Promise<void>((resolve) => closer.listen(0, '127.0.0.1', resolve))
    try {
      // The early socket goes to a server that hangs up at once; the origin is the relay's, so
      // the client then connects to the relay itself.
      const closerPort = (closer.address() as AddressInfo).port
      const early = openEarlyConnection(new URL(`http://127.0.0.1:${closerPort}`), 5000)
      await early.settled
      // Give the loop a moment to see the hang-up (a wait, not a timed assertion).
      await new Promise((resolve) => setTimeout(resolve, 50))
      expect(early.adopt()).toBeUndefined()
      const handOff = { ...early, origin: new URL(relay.url).origin }
      offerEarlyConnection(handOff)
      expect((await mint(relay.url)).status).toBe(200)
      expect(accepted).toBe(1)
      expect(relay.connections).toBe(1)
    } finally {
      await new Promise<void>((resolve) => closer.close(() => resolve()))
    }
  })

  it('an early connect that timed out fails the attempt as a connect timeout, without a second wait', async () => {
    const silent = createServer(() => undefined)
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    try {
      const url = `https://127.0.0.1:${(silent.address() as AddressInfo).port}`
      // The handshake never completes; the early connection gives up after its own bound.
      const early = openEarlyConnection(new URL(url), 100)
      offerEarlyConnection(early)
      // The client's own bound is far longer than the test may run: a second connect would hang.
      const failure = await mint(url, 60_000).then(
        () => undefined,
        (error: unknown) => error
      )
      expect(failure).toBeInstanceOf(NetworkError)
      expect((failure as NetworkError).reason).toBe('timed out')
      expect(await early.settled).toMatchObject({ connected: false, timedOut: true })
    } finally {
      silent.close()
    }
  })

  it('keeps TLS verification: an untrusted certificate fails the request as a TLS error, nothing sent in clear', async () => {
    // This process does not trust the throw-away certificate (no NODE_EXTRA_CA_CERTS here).
    relay = await startLatencyRelay(new URL(front.url), 0)
    const early = openEarlyConnection(new URL(relay.url), 5000)
    offerEarlyConnection(early)
    const failure = await mint(relay.url).then(
      () => undefined,
      (error: unknown) => error
    )
    expect(failure).toBeInstanceOf(NetworkError)
    expect((failure as NetworkError).reason).toMatch(/self[- ]signed certificate/)
    const outcome = await early.settled
    expect(outcome).toMatchObject({ connected: false, error: { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' } })
    expect(front.secureConnections).toBe(0)
    const sent = Buffer.concat(relay.received).toString('latin1')
    expect(sent).not.toContain(emulator.apiToken)
    expect(sent).not.toMatch(/POST|authorization/i)
  })
})
