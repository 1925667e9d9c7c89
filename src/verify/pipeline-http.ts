/**
 * Sends one Hrana pipeline POST with undici: Bearer auth, a timeout per attempt, no
 * redirects (undici's `request` never follows them), and bounded retries for network
 * errors, timeouts, 408, 429 and 5xx only, honouring `Retry-After` up to a small cap.
 * Any other status is handed back to the caller to interpret.
 */
import { request, type Dispatcher } from 'undici'
import { sanitizeServerText } from './sanitize.js'

export const USER_AGENT = 'turso-auth-token-action (token verification)'
/** Response bodies past this are cut; a pipeline answer for our probes is a few hundred bytes. */
export const MAX_RESPONSE_BYTES = 1024 * 1024
/** Longest wait a server's `Retry-After` can ask of us. */
export const MAX_RETRY_AFTER_MS = 10_000
const BACKOFF_BASE_MS = 500
const BACKOFF_CAP_MS = 5_000

export interface PipelineHttpOptions {
  url: string
  token: string
  body: string
  timeoutMs: number
  retries: number
  dispatcher?: Dispatcher
  log: (message: string) => void
}

export interface PipelineHttpResponse {
  status: number
  headers: Record<string, string | string[] | undefined>
  bodyText: string
  attempts: number
}

/** Every attempt failed without an HTTP response (connection error or timeout). */
export class PipelineTransportError extends Error {
  constructor(
    readonly reason: string,
    readonly attempts: number
  ) {
    super(reason)
    this.name = 'PipelineTransportError'
  }
}

export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value
}

/**
 * Milliseconds to wait before retry number `attempt` (1-based). A `Retry-After` in
 * seconds or as an HTTP date wins (capped at MAX_RETRY_AFTER_MS); otherwise
 * exponential backoff with jitter: 250-500 ms, 500-1000 ms, ... up to 5 s.
 */
export function retryDelayMs(
  attempt: number,
  retryAfter: string | undefined,
  now: number = Date.now(),
  random: () => number = Math.random
): number {
  if (retryAfter !== undefined && retryAfter.trim() !== '') {
    const trimmed = retryAfter.trim()
    const askedMs = /^\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) * 1000 : Date.parse(trimmed) - now
    if (Number.isFinite(askedMs)) return Math.min(Math.max(askedMs, 0), MAX_RETRY_AFTER_MS)
  }
  const ceiling = Math.min(BACKOFF_BASE_MS * 2 ** (attempt - 1), BACKOFF_CAP_MS)
  return Math.round(ceiling / 2 + random() * (ceiling / 2))
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

async function readCapped(body: AsyncIterable<Buffer>): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of body) {
    chunks.push(chunk)
    size += chunk.length
    // Leaving the loop destroys the stream, so an oversized answer is not read to its end.
    if (size >= MAX_RESPONSE_BYTES) break
  }
  return Buffer.concat(chunks).subarray(0, MAX_RESPONSE_BYTES).toString('utf8')
}

async function sendOnce(options: PipelineHttpOptions): Promise<Omit<PipelineHttpResponse, 'attempts'>> {
  const controller = new AbortController()
  // One timer covers connecting, the headers and the whole body.
  const timer = setTimeout(() => controller.abort(), options.timeoutMs)
  try {
    const response = await request(options.url, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${options.token}`,
        'content-type': 'application/json',
        accept: 'application/json',
        'user-agent': USER_AGENT
      },
      body: options.body,
      signal: controller.signal,
      ...(options.dispatcher === undefined ? {} : { dispatcher: options.dispatcher })
    })
    const bodyText = await readCapped(response.body)
    return { status: response.statusCode, headers: response.headers, bodyText }
  } catch (error) {
    // No `cause`: lower-level errors are kept out of anything that may be printed.
    // eslint-disable-next-line preserve-caught-error
    if (controller.signal.aborted) throw new Error(`no complete answer within ${options.timeoutMs} ms`)
    throw error
  } finally {
    clearTimeout(timer)
  }
}

function describeNetworkError(error: unknown, token: string): string {
  const raw = error instanceof Error ? error.message : String(error)
  const code = error instanceof Error && 'code' in error && typeof error.code === 'string' ? ` (${error.code})` : ''
  return sanitizeServerText(`${raw}${code}`, token)
}

export async function postPipeline(options: PipelineHttpOptions): Promise<PipelineHttpResponse> {
  const maxAttempts = Math.max(0, Math.floor(options.retries)) + 1
  for (let attempt = 1; ; attempt++) {
    let outcome: string
    let retryAfter: string | undefined
    try {
      const response = await sendOnce(options)
      if (!isRetryableStatus(response.status) || attempt === maxAttempts) return { ...response, attempts: attempt }
      outcome = `HTTP ${response.status}`
      retryAfter = headerValue(response.headers['retry-after'])
    } catch (error) {
      const reason = describeNetworkError(error, options.token)
      if (attempt === maxAttempts) throw new PipelineTransportError(reason, attempt)
      outcome = reason
    }
    const delay = retryDelayMs(attempt, retryAfter)
    options.log(`Attempt ${attempt}/${maxAttempts} failed: ${outcome}; retrying in ${delay} ms`)
    await sleep(delay)
  }
}
