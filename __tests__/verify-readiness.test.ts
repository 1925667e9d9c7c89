/**
 * Verification that waits for the database (src/verify/readiness.ts), against the emulator's
 * databases over loopback. The emulator's downtime windows and the readiness loop share one fake
 * clock that only moves when the loop sleeps, so Turso-sized downtimes (14 s of 503s, 8 s of
 * 401s) run in no real time and nothing depends on how fast the machine is.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import { HttpClient } from '../src/http/http-client.js'
import { USER_AGENT } from '../src/version.js'
import { TokenVerificationError } from '../src/verify/errors.js'
import { notReadyReason, VerificationTimeoutError, verifyWhenReady, type ReadinessOptions } from '../src/verify/readiness.js'
import { useClockedEmulator } from './support/emulator.js'
import { FakeClock } from './support/fake-clock.js'
import { rejectedWith } from './support/rejection.js'

/** One clock for the whole file (the emulator keeps its rotation times); `elapsed` is per test. */
const clock = new FakeClock()
let testStart = 0
const elapsed = (): number => clock.time - testStart
let log: string[] = []
const { emulator, http } = useClockedEmulator(clock, (line) => log.push(line))

function fresh(): void {
  // Far past any window an earlier test opened, so each test starts on a quiet, idle database.
  clock.time += 3_600_000
  testStart = clock.time
  clock.sleeps = []
  log = []
  emulator.setAvailability({})
  emulator.clearFaults()
  emulator.clearRequests()
}

afterEach(() => emulator.setAvailability({}))

const auth = (): Record<string, string> => ({ authorization: `Bearer ${emulator.apiToken}` })

async function rotateDefaultGroup(): Promise<void> {
  const response = await fetch(`${emulator.url}/v1/organizations/acme/groups/default/auth/rotate`, { method: 'POST', headers: auth() })
  expect(response.status).toBe(200)
}

async function mint(database = 'app-db', authorization = 'full-access'): Promise<string> {
  const response = await fetch(`${emulator.url}/v1/organizations/acme/databases/${database}/auth/tokens?authorization=${authorization}`, { method: 'POST', headers: auth() })
  return ((await response.json()) as { jwt: string }).jwt
}

function verify(token: string, readiness: Partial<ReadinessOptions> = {}, checkWrite = true) {
  return verifyWhenReady(
    { hostname: emulator.hostnameOf('app-db', 'acme'), token, checkWrite, http, log: (line) => log.push(line) },
    { timeoutMs: 60_000, afterRotation: true, clock, random: () => 0.5, ...readiness }
  )
}

const waitLines = (): string[] => log.filter((line) => line.startsWith('Database not ready'))
const pipelineCalls = (): number => emulator.requests.filter((request) => request.target === 'libsql').length

describe('after a rotation', () => {
  it('waits out 14 s of 503s and then 8 s of 401s, logging each wait, and succeeds once the database accepts the token', async () => {
    fresh()
    emulator.setAvailability({ afterRotation: [{ mode: '503', ms: 14_000 }, { mode: '401', ms: 8_000 }] })
    await rotateDefaultGroup()
    const token = await mint()
    const result = await verify(token)
    expect(result.write).toBe(true)
    expect(elapsed()).toBeGreaterThanOrEqual(22_000)
    expect(elapsed()).toBeLessThan(22_000 + 5_000)
    const lines = waitLines()
    expect(lines.length).toBe(clock.sleeps.length)
    expect(lines[0]).toBe('Database not ready for the new token (HTTP 503) on attempt 1; trying again in 0.4 s (60.0 s left of verify-timeout)')
    expect(lines.some((line) => line.includes('(HTTP 401: the new signing key may not have reached the database yet)'))).toBe(true)
    // Backoff doubles (with jitter) up to its cap: never a busy loop, never a wait longer than 5 s.
    expect(clock.sleeps.slice(0, 4)).toEqual([375, 750, 1500, 3000])
    expect(Math.max(...clock.sleeps)).toBeLessThanOrEqual(5000)
    // Every attempt but the last two (read and write on the woken database) was refused.
    expect(pipelineCalls()).toBe(clock.sleeps.length + 2)
  })

  it('waits out reset connections the same way', async () => {
    fresh()
    emulator.setAvailability({ afterRotation: [{ mode: 'reset', ms: 14_000 }] })
    await rotateDefaultGroup()
    await expect(verify(await mint())).resolves.toMatchObject({ write: true })
    expect(waitLines()[0]).toMatch(/^Database not ready for the new token \(no answer: connection reset\) on attempt 1/)
  })

  it('gives up at verify-timeout with an error that says so and carries the last failure', async () => {
    fresh()
    emulator.setAvailability({ afterRotation: [{ mode: '503', ms: 600_000 }] })
    await rotateDefaultGroup()
    const error = await rejectedWith(VerificationTimeoutError, verify(await mint(), { timeoutMs: 8_000 }))
    expect(error.message).toMatch(/^The database did not accept the new token within verify-timeout \(8\.0 s, \d+ attempt\(s\)\); the last attempt said: Token verification against http:\/\/127\.0\.0\.1:\d+ failed: the database kept failing \(HTTP 503\)/)
    expect(elapsed()).toBe(8_000)
  })

  it('honours Retry-After from the database', async () => {
    fresh()
    await rotateDefaultGroup()
    emulator.addFault({ target: 'libsql', path: '/v2/pipeline', status: 503, headers: { 'retry-after': '7' } })
    await expect(verify(await mint())).resolves.toMatchObject({ write: true })
    expect(clock.sleeps).toEqual([7000])
    expect(waitLines()).toEqual(['Database not ready for the new token (HTTP 503) on attempt 1; trying again in 7.0 s (60.0 s left of verify-timeout, as Retry-After asks)'])
  })

  it('does not retry a write refusal: the read check passed, so the key has arrived and the token lacks the right', async () => {
    fresh()
    await rotateDefaultGroup()
    const readOnly = await mint('app-db', 'read-only')
    await expect(verify(readOnly)).rejects.toMatchObject({ check: 'write', status: 403 })
    expect(clock.sleeps).toEqual([])
  })
})

