/**
 * The few pieces of Hrana-over-HTTP JSON that token verification needs: building a
 * pipeline request body and reading a pipeline response defensively.
 * Spec: tursodatabase/libsql docs/HRANA_3_SPEC.md, "Hrana over HTTP" and "Shared structures".
 */
import { decodeJsonEscapes } from '../runner/secrets.js'

/** `POST /v2/pipeline` with JSON: the endpoint every libsql-server and the JSON @libsql/client use. */
export const PIPELINE_PATH = '/v2/pipeline'

/** Hrana `Error`: `{"message": string, "code"?: string | null}`. */
export interface HranaError {
  message: string
  code?: string
}

/** One entry of `results` in a pipeline response. `response` is left unparsed until a caller looks at it. */
export type StreamResult = { type: 'ok'; response: unknown } | { type: 'error'; error: HranaError }

export type PipelineParse = { ok: true; results: StreamResult[] } | { ok: false; problem: string }

/**
 * A pipeline on a new stream (`baton: null`) that executes each statement in order and
 * then closes the stream, so the server keeps no state after answering.
 */
export function pipelineRequestBody(statements: ReadonlyArray<{ sql: string; wantRows: boolean }>): string {
  const requests: unknown[] = statements.map(({ sql, wantRows }) => ({
    type: 'execute',
    stmt: { sql, want_rows: wantRows }
  }))
  requests.push({ type: 'close' })
  return JSON.stringify({ baton: null, requests })
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function parseHranaError(value: unknown): HranaError | undefined {
  if (!isRecord(value) || typeof value.message !== 'string') return undefined
  return typeof value.code === 'string' && value.code !== '' ? { message: value.message, code: value.code } : { message: value.message }
}

/** Parses a 200 pipeline response body; `expectedResults` is the number of requests sent (one result each). */
export function parsePipelineResponse(bodyText: string, expectedResults: number): PipelineParse {
  let body: unknown
  try {
    body = JSON.parse(bodyText)
  } catch {
    return { ok: false, problem: 'the response body is not JSON' }
  }
  if (!isRecord(body)) return { ok: false, problem: 'the response body is not a JSON object' }
  if (!Array.isArray(body.results)) return { ok: false, problem: 'the response has no "results" array' }
  if (body.results.length !== expectedResults) {
    return { ok: false, problem: `the response has ${body.results.length} results for ${expectedResults} requests` }
  }

  const results: StreamResult[] = []
  for (const [index, entry] of body.results.entries()) {
    if (isRecord(entry) && entry.type === 'ok') {
      results.push({ type: 'ok', response: entry.response })
      continue
    }
    const error = isRecord(entry) && entry.type === 'error' ? parseHranaError(entry.error) : undefined
    if (error === undefined) return { ok: false, problem: `result ${index} is neither {"type":"ok"} nor a {"type":"error"} with a message` }
    results.push({ type: 'error', error })
  }
  return { ok: true, results }
}

/** The `rows` of an `execute` response (`{"type":"execute","result":{"rows":[...]}}`), or undefined if it is not one. */
export function executeRows(response: unknown): unknown[] | undefined {
  if (!isRecord(response) || response.type !== 'execute' || !isRecord(response.result)) return undefined
  return Array.isArray(response.result.rows) ? response.result.rows : undefined
}

/** True when the rows are exactly one row holding the integer 1 (Hrana JSON sends integers as strings). */
export function isSingleIntegerOne(rows: unknown[]): boolean {
  if (rows.length !== 1) return false
  const row = rows[0]
  if (!Array.isArray(row) || row.length !== 1) return false
  const cell: unknown = row[0]
  return isRecord(cell) && cell.type === 'integer' && cell.value === '1'
}

/**
 * The message in an HTTP error body. libsql-server sends `{"error": "..."}` (its
 * `ResponseError::format_err`); Hrana servers may send an `Error` (`{"message", "code"}`);
 * proxies send text or HTML. Returns the raw text when no structure is recognised.
 */
export function errorBodyMessage(bodyText: string): HranaError {
  try {
    const body: unknown = JSON.parse(bodyText)
    if (isRecord(body)) {
      if (typeof body.error === 'string') return { message: body.error }
      const nested = parseHranaError(body.error) ?? parseHranaError(body)
      if (nested !== undefined) return nested
    }
  } catch {
    // Not JSON: fall through to the raw text.
  }
  // Decoded when it is JSON, so an echoed token spelled with `\u` escapes is redacted later.
  const text = decodeJsonEscapes(bodyText.trim())
  return { message: text === '' ? '(empty body)' : text }
}
