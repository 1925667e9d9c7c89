import { startEmulator, type Emulator } from '../../emulator/server.js'
import { HttpClient } from '../../src/http/http-client.js'
import { USER_AGENT } from '../../src/version.js'
import type { Clock } from '../../src/verify/readiness.js'
import { useServer } from './lifecycle.js'

/** One emulator per test file, with requests and faults cleared before each test. */
export function useEmulator(): Emulator {
  return useServer(startEmulator, (emulator) => {
    emulator.clearRequests()
    emulator.clearFaults()
    emulator.setAvailability({})
  })
}

/**
 * Another workflow rotating the default group (through another of its databases) the moment the
 * secret is written: hand it to the fake GitHub's `beforeAnswer`.
 */
export function rotateGroupOnSecretWrite(emulator: Emulator): (request: { method: string }) => Promise<void> {
  return async (request) => {
    if (request.method !== 'PUT') return
    const response = await fetch(`${emulator.url}/v1/organizations/acme/databases/analytics/auth/rotate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${emulator.apiToken}` }
    })
    await response.arrayBuffer()
  }
}

/**
 * For the readiness loop's tests: an emulator whose downtime windows run on `clock`, and an HTTP
 * client without retries (the loop alone decides, so every wait is on the fake clock) logging to `log`.
 */
export function useClockedEmulator(clock: Clock, log: (line: string) => void): { emulator: Emulator; http: HttpClient } {
  // The client first: it is closed first, so the emulator has no keep-alive connection left to wait for.
  const http = useServer(async () => new HttpClient({ timeoutMs: 2000, retries: 0, userAgent: USER_AGENT, log }))
  const emulator = useServer(() => startEmulator({ monotonicNow: () => clock.now() }))
  return { emulator, http }
}
