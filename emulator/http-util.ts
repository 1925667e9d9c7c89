/** Small helpers shared by the emulator's listeners. */
import type { IncomingMessage, ServerResponse } from 'node:http'

/** Largest request body the emulator reads; Turso requests are tiny. */
const MAX_BODY_BYTES = 1024 * 1024

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_BODY_BYTES) {
        reject(new Error('request body too large'))
        req.destroy()
        return
      }
      chunks.push(chunk)
    })
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

export interface ParsedTarget {
  /** Raw path, still percent-encoded, without the query. */
  rawPath: string
  /** Whole path percent-decoded (for fault matching); the raw path if it cannot be decoded. */
  decodedPath: string
  /** Path segments, each percent-decoded; undefined if a segment has invalid encoding. */
  segments: string[] | undefined
  query: Record<string, string>
}

export function parseTarget(url: string | undefined): ParsedTarget {
  const target = url ?? '/'
  const queryStart = target.indexOf('?')
  const rawPath = queryStart < 0 ? target : target.slice(0, queryStart)
  const query: Record<string, string> = {}
  if (queryStart >= 0) {
    // First value wins for repeated keys, like Go's url.Values.Get.
    for (const [key, value] of new URLSearchParams(target.slice(queryStart + 1))) if (!(key in query)) query[key] = value
  }
  let decodedPath = rawPath
  try {
    decodedPath = decodeURIComponent(rawPath)
  } catch {
    // keep the raw form
  }
  let segments: string[] | undefined
  try {
    segments = rawPath.split('/').slice(1).map((s) => decodeURIComponent(s))
  } catch {
    segments = undefined
  }
  return { rawPath, decodedPath, segments, query }
}

export function flattenHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value
  }
  return headers
}

export function sendJson(res: ServerResponse, status: number, body: unknown, extraHeaders: Record<string, string> = {}): void {
  const text = JSON.stringify(body)
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...extraHeaders })
  res.end(text)
}

export function sendText(res: ServerResponse, status: number, text: string, contentType = 'text/plain'): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text) })
  res.end(text)
}

export function sendEmpty(res: ServerResponse, status: number): void {
  res.writeHead(status, { 'content-length': 0 })
  res.end()
}

export function sendError(res: ServerResponse, status: number, message: string): void {
  sendJson(res, status, { error: message })
}

/** The bearer credential of an `Authorization` header, or undefined if the header is absent or not Bearer. */
export function bearerToken(headers: Record<string, string>): { scheme: string; token: string } | undefined {
  const header = headers.authorization
  if (header === undefined) return undefined
  const match = /^(\S+)\s+(.*)$/.exec(header.trim())
  if (match === null) return { scheme: header.trim(), token: '' }
  return { scheme: match[1] as string, token: (match[2] as string).trim() }
}
