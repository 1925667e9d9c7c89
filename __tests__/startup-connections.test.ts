/**
 * The early connections in detail (src/startup/early-connection.ts, early-start.ts,
 * src/http/early-connector.ts): how many are opened and for which run, which request takes
 * which, and how each is opened (SNI, ALPN, certificate checks, what keeps the process alive).
 * In process, over loopback; startup.test.ts has the fall-backs of the HTTP client.
 */
import { createServer as createTcpServer, type AddressInfo, type Server, type Socket } from 'node:net'
import { createServer as createTlsServer, type TLSSocket } from 'node:tls'
import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals'
import { makeThrowAwayCertificate, startLatencyRelay, type LatencyRelay, type ThrowAwayCertificate } from '../scripts/lib/tls-fixture.js'
import { actionDefaults, inputEnv } from '../scripts/lib/runner.js'
import { connectorWithEarlyConnection } from '../src/http/early-connector.js'
import type { Connector } from '../src/http/undici.js'
import {
  discardEarlyConnection,
  hasEarlyConnection,
  offerEarlyConnection,
  openEarlyConnection,
  takeEarlyConnection,
  type EarlyConnection,
  type EarlyOutcome
} from '../src/startup/early-connection.js'
import { earlyConnectionCount, startEarly } from '../src/startup/early-start.js'
import { proxyApplies } from '../src/startup/proxy-env.js'
import { readConfig } from '../src/inputs.js'
import { useEmulator } from './support/emulator.js'
import { runAction } from './support/run-action.js'

const emulator = useEmulator()
afterEach(() => {
  discardEarlyConnection()
})

/** The INPUT_* a runner sets for these inputs, action.yml defaults applied, and the API token. */
const runnerEnv = (inputs: Record<string, string>): NodeJS.ProcessEnv => ({ ...inputEnv(inputs, actionDefaults()), TURSO_API_TOKEN: emulator.apiToken })

