import { startEmulator, type Emulator } from '../../emulator/server.js'
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
