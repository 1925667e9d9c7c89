import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { connect as netConnect, createServer as createTcpServer, type AddressInfo, type Server, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createServer as createTlsServer, type TLSSocket } from 'node:tls'

/**
 * Loopback TLS for the tests and the benchmark: a throw-away certificate, a TLS server that
 * forwards what it decrypts to a plain-http server (the emulator), and a TCP relay that delays
 * every chunk each way (a link with latency) and records what passed through it.
 */

export interface ThrowAwayCertificate {
  /** PEM file of the (self-signed) certificate: what NODE_EXTRA_CA_CERTS points at to trust it. */
  certFile: string
  cert: string
  key: string
  remove(): void
}

/**
 * A self-signed certificate for 127.0.0.1 and localhost, valid one day, made with the `openssl`
 * command (node:crypto cannot write X.509 certificates).
 */
export function makeThrowAwayCertificate(): ThrowAwayCertificate {
  const dir = mkdtempSync(join(tmpdir(), 'turso-tls-'))
  const certFile = join(dir, 'cert.pem')
  const keyFile = join(dir, 'key.pem')
  // prettier-ignore
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
    '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
    '-keyout', keyFile, '-out', certFile
  ], { stdio: 'ignore' })
  return { certFile, cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8'), remove: () => rmSync(dir, { recursive: true, force: true }) }
}

export interface TlsFront {
  /** https://127.0.0.1:PORT */
  url: string
  /** TCP connections accepted. */
  connections: number
  /** Connections whose handshake completed. */
  secureConnections: number
  /** performance.now() when the first decrypted byte (the first request) arrived, since the last reset. */
  firstRequestByteAt: number | undefined
  /** performance.now() when the first byte of any connection (a ClientHello) arrived, since the last reset. */
  firstTlsByteAt: number | undefined
  /** Remote ports of the connections that carried requests, in order. */
  requestPorts: number[]
  reset(): void
  close(): Promise<void>
}

/** A TLS server on 127.0.0.1 that relays each connection's plaintext to `target` (http://host:port). */
export async function startTlsFront(target: URL, certificate: { cert: string; key: string }): Promise<TlsFront> {
  const sockets = new Set<Socket>()
  const server = createTlsServer({ cert: certificate.cert, key: certificate.key, ALPNProtocols: ['http/1.1'] }, (socket: TLSSocket) => {
    front.secureConnections += 1
    const upstream = netConnect({ host: target.hostname, port: Number(target.port) })
    sockets.add(upstream)
    upstream.on('close', () => sockets.delete(upstream))
    let first = true
    socket.on('data', (chunk: Buffer) => {
      if (first) {
        first = false
        front.firstRequestByteAt ??= performance.now()
        front.requestPorts.push(socket.remotePort ?? 0)
      }
      upstream.write(chunk)
    })
    socket.on('end', () => upstream.end())
    upstream.pipe(socket)
    socket.on('error', () => upstream.destroy())
    upstream.on('error', () => socket.destroy())
    socket.on('close', () => upstream.destroy())
  })
  server.on('connection', (socket: Socket) => {
    front.connections += 1
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.once('data', () => {
      front.firstTlsByteAt ??= performance.now()
    })
  })
  // A client that rejects the certificate aborts the handshake: expected, not a server failure.
  server.on('tlsClientError', () => undefined)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const front: TlsFront = {
    url: `https://127.0.0.1:${port}`,
    connections: 0,
    secureConnections: 0,
    firstRequestByteAt: undefined,
    firstTlsByteAt: undefined,
    requestPorts: [],
    reset() {
      front.connections = 0
      front.secureConnections = 0
      front.firstRequestByteAt = undefined
      front.firstTlsByteAt = undefined
      front.requestPorts = []
    },
    close: () => closeServer(server, sockets)
  }
  return front
}

export interface LatencyRelay {
  /** e.g. https://127.0.0.1:PORT, the target's scheme with the relay's port. */
  url: string
  connections: number
  /** Everything clients sent, in order of arrival (for checks that nothing went in clear). */
  received: Buffer[]
  /** performance.now() when a client's first byte reached the relay (left the client), since the last reset. */
  firstByteAt: number | undefined
  reset(): void
  close(): Promise<void>
}

/**
 * A TCP relay on 127.0.0.1 to `target` that delivers each chunk, each way, `delayMs` after it
 * arrived, in order: a link with a one-way latency of `delayMs` (round trip 2 × delayMs) and no
 * bandwidth limit. Connection set-up itself is not delayed (the SYN round trip is free), so a TLS
 * 1.3 request costs 1.5 round trips before its first byte reaches the server.
 */
export async function startLatencyRelay(target: URL, delayMs: number, port = 0): Promise<LatencyRelay> {
  const sockets = new Set<Socket>()
  const server = createTcpServer((client) => {
    relay.connections += 1
    const upstream = netConnect({ host: target.hostname, port: Number(target.port) })
    for (const socket of [client, upstream]) {
      sockets.add(socket)
      socket.setNoDelay(true)
      socket.on('close', () => sockets.delete(socket))
    }
    forward(client, upstream, delayMs, (chunk) => {
      relay.firstByteAt ??= performance.now()
      relay.received.push(chunk)
    })
    forward(upstream, client, delayMs)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', resolve)
  })
  const relay: LatencyRelay = {
    url: `${target.protocol}//127.0.0.1:${(server.address() as AddressInfo).port}`,
    connections: 0,
    received: [],
    firstByteAt: undefined,
    reset() {
      relay.connections = 0
      relay.received = []
      relay.firstByteAt = undefined
    },
    close: () => closeServer(server, sockets)
  }
  return relay
}

/** Copies `from` to `to`, each chunk (and the end, and a reset) `delayMs` after it arrived, in order. */
function forward(from: Socket, to: Socket, delayMs: number, record?: (chunk: Buffer) => void): void {
  let due = 0
  const later = (action: () => void): void => {
    due = Math.max(performance.now() + delayMs, due)
    const timer = setTimeout(action, Math.max(0, due - performance.now()))
    timer.unref()
  }
  from.on('data', (chunk: Buffer) => {
    record?.(chunk)
    later(() => {
      if (!to.destroyed) to.write(chunk)
    })
  })
  let ended = false
  from.on('end', () => {
    ended = true
    later(() => to.end())
  })
  from.on('error', () => undefined)
  // A connection that closed without ending (a reset) is cut on the other side too.
  from.on('close', () => {
    if (!ended) later(() => to.destroy())
  })
}

function closeServer(server: Server, sockets: Set<Socket>): Promise<void> {
  return new Promise<void>((resolve) => {
    for (const socket of sockets) socket.destroy()
    server.close(() => resolve())
  })
}
