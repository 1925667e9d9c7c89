import { afterAll, beforeAll, beforeEach } from '@jest/globals'

/**
 * One test server per test file: started in beforeAll, closed in afterAll, and reset before each
 * test. The value returned stands for the server that beforeAll starts (reads, calls and writes
 * go to it), so tests use it like the server itself.
 */
export function useServer<Server extends { close(): Promise<void> }>(start: () => Promise<Server>, reset?: (server: Server) => void): Server {
  let current: Server | undefined
  beforeAll(async () => {
    current = await start()
  })
  afterAll(async () => {
    await current?.close()
  })
  beforeEach(() => {
    if (current !== undefined) reset?.(current)
  })
  const live = (): Server => {
    if (current === undefined) throw new Error('the test server exists only inside tests (after beforeAll)')
    return current
  }
  return new Proxy({} as Server, {
    get(_target, property) {
      const server = live()
      const value: unknown = Reflect.get(server, property)
      return typeof value === 'function' ? value.bind(server) : value
    },
    set(_target, property, value) {
      return Reflect.set(live(), property, value)
    }
  })
}
