import { connect as netConnect, isIP, type NetConnectOpts, type Socket } from 'node:net'
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls'

/**
 * A TCP (+ TLS) connection to the API, opened while the rest of the action is still loading, so
 * the handshake's round trips overlap module loading instead of following it. The HTTP client
 * takes it for its first connection to that origin (src/http/early-connector.ts); if nobody
 * takes it, it is destroyed and never kept the process alive.
 */
export interface EarlyConnection {
  /** `https://host[:port]`, as URL.origin gives it. */
  readonly origin: string
  /**
   * Resolves once the TCP connection is up (and, for https, the ClientHello handed to the kernel,
   * which happens in the same tick), or has failed: never rejects.
   */
  readonly started: Promise<void>
  /** Settles once: connected (for https: handshaken and the certificate verified), or why not. */
  readonly settled: Promise<EarlyOutcome>
  /** For a caller about to wait on `settled`: from now on the pending connection keeps the process alive. */
  hold(): void
  /** After a successful `settled`: the socket, now the caller's, or undefined if it has closed since. */
  adopt(): Socket | undefined
  /** Destroys the socket (a run that ended before its first request). */
  discard(): void
}

export type EarlyOutcome = { connected: true } | { connected: false; error: Error; timedOut: boolean }

/**
 * Opens the connection the way undici's own connector (undici/lib/core/connect.js) would:
 * ALPN http/1.1, SNI from the host name (none for an IP address), Node's certificate checks
 * (the bundled CAs plus NODE_EXTRA_CA_CERTS; rejectUnauthorized stays on), keep-alive after
 * 60 s, no Nagle. `timeoutMs` bounds it like the `timeout` input bounds a connect.
 */
export function openEarlyConnection(url: URL, timeoutMs: number): EarlyConnection {
  const hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname
  const https = url.protocol === 'https:'
  const port = Number(url.port) || (https ? 443 : 80)
  // highWaterMark as undici sets it (missing from @types/node 20's option types).
  const tlsOptions: ConnectionOptions = { host: hostname, port, servername: isIP(hostname) === 0 ? hostname : undefined, ALPNProtocols: ['http/1.1'] }
  const tcpOptions: NetConnectOpts = { host: hostname, port }
  const socket: Socket = https
    ? tlsConnect({ highWaterMark: 16384, ...tlsOptions } as ConnectionOptions)
    : netConnect({ highWaterMark: 64 * 1024, ...tcpOptions } as NetConnectOpts)
  socket.setKeepAlive(true, 60e3).setNoDelay(true)
  // Until it is adopted, this socket must not keep a finished (or failed) run waiting.
  socket.unref()
  // Errors before adoption are ours to catch (an unhandled 'error' would crash the process); adopt
  // then finds the socket unusable.
  const guard = (): void => undefined
  socket.on('error', guard)
  const started = new Promise<void>((resolve) => {
    socket.once('connect', () => resolve())
    socket.once('close', () => resolve())
  })
  const settled = new Promise<EarlyOutcome>((resolve) => {
    const readyEvent = https ? 'secureConnect' : 'connect'
    const timer = setTimeout(() => fail(new Error(`connect to ${hostname}:${port} timed out after ${timeoutMs} ms`), true), timeoutMs)
    timer.unref()
    const onReady = (): void => {
      cleanup()
      resolve({ connected: true })
    }
    const onError = (error: Error): void => fail(error, false)
    const onClose = (): void => fail(new Error('the connection closed during the handshake'), false)
    function fail(error: Error, timedOut: boolean): void {
      cleanup()
      socket.destroy()
      resolve({ connected: false, error, timedOut })
    }
    function cleanup(): void {
      clearTimeout(timer)
      socket.off(readyEvent, onReady)
      socket.off('error', onError)
      socket.off('close', onClose)
    }
    socket.once(readyEvent, onReady)
    socket.on('error', onError)
    socket.once('close', onClose)
  })
  return {
    origin: url.origin,
    started,
    settled,
    hold: () => {
      socket.ref()
    },
    adopt: () => {
      // Not writable covers every way it can have died: destroyed, errored, closed, or ended by
      // the server (allowHalfOpen is off, so Node then ends our side too).
      if (!socket.writable) {
        socket.destroy()
        return undefined
      }
      socket.off('error', guard)
      socket.ref()
      return socket
    },
    discard: () => {
      socket.destroy()
    }
  }
}

/** Connections opened at start-up and not taken yet, in the order they were opened. */
const offered: EarlyConnection[] = []

/** Makes `connection` available to the next connect of an HTTP client to its origin. */
export function offerEarlyConnection(connection: EarlyConnection): void {
  offered.push(connection)
}

/** Whether a connection to `origin` is on offer. */
export function hasEarlyConnection(origin: string): boolean {
  return offered.some((connection) => connection.origin === origin)
}

/** The first offered connection to `origin`, if any; each is given out once. */
export function takeEarlyConnection(origin: string): EarlyConnection | undefined {
  const index = offered.findIndex((connection) => connection.origin === origin)
  return index === -1 ? undefined : offered.splice(index, 1)[0]
}

/** Destroys the offered connections nobody took (a run that ended before needing them). */
export function discardEarlyConnection(): void {
  for (const connection of offered.splice(0)) connection.discard()
}
