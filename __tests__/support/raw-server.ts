/**
 * A bare TCP listener on 127.0.0.1 that hands each connection to a script: for answers no
 * well-behaved HTTP server gives (garbage, a body that drips, a cut-off body), and as a "second
 * origin" that proves nobody connected to it.
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net'

export interface RawServer {
  /** e.g. http://127.0.0.1:PORT */
  url: string
  /** Connections accepted so far. */
  connections: number
  close(): Promise<void>
}

/** `respond` is called once per connection with the first chunk the client sent. */
export async function startRawServer(respond: (socket: Socket, firstChunk: string) => void = () => {}): Promise<RawServer> {
  const sockets = new Set<Socket>()
  const server: Server = createServer((socket) => {
    sockets.add(socket)
    raw.connections += 1
    let answered = false
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => socket.destroy())
    socket.on('data', (chunk: Buffer) => {
      if (answered) return
      answered = true
      respond(socket, chunk.toString('latin1'))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const raw: RawServer = {
    url: `http://127.0.0.1:${port}`,
    connections: 0,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      })
  }
  return raw
}

/** Writes `chunk` every `everyMs` until the socket closes (which stops it): a body or headers that never end. */
export function drip(socket: Socket, chunk: string, everyMs: number): void {
  const timer = setInterval(() => {
    if (socket.destroyed) clearInterval(timer)
    else socket.write(chunk)
  }, everyMs)
  socket.on('close', () => clearInterval(timer))
}

/**
 * Answers every request 200 with `totalBytes` of JSON-looking text ('a's) in 64 KiB chunks
 * (chunked, so no content-length to refuse up front), written only as fast as the reader takes it.
 */
export function startHugeAnswerServer(totalBytes: number): Promise<RawServer> {
  return startRawServer((socket) => {
    socket.write('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n')
    const size = 64 * 1024
    const chunk = `${size.toString(16)}\r\n${'a'.repeat(size)}\r\n`
    let sent = 0
    const pump = (): void => {
      while (sent < totalBytes && !socket.destroyed) {
        sent += size
        if (!socket.write(chunk)) {
          socket.once('drain', pump)
          return
        }
      }
      if (!socket.destroyed) socket.end('0\r\n\r\n')
    }
    pump()
  })
}
