/**
 * A real HTTP proxy on 127.0.0.1 for tests: it forwards absolute-form requests
 * (`GET http://host:port/path HTTP/1.1`) and tunnels CONNECT, and records what passed through.
 * undici's ProxyAgent tunnels even plain-http targets with CONNECT, so tunnels are the usual
 * case; for a tunnel carrying plain HTTP the request lines inside it are recorded too.
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { connect, type AddressInfo, type Socket } from 'node:net'
import { useServer } from './lifecycle.js'

export interface ProxiedRequest {
  kind: 'forward' | 'connect'
  /** `host:port` the client asked for. */
  target: string
  /**
   * forward: `METHOD /path?query`; connect: each request line seen inside the tunnel when it
   * carries plain HTTP (the tunnel is kept alive for later requests), none for TLS.
   */
  requestLines: string[]
  /** Lower-cased header names of the proxy request (the CONNECT itself, for tunnels). */
  headers: Record<string, string | string[] | undefined>
}

export interface ProxyBehaviour {
  /** Answer every CONNECT / forward with this status instead of passing it on (e.g. 407, 502). */
  refuseWith?: number
  /** Accept the connection and never answer: a black hole. */
  silent?: boolean
  /** Tunnel every CONNECT to this `host:port` instead of the one asked for. */
  redirectTunnelsTo?: string
}

export interface TestProxy {
  /** e.g. http://127.0.0.1:PORT */
  url: string
  requests: ProxiedRequest[]
  behaviour: ProxyBehaviour
  close(): Promise<void>
}

function splitHostPort(target: string, defaultPort: number): { host: string; port: number } {
  const match = /^\[?([^\]]+?)\]?(?::(\d+))?$/.exec(target)
  return { host: match?.[1] ?? target, port: match?.[2] !== undefined ? Number(match[2]) : defaultPort }
}

export async function startHttpProxy(behaviour: ProxyBehaviour = {}): Promise<TestProxy> {
  const requests: ProxiedRequest[] = []
  const sockets = new Set<Socket>()
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://invalid')
    const record: ProxiedRequest = { kind: 'forward', target: url.host, requestLines: [`${req.method} ${url.pathname}${url.search}`], headers: req.headers }
    requests.push(record)
    if (proxy.behaviour.silent === true) return
    if (proxy.behaviour.refuseWith !== undefined) {
      res.writeHead(proxy.behaviour.refuseWith, { 'content-length': '0' }).end()
      return
    }
    const { host, port } = splitHostPort(url.host, 80)
    // Hop-by-hop proxy headers stay here, as a real proxy drops them.
    const headers = { ...req.headers }
    delete headers['proxy-authorization']
    delete headers['proxy-connection']
    const upstream = httpRequest({ host, port, method: req.method, path: `${url.pathname}${url.search}`, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers)
      answer.pipe(res)
    })
    upstream.on('error', () => res.destroy())
    req.pipe(upstream)
  })

  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })

  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    const record: ProxiedRequest = { kind: 'connect', target: req.url ?? '', requestLines: [], headers: req.headers }
    requests.push(record)
    client.on('error', () => client.destroy())
    if (proxy.behaviour.silent === true) return
    if (proxy.behaviour.refuseWith !== undefined) {
      client.end(`HTTP/1.1 ${proxy.behaviour.refuseWith} Refused\r\ncontent-length: 0\r\n\r\n`)
      return
    }
    // Plain HTTP inside the tunnel shows its request line; TLS shows bytes we do not read.
    const sniff = (chunk: Buffer): void => {
      const firstLine = chunk.toString('latin1').split('\r\n')[0]
      if (/^[A-Z]+ \S+ HTTP\/1\.1$/.test(firstLine)) record.requestLines.push(firstLine.replace(/ HTTP\/1\.1$/, ''))
    }
    const { host, port } = splitHostPort(proxy.behaviour.redirectTunnelsTo ?? req.url ?? '', 443)
    const upstream = connect(port, host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      if (head.length > 0) {
        sniff(head)
        upstream.write(head)
      }
      client.on('data', sniff)
      client.pipe(upstream)
      upstream.pipe(client)
    })
    sockets.add(upstream)
    upstream.on('close', () => sockets.delete(upstream))
    upstream.on('error', () => client.destroy())
  })

  server.on('clientError', (_error, socket) => socket.destroy())
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo

  const proxy: TestProxy = {
    url: `http://127.0.0.1:${port}`,
    requests,
    behaviour,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
        server.closeAllConnections()
      })
  }
  return proxy
}

/** One proxy per test file, with its recorded requests and its behaviour cleared before each test. */
export function useHttpProxy(): TestProxy {
  return useServer(startHttpProxy, (proxy) => {
    proxy.requests.length = 0
    proxy.behaviour = {}
  })
}
