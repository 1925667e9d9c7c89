/**
 * When a database answers at all: the short downtime Turso documents after a token rotation, and
 * the slow first answer of an idle database. Both are off unless configured (tests, the demo).
 *
 * - Rotation: "This operation cannot be reverted. A short downtime is required to complete the
 *   changes." (docs.turso.tech api-reference/databases/invalidate-tokens and groups/invalidate-tokens).
 *   No duration or failure shape is documented, so the phases are configurable: HTTP 503, a reset
 *   connection, or 401 "The JWT is invalid" for any token while the new signing key reaches the
 *   database. Tokens are signed per group, so the downtime covers every database of the group.
 * - Wake-up: idle databases take seconds to answer their first query (see
 *   ../shared/reference/turso-platform-api.md §3); `hold` delays the answer, `503` refuses until awake.
 */

export type DowntimeMode = '503' | 'reset' | '401'

export interface DowntimePhase {
  mode: DowntimeMode
  /** How long this phase lasts, in milliseconds; phases follow one another from the rotation on. */
  ms: number
}

export interface WakeUp {
  /** How long an idle database takes to wake, in milliseconds. */
  ms: number
  /** A database with no request for this long is idle again; default: never (it sleeps only until its first request). */
  idleAfterMs?: number
  /** `hold` (default) delays each answer until awake; `503` answers 503 until awake. */
  mode?: 'hold' | '503'
}

export interface Availability {
  /** What the databases of a group do after its tokens are rotated, phase after phase. */
  afterRotation?: DowntimePhase[]
  wakeUp?: WakeUp
}

/** What a database request meets right now. */
export type Outage = { kind: 'none' } | { kind: DowntimeMode } | { kind: 'hold'; ms: number }

const MAX_MS = 600_000

/** Throws with a readable message when a configuration (e.g. from JSON) is malformed. */
export function validateAvailability(value: unknown): Availability {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('availability must be a JSON object')
  const config = value as Record<string, unknown>
  for (const key of Object.keys(config)) if (key !== 'afterRotation' && key !== 'wakeUp') throw new Error(`unknown availability field "${key}"`)
  const duration = (where: string, ms: unknown): void => {
    if (typeof ms !== 'number' || !Number.isInteger(ms) || ms < 0 || ms > MAX_MS) throw new Error(`${where} must be an integer from 0 to ${MAX_MS}`)
  }
  if (config.afterRotation !== undefined) {
    if (!Array.isArray(config.afterRotation)) throw new Error('afterRotation must be an array of {mode, ms}')
    for (const [index, phase] of (config.afterRotation as unknown[]).entries()) {
      const { mode, ms, ...rest } = (typeof phase === 'object' && phase !== null ? phase : {}) as Record<string, unknown>
      if (Object.keys(rest).length > 0) throw new Error(`afterRotation[${index}] has unknown fields`)
      if (mode !== '503' && mode !== 'reset' && mode !== '401') throw new Error(`afterRotation[${index}].mode must be "503", "reset" or "401"`)
      duration(`afterRotation[${index}].ms`, ms)
    }
  }
  if (config.wakeUp !== undefined) {
    const { ms, idleAfterMs, mode, ...rest } = (typeof config.wakeUp === 'object' && config.wakeUp !== null ? config.wakeUp : {}) as Record<string, unknown>
    if (Object.keys(rest).length > 0) throw new Error('wakeUp has unknown fields')
    duration('wakeUp.ms', ms)
    if (idleAfterMs !== undefined) duration('wakeUp.idleAfterMs', idleAfterMs)
    if (mode !== undefined && mode !== 'hold' && mode !== '503') throw new Error('wakeUp.mode must be "hold" or "503"')
  }
  return config as Availability
}

/** Per-database and per-group times, on the monotonic clock the emulator passes in. */
export interface AvailabilityClocks {
  /** When the database's group was last rotated; undefined if never. */
  rotatedAt?: number
  /** When the database last answered a request; undefined if never. */
  lastActiveAt?: number
  /** When the database started waking up, if it is waking. */
  wakingSince?: number
}

/** The rotation downtime phase in force `now`, if any. */
export function rotationOutage(config: Availability, rotatedAt: number | undefined, now: number): Outage {
  if (rotatedAt === undefined || config.afterRotation === undefined) return { kind: 'none' }
  let end = rotatedAt
  for (const phase of config.afterRotation) {
    end += phase.ms
    if (now < end) return { kind: phase.mode }
  }
  return { kind: 'none' }
}

/**
 * Whether the database is asleep or still waking. Updates `clocks.wakingSince`: the first request
 * to an idle database starts the wake-up; it is awake `wakeUp.ms` later.
 */
export function wakeUpOutage(config: Availability, clocks: AvailabilityClocks, now: number): Outage {
  const wakeUp = config.wakeUp
  if (wakeUp === undefined) return { kind: 'none' }
  if (clocks.wakingSince === undefined) {
    const idle =
      clocks.lastActiveAt === undefined || (wakeUp.idleAfterMs !== undefined && now - clocks.lastActiveAt >= wakeUp.idleAfterMs)
    if (!idle) return { kind: 'none' }
    clocks.wakingSince = now
  }
  const awakeAt = clocks.wakingSince + wakeUp.ms
  if (now >= awakeAt) {
    clocks.wakingSince = undefined
    return { kind: 'none' }
  }
  return wakeUp.mode === '503' ? { kind: '503' } : { kind: 'hold', ms: awakeAt - now }
}
