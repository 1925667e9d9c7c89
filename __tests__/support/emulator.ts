import { afterAll, beforeAll, beforeEach } from '@jest/globals'
import { startEmulator, type Emulator } from '../../emulator/server.js'

/**
 * One emulator per test file, with requests and faults cleared before each test. The value
 * returned stands for the emulator that beforeAll starts, so tests use it like the real one.
 */
export function useEmulator(): Emulator {
  let current: Emulator | undefined
  beforeAll(async () => {
    current = await startEmulator()
  })
  afterAll(async () => {
    await current?.close()
  })
  beforeEach(() => {
    current?.clearRequests()
    current?.clearFaults()
  })
  return new Proxy({} as Emulator, {
    get(_target, property) {
      if (current === undefined) throw new Error('the emulator exists only inside tests (after beforeAll)')
      const value: unknown = Reflect.get(current, property)
      return typeof value === 'function' ? value.bind(current) : value
    }
  })
}
