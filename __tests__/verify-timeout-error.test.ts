/**
 * When verify-timeout runs out, the error still says what the database last answered: its
 * status, the check, a lost connection, and how many attempts were made. The rotate operation
 * reads that status to tell a refused token (401/403) from a database that was down, so a
 * timeout must not hide it. Against the emulator, on a fake clock that moves only when the
 * readiness loop sleeps.
 */
import { describe, expect, it } from '@jest/globals'
import { TokenVerificationError } from '../src/verify/errors.js'
import { VerificationTimeoutError, verifyWhenReady } from '../src/verify/readiness.js'
import { useClockedEmulator } from './support/emulator.js'
import { FakeClock } from './support/fake-clock.js'
import { rejectedWith } from './support/rejection.js'

const clock = new FakeClock()
let log: string[] = []
const { emulator, http } = useClockedEmulator(clock, (line) => log.push(line))

const auth = (): Record<string, string> => ({ authorization: `Bearer ${emulator.apiToken}` })

async function rotatedToken(): Promise<string> {
  clock.time += 3_600_000
  clock.sleeps = []
  log = []
  emulator.clearFaults()
  emulator.clearRequests()
  expect((await fetch(`${emulator.url}/v1/organizations/acme/groups/default/auth/rotate`, { method: 'POST', headers: auth() })).status).toBe(200)
  const response = await fetch(`${emulator.url}/v1/organizations/acme/databases/app-db/auth/tokens?authorization=full-access`, { method: 'POST', headers: auth() })
  return ((await response.json()) as { jwt: string }).jwt
}

async function timeoutError(token: string, timeoutMs: number): Promise<VerificationTimeoutError> {
  const started = clock.time
  const outcome = await rejectedWith(
    VerificationTimeoutError,
    verifyWhenReady(
      { hostname: emulator.hostnameOf('app-db', 'acme'), token, checkWrite: true, http, log: (line) => log.push(line) },
      { timeoutMs, afterRotation: true, clock, random: () => 0.5 }
    )
  )
  expect(clock.time - started).toBe(timeoutMs)
  return outcome
}

describe('verify-timeout runs out', () => {
  it('while the database refuses the new token: the error keeps HTTP 401 on the read check', async () => {
    emulator.setAvailability({ afterRotation: [{ mode: '401', ms: 600_000 }] })
    const error = await timeoutError(await rotatedToken(), 6_000)
    expect(error).toBeInstanceOf(TokenVerificationError)
    expect(error.name).toBe('VerificationTimeoutError')
    expect(error).toMatchObject({ check: 'read', status: 401, unreachable: undefined })
    expect(error.lastFailure).toMatchObject({ check: 'read', status: 401 })
    expect(error.attempts).toBe(clock.sleeps.length + 1)
    expect(error.message).toContain(`within verify-timeout (6.0 s, ${error.attempts} attempt(s))`)
  })

  it('while connections are reset: the error says no answer came, and has no status', async () => {
    emulator.setAvailability({ afterRotation: [{ mode: 'reset', ms: 600_000 }] })
    const error = await timeoutError(await rotatedToken(), 3_000)
    expect(error.status).toBeUndefined()
    expect(error.unreachable).toBe(error.lastFailure.unreachable)
    expect(error.unreachable).toEqual(expect.any(String))
  })

  it('never sleeps past the deadline, nor a negative time: the last wait is what was left', async () => {
    emulator.setAvailability({ afterRotation: [{ mode: '503', ms: 600_000 }] })
    await timeoutError(await rotatedToken(), 2_000)
    expect(clock.sleeps.reduce((sum, ms) => sum + ms, 0)).toBe(2_000)
    expect(Math.min(...clock.sleeps)).toBeGreaterThan(0)
    expect(log.filter((line) => line.startsWith('Database not ready')).at(-1)).toMatch(/trying again in \d+\.\d s \(\d+\.\d s left of verify-timeout\)$/)
  })
})
