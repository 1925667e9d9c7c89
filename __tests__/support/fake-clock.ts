import type { Clock } from '../../src/verify/readiness.js'

/** Virtual time for verify's readiness loop: `sleep` moves it forward at once and records the wait. */
export class FakeClock implements Clock {
  time = 0
  sleeps: number[] = []
  now(): number {
    return this.time
  }
  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms)
    this.time += ms
  }
}
