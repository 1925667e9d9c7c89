/** Programmable faults: canned responses, delays and dropped connections for matching requests. */

export interface Fault {
  method?: string
  /** Exact decoded path, a prefix ending in `*`, or a RegExp tested against the decoded path. */
  path?: string | RegExp
  /** Which listener it applies to; default `api`. `libsql` faults match the database listeners' requests. */
  target?: 'api' | 'libsql'
  status?: number
  body?: string
  headers?: Record<string, string>
  delayMs?: number
  reset?: boolean
  /** Carry the request out for real, then drop the connection instead of answering: the answer is lost in transit. */
  dropResponse?: boolean
  /** How many matching requests it applies to; default 1. */
  times?: number
  /** How many matching requests pass untouched before it applies (e.g. the second of two identical POSTs); default 0. */
  skip?: number
}

interface QueuedFault {
  fault: Fault
  remaining: number
  skipping: number
}

function pathMatches(pattern: Fault['path'], decodedPath: string): boolean {
  if (pattern === undefined) return true
  if (pattern instanceof RegExp) {
    pattern.lastIndex = 0
    return pattern.test(decodedPath)
  }
  return pattern.endsWith('*') ? decodedPath.startsWith(pattern.slice(0, -1)) : decodedPath === pattern
}

/** Throws with a readable message when a fault (e.g. from JSON) is malformed. */
export function validateFault(value: unknown): Fault {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('a fault must be a JSON object')
  const fault = value as Record<string, unknown>
  const known = new Set(['method', 'path', 'target', 'status', 'body', 'headers', 'delayMs', 'reset', 'dropResponse', 'times', 'skip'])
  for (const key of Object.keys(fault)) if (!known.has(key)) throw new Error(`unknown fault field "${key}"`)
  const optional = (key: string, type: string): void => {
    if (fault[key] !== undefined && typeof fault[key] !== type) throw new Error(`fault field "${key}" must be a ${type}`)
  }
  optional('method', 'string')
  optional('body', 'string')
  optional('reset', 'boolean')
  optional('dropResponse', 'boolean')
  if (fault.path !== undefined && typeof fault.path !== 'string' && !(fault.path instanceof RegExp)) throw new Error('fault field "path" must be a string')
  if (fault.target !== undefined && fault.target !== 'api' && fault.target !== 'libsql') throw new Error('fault field "target" must be "api" or "libsql"')
  const integerIn = (key: string, min: number, max: number): void => {
    const v = fault[key]
    if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)) {
      throw new Error(`fault field "${key}" must be an integer from ${min} to ${max}`)
    }
  }
  integerIn('status', 100, 599)
  integerIn('delayMs', 0, 600_000)
  integerIn('times', 1, 1_000_000)
  integerIn('skip', 0, 1_000_000)
  if (fault.headers !== undefined) {
    const headers = fault.headers
    if (typeof headers !== 'object' || headers === null || Array.isArray(headers) || !Object.values(headers).every((h) => typeof h === 'string')) {
      throw new Error('fault field "headers" must be an object of strings')
    }
  }
  return fault as Fault
}

export class FaultQueue {
  private queue: QueuedFault[] = []

  add(...faults: Fault[]): void {
    for (const fault of faults) this.queue.push({ fault: validateFault(fault), remaining: fault.times ?? 1, skipping: fault.skip ?? 0 })
  }

  clear(): void {
    this.queue = []
  }

  get size(): number {
    return this.queue.length
  }

  /** Consumes one use of the first fault that matches, if any. */
  take(target: 'api' | 'libsql', method: string, decodedPath: string): Fault | undefined {
    const index = this.queue.findIndex(
      ({ fault }) =>
        (fault.target ?? 'api') === target &&
        (fault.method === undefined || fault.method.toUpperCase() === method.toUpperCase()) &&
        pathMatches(fault.path, decodedPath)
    )
    if (index < 0) return undefined
    const entry = this.queue[index] as QueuedFault
    if (entry.skipping > 0) {
      entry.skipping -= 1
      return undefined
    }
    entry.remaining -= 1
    if (entry.remaining <= 0) this.queue.splice(index, 1)
    return entry.fault
  }
}

/** True when the fault replaces the real response (as opposed to only delaying it). */
export function isCannedResponse(fault: Fault): boolean {
  return fault.status !== undefined || fault.body !== undefined || fault.headers !== undefined
}
