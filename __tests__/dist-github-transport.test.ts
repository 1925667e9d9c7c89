/**
 * One transport, through the bundled dist/index.js run as the runner runs it: a 100 MB answer
 * from GitHub costs no more memory than the 1 MiB cap allows, and a proxy in front of GitHub that
 * accepts CONNECT and stays silent ends the run within `timeout` × attempts plus the backoff.
 * The same cases run in process in github-transport.test.ts, where mutants of src/ are seen.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { runBundledAction } from '../scripts/lib/runner.js'
import { createTokenInputs, type Inputs } from './support/action-inputs.js'
import { useEmulator } from './support/emulator.js'
import { useFakeGitHub } from './support/fake-github.js'
import { startHttpProxy, type TestProxy } from './support/http-proxy.js'
import { expectNoLeaks } from './support/leaks.js'
import { startHugeAnswerServer, type RawServer } from './support/raw-server.js'
import { errorLines } from './support/workflow-commands.js'

const emulator = useEmulator()
const github = useFakeGitHub()
const MiB = 1024 * 1024

const actionInputs = (extra: Inputs = {}): Inputs =>
  createTokenInputs(emulator, github, { 'secret-name': 'TURSO_AUTH_TOKEN', 'secret-repository': 'octo-org/app', ...extra })

/** Preloaded into the action's process: prints its peak RSS (KiB) to stderr as it exits. */
let probeDir: string
let probe: string
let huge: RawServer
beforeAll(async () => {
  probeDir = mkdtempSync(join(tmpdir(), 'rss-probe-'))
  probe = join(probeDir, 'probe.mjs')
  // VmHWM is the peak of this program image alone; getrusage's maxRSS on Linux also counts the
  // parent's (the jest worker's) memory at the fork, which made the figure depend on the suite.
  writeFileSync(
    probe,
    [
      'import { readFileSync } from "node:fs"',
      'process.on("exit", () => {',
      '  let kib = process.resourceUsage().maxRSS',
      '  try { kib = Number(/VmHWM:\\s+(\\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"))?.[1] ?? kib) } catch {}',
      '  process.stderr.write(`maxRSS:${kib}\\n`)',
      '})',
      ''
    ].join('\n')
  )
  huge = await startHugeAnswerServer(100 * 1000 * 1000)
})
afterAll(async () => {
  await huge.close()
  rmSync(probeDir, { recursive: true, force: true })
})

function peakRssMiB(stderr: string): number {
  const match = /maxRSS:(\d+)/.exec(stderr)
  expect(match).not.toBeNull()
  return Number(match?.[1]) / 1024
}

describe('a 100 MB answer from GitHub', () => {
  it('is cut at 1 MiB: peak RSS of the run stays under 200 MiB, and the error names the limit', async () => {
    const run = await runBundledAction(actionInputs({ retries: '0' }), { GITHUB_API_URL: huge.url, NODE_OPTIONS: `--import=${probe}` })
    const peak = peakRssMiB(run.stderr)
    // The figure for the report: printed by the test when MEASURE=1.
    if (process.env.MEASURE === '1') process.stdout.write(`peak RSS with a 100 MB GitHub answer: ${peak.toFixed(1)} MiB\n`)
    expect(run.exitCode).toBe(1)
    expect(peak).toBeLessThan(200)
    expect(errorLines(run.stdout)).toEqual([expect.stringContaining(`the response was larger than ${MiB} bytes`)])
    expect(emulator.requests.filter((request) => request.method === 'POST')).toEqual([])
    expectNoLeaks(run, [emulator.apiToken, github.token])
  })
})

describe('a silent proxy in front of GitHub', () => {
  let proxy: TestProxy
  beforeAll(async () => {
    proxy = await startHttpProxy({ silent: true })
  })
  afterAll(async () => {
    await proxy.close()
  })

  it('ends the run within timeout × attempts plus the backoff and a start-up second, saying it timed out', async () => {
    const run = await runBundledAction(actionInputs({ timeout: '2', retries: '1' }), {
      GITHUB_API_URL: github.url,
      HTTPS_PROXY: proxy.url,
      HTTP_PROXY: proxy.url,
      NO_PROXY: `127.0.0.1:${new URL(emulator.url).port}`
    })
    if (process.env.MEASURE === '1') process.stdout.write(`silent proxy, timeout 2 s × 2 attempts: ${(run.elapsedMs / 1000).toFixed(2)} s\n`)
    expect(run.exitCode).toBe(1)
    expect(proxy.requests.map((request) => request.kind)).toEqual(['connect', 'connect'])
    // 2 attempts × 2 s, one backoff of at most 1 s, up to 0.5 s late per attempt (undici's timers
    // tick every half second) and 1.5 s for Node to start and exit. Measured: 5.9 s.
    expect(run.elapsedMs).toBeLessThan(2 * 2000 + 1000 + 2 * 500 + 1500)
    expect(errorLines(run.stdout)).toEqual([expect.stringContaining('failed after 2 attempts: timed out. GitHub did not answer within the timeout input')])
    expectNoLeaks(run, [emulator.apiToken, github.token])
  })
})