const config = (inputs: Record<string, string>): ReturnType<typeof readConfig> => {
  const env = runnerEnv({ organization: 'acme', ...inputs })
  return readConfig({ readInput: (name) => (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim(), env, maskSecret: () => undefined, warn: () => undefined })
}

describe('how many connections start-up opens', () => {
  it.each([
    [{ operation: 'create-token', database: 'app-db' }, 2, 'mint and lookup go out together'],
    [{ operation: 'create-token', group: 'default' }, 1, 'one request'],
    [{ operation: 'rotate', database: 'app-db' }, 1, 'lookup, invalidate and mint one after the other'],
    [{ operation: 'rotate', group: 'default' }, 1, 'invalidate, then mint']
  ])('%j: %i (%s)', (inputs, count, _why) => {
    expect(earlyConnectionCount(config(inputs))).toBe(count)
  })

  it('startEarly opens and offers that many, and started waits for all of them', async () => {
    const relay = await startLatencyRelay(new URL(emulator.url), 0)
    try {
      const early = startEarly(runnerEnv({ operation: 'create-token', organization: 'acme', database: 'app-db', 'api-url': relay.url }), () => undefined)
      expect(early).toMatchObject({ connecting: true, connections: 2 })
      await early.started
      // Both TCP connects are done once `started` resolves (the relay counts accepted connections).
      await until(() => relay.connections === 2)
      const origin = new URL(relay.url).origin
      const first = takeEarlyConnection(origin)
      const second = takeEarlyConnection(origin)
      expect(first).toBeDefined()
      expect(second).toBeDefined()
      expect(second).not.toBe(first)
      expect(takeEarlyConnection(origin)).toBeUndefined()
      await expect(Promise.all([first?.settled, second?.settled])).resolves.toEqual([{ connected: true }, { connected: true }])
      first?.discard()
      second?.discard()

      const group = startEarly(runnerEnv({ operation: 'create-token', organization: 'acme', group: 'default', 'api-url': relay.url }), () => undefined)
      expect(group).toMatchObject({ connecting: true, connections: 1 })
      const dryRun = startEarly(runnerEnv({ operation: 'create-token', organization: 'acme', group: 'default', 'api-url': relay.url, 'dry-run': 'true' }), () => undefined)
      expect(dryRun).toMatchObject({ connecting: false, connections: 0 })
      await dryRun.started
    } finally {
      discardEarlyConnection()
      await relay.close()
    }
  })
})

async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met within 5 s')
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

describe('create-token for a database: the mint and the lookup each on a connection opened at start-up', () => {
  let relay: LatencyRelay
  beforeAll(async () => {
    relay = await startLatencyRelay(new URL(emulator.url), 0)
  })
  afterAll(async () => {
    await relay.close()
  })

  it('the mint takes the first, the lookup the second, and nothing else connects', async () => {
    const inputs = { operation: 'create-token', organization: 'acme', database: 'app-db', 'api-url': relay.url }
    const early = startEarly(runnerEnv(inputs), () => undefined)
    expect(early.connections).toBe(2)
    // Re-offered in the same order, each noting the first bytes a request wrote on it.
    const origin = new URL(relay.url).origin
    const firstWrites: string[][] = []
    for (const connection of [takeEarlyConnection(origin), takeEarlyConnection(origin)]) {
      const writes: string[] = []
      firstWrites.push(writes)
      offerEarlyConnection(recordingWrites(connection as EarlyConnection, writes))
    }
    const run = await runAction(inputs, { TURSO_API_TOKEN: emulator.apiToken })
    expect(run.exitCode).toBe(0)
    expect(run.outputs['database-url']).toMatch(/^libsql:\/\//)
    expect(emulator.verifyDatabaseToken(run.outputs.token, 'app-db', 'acme').valid).toBe(true)
    expect(firstWrites.map((writes) => writes[0]?.split(' ')[0])).toEqual(['POST', 'GET'])
    expect(relay.connections).toBe(2)
  })
})

/** The same connection, noting what is written on its socket once adopted. */
function recordingWrites(connection: EarlyConnection, writes: string[]): EarlyConnection {
  return {
    ...connection,
    origin: connection.origin,
    started: connection.started,
    settled: connection.settled,
    adopt: () => {
      const socket = connection.adopt()
      if (socket !== undefined) {
        const write = socket.write.bind(socket) as (...args: unknown[]) => boolean
        socket.write = ((chunk: unknown, ...rest: unknown[]) => {
          writes.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('latin1'))
          return write(chunk, ...rest)
        }) as typeof socket.write
      }
      return socket
    }
  }
}

describe('the offered connections', () => {
  const fake = (origin: string): EarlyConnection => ({
    origin,
    started: Promise.resolve(),
    settled: Promise.resolve({ connected: true }),
    hold: jest.fn(),
    adopt: jest.fn(() => undefined),
    discard: jest.fn()
  })

  it('are taken per origin, oldest first, each once; discard destroys the ones left', () => {
    const a1 = fake('https://a.example')
    const b = fake('https://b.example')
    const a2 = fake('https://a.example')
    for (const connection of [a1, b, a2]) offerEarlyConnection(connection)
    expect(hasEarlyConnection('https://a.example')).toBe(true)
    expect(hasEarlyConnection('https://c.example')).toBe(false)
    expect(takeEarlyConnection('https://c.example')).toBeUndefined()
    expect(takeEarlyConnection('https://a.example')).toBe(a1)
    expect(takeEarlyConnection('https://a.example')).toBe(a2)
    expect(takeEarlyConnection('https://a.example')).toBeUndefined()
    expect(hasEarlyConnection('https://a.example')).toBe(false)
    discardEarlyConnection()
    expect(b.discard).toHaveBeenCalledTimes(1)
    expect(a1.discard).not.toHaveBeenCalled()
    expect(takeEarlyConnection('https://b.example')).toBeUndefined()
  })
})

describe('connectorWithEarlyConnection', () => {
  type Options = Parameters<Connector>[0]
  const options = (extra: Partial<Options> = {}): Options => ({ hostname: 'api.turso.tech', host: 'api.turso.tech', protocol: 'https:', port: '', servername: undefined, ...extra }) as Options
  const connection = (outcome: EarlyOutcome, socket: unknown = undefined): EarlyConnection & { hold: jest.Mock; adopt: jest.Mock } => ({
    origin: 'https://api.turso.tech',
    started: Promise.resolve(),
    settled: Promise.resolve(outcome),
    hold: jest.fn(),
    adopt: jest.fn(() => socket),
    discard: jest.fn()
  }) as never
  const connect = async (connector: Connector, opts: Options): Promise<{ error: Error | null; socket: unknown }> =>
    new Promise((resolve) => connector(opts, ((error: Error | null, socket: unknown) => resolve({ error, socket })) as never))

  it('asks for the connection of the origin undici connects to, spelt as URL.origin spells it', () => {
    const take = jest.fn(() => undefined)
    const fallback = jest.fn()
    const connector = connectorWithEarlyConnection(take, fallback as unknown as Connector)
    connector(options(), () => undefined)
    connector(options({ port: '443' }), () => undefined)
    connector(options({ port: '8443' }), () => undefined)
    connector(options({ protocol: 'http:', hostname: '127.0.0.1', port: '8787' }), () => undefined)
    connector(options({ protocol: 'http:', hostname: '::1', port: '8787' }), () => undefined)
    connector(options({ protocol: 'http:', hostname: '[::1]', port: '8787' }), () => undefined)
    expect(take.mock.calls).toEqual([
      ['https://api.turso.tech'],
      ['https://api.turso.tech'],
      ['https://api.turso.tech:8443'],
      ['http://127.0.0.1:8787'],
      ['http://[::1]:8787'],
      ['http://[::1]:8787']
    ])
    // Nothing on offer: undici's own connector, with the same arguments.
    expect(fallback).toHaveBeenCalledTimes(6)
    expect(fallback.mock.calls[2][0]).toEqual(options({ port: '8443' }))
  })

  it("never for a tunnel's inner connection (httpSocket set)", () => {
    const take = jest.fn(() => connection({ connected: true }))
    const fallback = jest.fn()
    connectorWithEarlyConnection(take, fallback as unknown as Connector)(options({ httpSocket: {} as Socket } as Partial<Options>), () => undefined)
    expect(take).not.toHaveBeenCalled()
    expect(fallback).toHaveBeenCalledTimes(1)
  })

  it('hands over the adopted socket, holding the connection while the request waits for it', async () => {
    const socket = { adopted: true }
    const early = connection({ connected: true }, socket)
    const fallback = jest.fn()
    const connector = connectorWithEarlyConnection(() => early, fallback as unknown as Connector)
    const result = connect(connector, options())
    expect(early.hold).toHaveBeenCalledTimes(1)
    expect(early.adopt).not.toHaveBeenCalled()
    expect(await result).toEqual({ error: null, socket })
    expect(fallback).not.toHaveBeenCalled()
  })

  it('falls back when the early connection failed or closed since', async () => {
    const fallback = jest.fn((_options: Options, callback: (error: Error | null, socket: unknown) => void) => callback(null, 'fallback socket'))
    const failed = connection({ connected: false, error: new Error('ECONNREFUSED'), timedOut: false })
    expect(await connect(connectorWithEarlyConnection(() => failed, fallback as unknown as Connector), options())).toEqual({ error: null, socket: 'fallback socket' })
    expect(failed.adopt).not.toHaveBeenCalled()
    const closed = connection({ connected: true }, undefined)
    expect(await connect(connectorWithEarlyConnection(() => closed, fallback as unknown as Connector), options())).toEqual({ error: null, socket: 'fallback socket' })
    expect(closed.adopt).toHaveBeenCalledTimes(1)
    expect(fallback).toHaveBeenCalledTimes(2)
  })

  it("reports an early connect that timed out as undici's connect timeout, naming the address", async () => {
    const fallback = jest.fn()
    const timedOut = (): EarlyConnection => connection({ connected: false, error: new Error('timed out'), timedOut: true })
    const first = await connect(connectorWithEarlyConnection(timedOut, fallback as unknown as Connector), options())
    expect(first.socket).toBeNull()
    expect(first.error).toMatchObject({ code: 'UND_ERR_CONNECT_TIMEOUT', message: 'Connect Timeout Error (attempted address: api.turso.tech:443, early connection)' })
    const plain = await connect(connectorWithEarlyConnection(timedOut, fallback as unknown as Connector), options({ protocol: 'http:', hostname: '127.0.0.1' }))
    expect(plain.error?.message).toBe('Connect Timeout Error (attempted address: 127.0.0.1:80, early connection)')
    const port = await connect(connectorWithEarlyConnection(timedOut, fallback as unknown as Connector), options({ port: '8443' }))
    expect(port.error?.message).toBe('Connect Timeout Error (attempted address: api.turso.tech:8443, early connection)')
    expect(fallback).not.toHaveBeenCalled()
  })
})

describe('openEarlyConnection: how the socket is opened', () => {
  let certificate: ThrowAwayCertificate
  let server: Server
  let port: number
  /** What each ClientHello asked for. */
  const hellos: { servername: string | undefined; protocols: string[] }[] = []
  const accepted: TLSSocket[] = []
  beforeAll(async () => {
    certificate = makeThrowAwayCertificate()
    server = createTlsServer({
      cert: certificate.cert,
      key: certificate.key,
      ALPNCallback: ({ servername, protocols }: { servername: string; protocols: string[] }) => {
        hellos.push({ servername: servername || undefined, protocols })
        return protocols[0]
      }
    } as Parameters<typeof createTlsServer>[0])
    server.on('secureConnection', (socket: TLSSocket) => accepted.push(socket))
    server.on('tlsClientError', () => undefined)
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    port = (server.address() as AddressInfo).port
  })
  afterAll(async () => {
    for (const socket of accepted) socket.destroy()
    await new Promise<void>((resolve) => server.close(() => resolve()))
    certificate.remove()
  })
  afterEach(() => {
    hellos.length = 0
  })

  it('offers ALPN http/1.1 only, and SNI for a host name but not for an IP address', async () => {
    for (const url of [`https://127.0.0.1:${port}`, `https://localhost:${port}`]) {
      const early = openEarlyConnection(new URL(url), 5000)
      // Not trusted here (no NODE_EXTRA_CA_CERTS): the ClientHello is all this test needs.
      await early.settled
      early.discard()
    }
    expect(hellos).toEqual([
      { servername: undefined, protocols: ['http/1.1'] },
      { servername: 'localhost', protocols: ['http/1.1'] }
    ])
  })

  it('verifies the certificate: an untrusted one fails the connection, and it never connects', async () => {
    const early = openEarlyConnection(new URL(`https://localhost:${port}`), 5000)
    await expect(early.settled).resolves.toMatchObject({ connected: false, timedOut: false, error: { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' } })
    expect(early.adopt()).toBeUndefined()
  })

  it('an IPv6 literal is connected to without its brackets', async () => {
    const v6 = createTcpServer((socket) => socket.destroy())
    const listening = await new Promise<boolean>((resolve) => {
      v6.once('error', () => resolve(false))
      v6.listen(0, '::1', () => resolve(true))
    })
    if (!listening) return // no IPv6 loopback on this machine
    try {
      const early = openEarlyConnection(new URL(`http://[::1]:${(v6.address() as AddressInfo).port}`), 5000)
      await expect(early.settled).resolves.toEqual({ connected: true })
      early.discard()
    } finally {
      await new Promise<void>((resolve) => v6.close(() => resolve()))
    }
  })
})

describe('openEarlyConnection: its life before and after adoption', () => {
  let server: Server
  let url: URL
  const peers: Socket[] = []
  beforeAll(async () => {
    server = createTcpServer((socket) => {
      peers.push(socket)
      socket.on('error', () => undefined)
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)
  })
  afterAll(async () => {
    for (const socket of peers) socket.destroy()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  })

  /** Handles that keep the process alive (unreferenced ones are not listed). */
  const liveSockets = (): number => process.getActiveResourcesInfo().filter((name) => name === 'TCPSocketWrap' || name === 'TLSWrap').length
  const liveTimers = (): number => process.getActiveResourcesInfo().filter((name) => name === 'Timeout').length

  /** An early connection that connected, after the server's side of it was closed by `close` and the close was seen. */
  async function closedByServer(close: (peer: Socket) => void): Promise<EarlyConnection> {
    const known = peers.length
    const early = openEarlyConnection(url, 5000)
    await expect(early.settled).resolves.toEqual({ connected: true })
    await until(() => peers.length > known)
    const peer = peers[known]
    close(peer)
    await new Promise<void>((resolve) => peer.once('close', () => resolve()))
    // Give the loop a moment to see the end (a wait, not a timed assertion).
    await new Promise((resolve) => setTimeout(resolve, 50))
    return early
  }

  it('keeps nothing alive until held, and the adopted socket is referenced, open and the caller’s', async () => {
    const timers = liveTimers()
    const early = openEarlyConnection(url, 60_000)
    // Its handshake bound is a timer that must not hold the run either.
    expect(liveTimers()).toBe(timers)
    await expect(early.settled).resolves.toEqual({ connected: true })
    const unheld = liveSockets()
    early.hold()
    expect(liveSockets()).toBe(unheld + 1)
    const socket = early.adopt()
    expect(socket).toBeDefined()
    expect(socket?.destroyed).toBe(false)
    // The guard that swallowed errors before adoption is gone: errors are now the caller's.
    expect(socket?.listenerCount('error')).toBe(0)
    expect(liveSockets()).toBe(unheld + 1)
    socket?.destroy()
  })

  it('adopt references the socket even when nobody held it first', async () => {
    const early = openEarlyConnection(url, 5000)
    await expect(early.settled).resolves.toEqual({ connected: true })
    const unheld = liveSockets()
    const socket = early.adopt()
    expect(liveSockets()).toBe(unheld + 1)
    socket?.destroy()
  })

  it('adopt gives nothing for a connection the server has ended, and destroys it', async () => {
    const early = await closedByServer((peer) => peer.end())
    expect(early.adopt()).toBeUndefined()
  })

  it('adopt gives nothing after discard', async () => {
    const early = openEarlyConnection(url, 5000)
    await expect(early.settled).resolves.toEqual({ connected: true })
    early.discard()
    expect(early.adopt()).toBeUndefined()
  })

  it('a connection closed during the handshake settles as not connected, and started still resolves', async () => {
    const closer = createTcpServer((socket) => socket.destroy())
    await new Promise<void>((resolve) => closer.listen(0, '127.0.0.1', resolve))
    try {
      const early = openEarlyConnection(new URL(`https://127.0.0.1:${(closer.address() as AddressInfo).port}`), 5000)
      await early.started
      const outcome = await early.settled
      expect(outcome.connected).toBe(false)
      expect(outcome).toMatchObject({ timedOut: false })
    } finally {
      await new Promise<void>((resolve) => closer.close(() => resolve()))
    }
  })

  it('as undici sets them: no Nagle, keep-alive probes after 60 s', async () => {
    const early = openEarlyConnection(url, 5000)
    await expect(early.settled).resolves.toEqual({ connected: true })
    const socket = early.adopt() as Socket
    // Node keeps what was asked for under these symbols (no public getter): Node 20 and 24 alike.
    const setting = (name: string): unknown => socket[Object.getOwnPropertySymbols(socket).find((symbol) => symbol.description === name) as keyof Socket]
    expect([setting('kSetNoDelay'), setting('kSetKeepAlive'), setting('kSetKeepAliveInitialDelay')]).toEqual([true, true, 60])
    socket.destroy()
  })

  it('a refused connection still resolves started (nothing waits for a connect that never comes)', async () => {
    const closed = createTcpServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const port = (closed.address() as AddressInfo).port
    await new Promise<void>((resolve) => closed.close(() => resolve()))
    const early = openEarlyConnection(new URL(`http://127.0.0.1:${port}`), 5000)
    await early.started
    await expect(early.settled).resolves.toMatchObject({ connected: false, timedOut: false, error: { code: 'ECONNREFUSED' } })
  })

  it('discarded during the handshake: settles as closed, not as timed out', async () => {
    const held: Socket[] = []
    const silent = createTcpServer((socket) => held.push(socket))
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    try {
      const early = openEarlyConnection(new URL(`https://127.0.0.1:${(silent.address() as AddressInfo).port}`), 60_000)
      await early.started
      early.discard()
      const outcome = await early.settled
      expect(outcome).toMatchObject({ connected: false, timedOut: false })
      expect((outcome as { error: Error }).error.message).toBe('the connection closed during the handshake')
    } finally {
      for (const socket of held) socket.destroy()
      await new Promise<void>((resolve) => silent.close(() => resolve()))
    }
  })

  it('a reset after the handshake but before adoption is swallowed (no crash), and adopt then gives nothing', async () => {
    const early = await closedByServer((peer) => peer.resetAndDestroy())
    expect(early.adopt()).toBeUndefined()
  })

  it('a handshake that does not finish in time settles as timed out, naming the address and the bound', async () => {
    const held: Socket[] = []
    const silent = createTcpServer((socket) => held.push(socket))
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    const silentPort = (silent.address() as AddressInfo).port
    try {
      const early = openEarlyConnection(new URL(`https://127.0.0.1:${silentPort}`), 50)
      early.hold()
      const outcome = await early.settled
      expect(outcome).toMatchObject({ connected: false, timedOut: true })
      expect((outcome as { error: Error }).error.message).toBe(`connect to 127.0.0.1:${silentPort} timed out after 50 ms`)
      expect(early.adopt()).toBeUndefined()
    } finally {
      for (const socket of held) socket.destroy()
      await new Promise<void>((resolve) => silent.close(() => resolve()))
    }
  })
})

describe('proxyApplies: the corners of undici EnvHttpProxyAgent', () => {
  it.each([
    // The port comes off the end of the host only: an IPv6 literal keeps its colons.
    ['http://[::1]:8080', { HTTP_PROXY: 'http://proxy:3128', NO_PROXY: '[::1]' }, false],
    // A URL without a port has its scheme's default port, which a NO_PROXY entry may name.
    ['http://localhost', { HTTP_PROXY: 'http://proxy:3128', NO_PROXY: 'localhost:80' }, false],
    ['http://localhost', { HTTP_PROXY: 'http://proxy:3128', NO_PROXY: 'localhost:443' }, true],
    // Empty entries (a doubled comma) match nothing, not every host ending in '.'.
    ['https://api.turso.tech./', { HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: 'example.com,,' }, true],
    // An entry is host:port only when it ends in the port.
    ['https://api.turso.tech', { HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: 'api.turso.tech:443x' }, true]
  ])('%s with %j → %s', (url, env, expected) => {
    expect(proxyApplies(new URL(url), env)).toBe(expected)
  })
})
