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