describe('without a rotation', () => {
  it('a refused token is final at once: one attempt, no wait', async () => {
    fresh()
    const foreign = await mint('staging-db')
    await expect(verify(foreign, { afterRotation: false })).rejects.toMatchObject({ check: 'read', status: 401 })
    expect(clock.sleeps).toEqual([])
    expect(pipelineCalls()).toBe(1)
  })

  it('waits for an idle database to wake up (503 while waking)', async () => {
    fresh()
    emulator.setAvailability({ wakeUp: { ms: 10_000, idleAfterMs: 60_000, mode: '503' } })
    await expect(verify(await mint(), { afterRotation: false })).resolves.toMatchObject({ write: true })
    expect(elapsed()).toBeGreaterThanOrEqual(10_000)
    expect(waitLines().length).toBeGreaterThan(0)
  })

  it('verify-timeout 0 makes one attempt and reports its own failure', async () => {
    fresh()
    emulator.addFault({ target: 'libsql', path: '/v2/pipeline', status: 503, times: 5 })
    const error = await verify(await mint(), { timeoutMs: 0, afterRotation: false }).catch((caught: unknown) => caught)
    // The attempt's own error, not "did not accept the new token within verify-timeout (0.0 s …)".
    expect(error).toBeInstanceOf(TokenVerificationError)
    expect(error).not.toBeInstanceOf(VerificationTimeoutError)
    expect((error as Error).message).toMatch(/^Token verification against .* failed: the database kept failing \(HTTP 503\)/)
    expect(clock.sleeps).toEqual([])
  })
})

describe('retrying', () => {
  it('is the loop\'s alone: each attempt sends once even when the client has retries, so waits follow verify-timeout', async () => {
    fresh()
    const retrying = new HttpClient({ timeoutMs: 2000, retries: 3, baseDelayMs: 1, userAgent: USER_AGENT, log: (line) => log.push(line) })
    try {
      emulator.addFault({ target: 'libsql', path: '/v2/pipeline', status: 503, times: 2 })
      await verifyWhenReady(
        { hostname: emulator.hostnameOf('app-db', 'acme'), token: await mint(), checkWrite: false, http: retrying, log: (line) => log.push(line) },
        { timeoutMs: 60_000, afterRotation: false, clock, random: () => 0.5 }
      )
    } finally {
      await retrying.close()
    }
    expect(log.filter((line) => line.startsWith('Attempt '))).toEqual([])
    expect(waitLines()).toHaveLength(2)
    expect(pipelineCalls()).toBe(3)
  })
})

describe('notReadyReason', () => {
  const failure = (details: ConstructorParameters<typeof TokenVerificationError>[1]): TokenVerificationError => new TokenVerificationError('x', details)
  it.each<[string, ConstructorParameters<typeof TokenVerificationError>[1], boolean, string | undefined]>([
    ['500', { check: 'read', status: 500 }, false, 'HTTP 500'],
    ['501 (every 5xx)', { check: 'read', status: 501 }, false, 'HTTP 501'],
    ['408', { check: 'read', status: 408 }, false, 'HTTP 408'],
    ['429', { check: 'write', status: 429 }, false, 'HTTP 429'],
    ['no answer', { check: 'read', unreachable: 'connection refused' }, false, 'no answer: connection refused'],
    ['401 without a rotation', { check: 'read', status: 401 }, false, undefined],
    ['403 without a rotation', { check: 'read', status: 403 }, false, undefined],
    ['401 after a rotation', { check: 'read', status: 401 }, true, 'HTTP 401: the new signing key may not have reached the database yet'],
    ['403 after a rotation', { check: 'read', status: 403 }, true, 'HTTP 403: the new signing key may not have reached the database yet'],
    ['403 on the write check after a rotation', { check: 'write', status: 403 }, true, undefined],
    ['404', { check: 'read', status: 404 }, true, undefined],
    ['a bad hostname', { check: 'hostname' }, true, undefined],
    ['a wrong SELECT 1 answer', { check: 'read', status: 200 }, true, undefined]
  ])('%s', (_label, details, afterRotation, expected) => {
    expect(notReadyReason(failure(details), afterRotation)).toBe(expected)
  })
})
