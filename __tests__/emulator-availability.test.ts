/** The emulator's post-rotation downtime, idle wake-up, and group-wide rotation. */
import { describe, expect, it } from '@jest/globals'
import { rotationOutage, validateAvailability, wakeUpOutage, type AvailabilityClocks } from '../emulator/availability.js'
import { useEmulator } from './support/emulator.js'

const emulator = useEmulator()

const auth = (): Record<string, string> => ({ authorization: `Bearer ${emulator.apiToken}` })

async function mint(database: string): Promise<string> {
  const response = await fetch(`${emulator.url}/v1/organizations/acme/databases/${database}/auth/tokens?authorization=full-access`, { method: 'POST', headers: auth() })
  return ((await response.json()) as { jwt: string }).jwt
}

async function rotate(path: string): Promise<void> {
  const response = await fetch(`${emulator.url}${path}`, { method: 'POST', headers: auth() })
  expect(response.status).toBe(200)
}

/** SELECT 1 on a database's listener: its HTTP status, or 'reset' when the connection is dropped. */
async function select(database: string, token: string): Promise<number | 'reset'> {
  const body = JSON.stringify({ baton: null, requests: [{ type: 'execute', stmt: { sql: 'SELECT 1', want_rows: true } }, { type: 'close' }] })
  try {
    const response = await fetch(`http://${emulator.hostnameOf(database, 'acme')}/v2/pipeline`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body
    })
    await response.arrayBuffer()
    return response.status
  } catch {
    return 'reset'
  }
}

describe('rotating a database rotates its whole group (Turso signs tokens per group)', () => {
  it('kills the tokens of every database of the group, and no other group', async () => {
    const appDb = await mint('app-db')
    const analytics = await mint('analytics')
    const staging = await mint('staging-db')
    await rotate('/v1/organizations/acme/databases/app-db/auth/rotate')
    expect(emulator.verifyDatabaseToken(appDb, 'app-db', 'acme').valid).toBe(false)
    expect(emulator.verifyDatabaseToken(analytics, 'analytics', 'acme').valid).toBe(false)
    expect(emulator.verifyDatabaseToken(staging, 'staging-db', 'acme').valid).toBe(true)
  })
})

describe('downtime after a rotation', () => {
  it.each<['503' | 'reset' | '401', number | 'reset']>([
    ['503', 503],
    ['reset', 'reset'],
    ['401', 401]
  ])('mode %s: every database of the rotated group is down, the other groups are not; then it is back', async (mode, seen) => {
    // A phase far longer than the test, ended by switching the configuration off: no timing in the assertions.
    emulator.setAvailability({ afterRotation: [{ mode, ms: 600_000 }] })
    await rotate('/v1/organizations/acme/groups/default/auth/rotate')
    const fresh = await mint('app-db')
    expect(await select('app-db', fresh)).toBe(seen)
    expect(await select('analytics', await mint('analytics'))).toBe(seen)
    expect(await select('staging-db', await mint('staging-db'))).toBe(200)
    emulator.setAvailability({})
    expect(await select('app-db', fresh)).toBe(200)
  })

  it('does nothing for a group that was never rotated', async () => {
    emulator.setAvailability({ afterRotation: [{ mode: '503', ms: 600_000 }] })
    expect(await select('staging-db', await mint('staging-db'))).toBe(200)
  })

  it('goes through its phases in order, from the rotation on', () => {
    const config = { afterRotation: [{ mode: '503' as const, ms: 100 }, { mode: 'reset' as const, ms: 50 }, { mode: '401' as const, ms: 200 }] }
    expect([0, 99, 100, 149, 150, 349, 350, 10_000].map((t) => rotationOutage(config, 1000, 1000 + t).kind)).toEqual([
      '503', '503', 'reset', 'reset', '401', '401', 'none', 'none'
    ])
    expect(rotationOutage(config, undefined, 5000).kind).toBe('none')
    expect(rotationOutage({}, 1000, 1000).kind).toBe('none')
  })
})

describe('wake-up of an idle database', () => {
  it('holds the first request until awake, then answers at once until idle again', () => {
    const clocks: AvailabilityClocks = {}
    const config = { wakeUp: { ms: 1000, idleAfterMs: 5000 } }
    expect(wakeUpOutage(config, clocks, 0)).toEqual({ kind: 'hold', ms: 1000 })
    expect(wakeUpOutage(config, clocks, 400)).toEqual({ kind: 'hold', ms: 600 })
    clocks.lastActiveAt = 1000
    expect(wakeUpOutage(config, clocks, 1000)).toEqual({ kind: 'none' })
    expect(wakeUpOutage(config, clocks, 5999)).toEqual({ kind: 'none' })
    expect(wakeUpOutage(config, clocks, 6000)).toEqual({ kind: 'hold', ms: 1000 })
  })

  it('in 503 mode refuses until awake', () => {
    const clocks: AvailabilityClocks = {}
    const config = { wakeUp: { ms: 1000, mode: '503' as const } }
    expect(wakeUpOutage(config, clocks, 0).kind).toBe('503')
    expect(wakeUpOutage(config, clocks, 999).kind).toBe('503')
    expect(wakeUpOutage(config, clocks, 1000).kind).toBe('none')
  })

  it('in 503 mode over HTTP: a sleeping database refuses, and answers once the configuration says it is awake', async () => {
    emulator.setAvailability({ wakeUp: { ms: 600_000, mode: '503' } })
    const token = await mint('analytics')
    expect(await select('analytics', token)).toBe(503)
    emulator.setAvailability({})
    expect(await select('analytics', token)).toBe(200)
  })
})

describe('configuration', () => {
  it('is validated, with messages that say what is wrong', () => {
    expect(() => validateAvailability({ afterRotation: [{ mode: '500', ms: 1 }] })).toThrow('afterRotation[0].mode must be "503", "reset" or "401"')
    expect(() => validateAvailability({ afterRotation: [{ mode: '503', ms: -1 }] })).toThrow('afterRotation[0].ms must be an integer')
    expect(() => validateAvailability({ wakeUp: { ms: 1, mode: 'slow' } })).toThrow('wakeUp.mode must be "hold" or "503"')
    expect(() => validateAvailability({ sleep: true })).toThrow('unknown availability field "sleep"')
  })

  it('can be set over the control route PUT /_emulator/availability', async () => {
    const put = (body: unknown): Promise<Response> => fetch(`${emulator.url}/_emulator/availability`, { method: 'PUT', body: JSON.stringify(body) })
    expect((await put({ afterRotation: [{ mode: 'nope', ms: 1 }] })).status).toBe(400)
    expect((await put({ afterRotation: [{ mode: '503', ms: 600_000 }] })).status).toBe(200)
    await rotate('/v1/organizations/acme/groups/staging/auth/rotate')
    expect(await select('staging-db', await mint('staging-db'))).toBe(503)
    expect((await put({})).status).toBe(200)
    expect(await select('staging-db', await mint('staging-db'))).toBe(200)
  })
})
