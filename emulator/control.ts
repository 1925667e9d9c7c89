/**
 * `/_emulator/...` control routes on the API listener, for child processes and demos. Not part
 * of Turso; no auth; never recorded and never faulted.
 */
import { validateAvailability, type Availability } from './availability.js'
import { validateFault, type Fault } from './faults.js'
import type { RecordedRequest } from './server.js'

export interface ControlTarget {
  requests: RecordedRequest[]
  clearRequests(): void
  addFault(...faults: Fault[]): void
  clearFaults(): void
  pendingFaults(): number
  setAvailability(availability: Availability): void
  verifyDatabaseToken(jwt: string, database: string, organization?: string): unknown
  databases(): { organization: string; name: string; group: string; DbId: string; hostname: string }[]
}

export interface ControlAnswer {
  status: number
  json: unknown
}

function parseJson(body: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(body) }
  } catch {
    return { ok: false }
  }
}

export function handleControl(target: ControlTarget, method: string, path: string, body: string): ControlAnswer {
  const route = `${method} ${path.replace(/\/+$/, '')}`
  switch (route) {
    case 'POST /_emulator/faults': {
      const parsed = parseJson(body)
      if (!parsed.ok) return { status: 400, json: { error: 'body must be a JSON fault or an array of faults' } }
      const list = Array.isArray(parsed.value) ? parsed.value : [parsed.value]
      let faults: Fault[]
      try {
        faults = list.map(validateFault)
      } catch (e) {
        return { status: 400, json: { error: (e as Error).message } }
      }
      target.addFault(...faults)
      return { status: 200, json: { queued: faults.length, pending: target.pendingFaults() } }
    }
    case 'PUT /_emulator/availability': {
      const parsed = parseJson(body)
      if (!parsed.ok) return { status: 400, json: { error: 'body must be JSON: {"afterRotation"?: [{"mode","ms"}], "wakeUp"?: {"ms","idleAfterMs"?,"mode"?}}' } }
      try {
        target.setAvailability(validateAvailability(parsed.value))
      } catch (e) {
        return { status: 400, json: { error: (e as Error).message } }
      }
      return { status: 200, json: { availability: parsed.value } }
    }
    case 'DELETE /_emulator/faults':
      target.clearFaults()
      return { status: 200, json: { cleared: true } }
    case 'GET /_emulator/requests':
      return { status: 200, json: { requests: target.requests } }
    case 'DELETE /_emulator/requests':
      target.clearRequests()
      return { status: 200, json: { cleared: true } }
    case 'GET /_emulator/databases':
      return { status: 200, json: { databases: target.databases() } }
    case 'POST /_emulator/verify': {
      const parsed = parseJson(body)
      const value = parsed.ok ? parsed.value : undefined
      if (typeof value !== 'object' || value === null) return { status: 400, json: { error: 'body must be {"token","database","organization"?}' } }
      const { token, database, organization } = value as Record<string, unknown>
      if (typeof token !== 'string' || typeof database !== 'string' || (organization !== undefined && typeof organization !== 'string')) {
        return { status: 400, json: { error: 'body must be {"token","database","organization"?} with string values' } }
      }
      return { status: 200, json: target.verifyDatabaseToken(token, database, organization) }
    }
    default:
      return { status: 404, json: { error: `unknown emulator control route ${method} ${path}` } }
  }
}
