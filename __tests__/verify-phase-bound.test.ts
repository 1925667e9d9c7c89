/**
 * Issue 18, item 12: `verify-timeout: 1` with `timeout: 2` took 8.5 s. An attempt is a read probe
 * and a write probe, each with phases bounded by `timeout` (connect, headers, the body), so an
 * attempt started near the deadline could run for several times `timeout`. The whole verify
 * phase now ends by verify-timeout + one timeout: what is still under way then is aborted.
 * Real time here (the bound is about real time), scaled down: verify-timeout 0.3 s, timeout 0.6 s.
 */
import { describe, expect, it } from '@jest/globals'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { HttpClient } from '../src/http/http-client.js'
import { USER_AGENT } from '../src/version.js'
import { TokenVerificationError } from '../src/verify/errors.js'
import { VerificationTimeoutError, verifyWhenReady } from '../src/verify/readiness.js'
import { FakeClock } from './support/fake-clock.js'
import { FakeLibsql } from './support/fake-libsql.js'
import { useServer } from './support/lifecycle.js'

const TOKEN = 'eyJhbGciOiJFZERTQSJ9.eyJhIjoicncifQ.c2lnbmF0dXJlLW9mLXRoZS10b2tlbg'
const VERIFY_TIMEOUT_MS = 300
const TIMEOUT_MS = 600
/** Each answer's headers, then its body, come this long apart: each pause within `timeout`. */
const PAUSE_MS = 450

/**
 * A libSQL server that answers correctly, but slowly: headers after PAUSE_MS, the body PAUSE_MS
 * later. A read probe then takes ~0.9 s and a write probe as long, no phase ever over `timeout`.
 */
async function startSlowDatabase(): Promise<{ hostname: string; requests: () => number; close: () => Promise<void> }> {
  const database = await new FakeLibsql({ readWriteToken: TOKEN, readOnlyToken: 'unused' }).start()
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      void fetch(`http://${database.hostname}${req.url ?? ''}`, { method: 'POST', headers: { authorization: req.headers.authorization ?? '' }, body: Buffer.concat(chunks) })
        .then(async (answer) => {
          const body = await answer.text()
          setTimeout(() => {
            res.writeHead(answer.status, { 'content-type': 'application/json' })
            res.write(body.slice(0, 1))
            setTimeout(() => res.end(body.slice(1)), PAUSE_MS)
          }, PAUSE_MS)
        })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    hostname: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => database.requests.length,
    close: async () => {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await database.close()
    }
  }
}

const database = useServer(startSlowDatabase)
const http = useServer(async () => new HttpClient({ timeoutMs: TIMEOUT_MS, retries: 0, userAgent: USER_AGENT, log: () => {} }))

async function verify(timeoutMs: number, clock?: FakeClock): Promise<{ outcome: unknown; elapsedMs: number; log: string[] }> {
  const log: string[] = []
  const started = performance.now()
  const outcome = await verifyWhenReady(
    { hostname: database.hostname, token: TOKEN, checkWrite: true, http, log: (line) => log.push(line) },
    { timeoutMs, afterRotation: false, clock }
  ).catch((error: unknown) => error)
  return { outcome, elapsedMs: performance.now() - started, log }
}

describe('a database slower than verify-timeout + timeout for one attempt', () => {
  it('is given up on by verify-timeout + one timeout, with the attempt in flight aborted', async () => {
    const { outcome, elapsedMs } = await verify(VERIFY_TIMEOUT_MS)
    expect(elapsedMs).toBeGreaterThanOrEqual(VERIFY_TIMEOUT_MS + TIMEOUT_MS - 20)
    // Unbounded, read and write took ~1.8 s; the bound is 0.9 s (plus slack for a busy machine).
    expect(elapsedMs).toBeLessThan(VERIFY_TIMEOUT_MS + TIMEOUT_MS + 600)
    expect(outcome).toBeInstanceOf(VerificationTimeoutError)
    expect((outcome as Error).message).toMatch(
      /^The database did not accept the new token within verify-timeout \(0\.3 s, 1 attempt\(s\)\); the last attempt said: .*no answer before verify-timeout and one timeout \(0\.9 s in all\) ran out/
    )
  })

  it('with verify-timeout 0, one attempt is bounded by one timeout and reports its own failure', async () => {
    const { outcome, elapsedMs } = await verify(0)
    expect(elapsedMs).toBeLessThan(TIMEOUT_MS + 600)
    expect(outcome).toBeInstanceOf(TokenVerificationError)
    expect(outcome).not.toBeInstanceOf(VerificationTimeoutError)
    expect(outcome).toMatchObject({ unreachable: 'no answer before verify-timeout and one timeout (0.6 s in all) ran out' })
  })

  it('a verification that fits within the bound still passes, and leaves no timer behind to hold the process', async () => {
    // The bound's timer (5 s + 0.6 s) must be cleared: left running, it would keep Node alive after the step.
    const realSetTimeout = globalThis.setTimeout
    const realClearTimeout = globalThis.clearTimeout
    const boundTimers: unknown[] = []
    const cleared = new Set<unknown>()
    globalThis.setTimeout = ((callback: () => void, ms?: number) => {
      const timer = realSetTimeout(callback, ms)
      if (ms === 5000 + TIMEOUT_MS) boundTimers.push(timer)
      return timer
    }) as typeof setTimeout
    globalThis.clearTimeout = ((timer: Parameters<typeof clearTimeout>[0]) => {
      cleared.add(timer)
      realClearTimeout(timer)
    }) as typeof clearTimeout
    let result: Awaited<ReturnType<typeof verify>>
    try {
      result = await verify(5000)
    } finally {
      globalThis.setTimeout = realSetTimeout
      globalThis.clearTimeout = realClearTimeout
    }
    const { outcome, elapsedMs } = result
    expect(boundTimers).toHaveLength(1)
    expect(cleared.has(boundTimers[0])).toBe(true)
    expect(outcome).toEqual({ url: `http://${database.hostname}`, write: true })
    expect(elapsedMs).toBeGreaterThanOrEqual(4 * PAUSE_MS - 20)
  })

  it('once the bound has cut an attempt off, no other starts, even if the loop\'s own clock says time is left', async () => {
    // The loop's waits run on a clock that has not moved; the bound is real time, and it is over.
    const clock = new FakeClock()
    const { outcome } = await verify(VERIFY_TIMEOUT_MS, clock)
    expect(outcome).toBeInstanceOf(VerificationTimeoutError)
    expect(outcome).toMatchObject({ attempts: 1 })
    expect(clock.sleeps).toEqual([])
  })
})
