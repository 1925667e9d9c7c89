import type { Emulator } from '../../emulator/server.js'
import { timeNode, type TimedRun } from './bench-process.js'
import { summarize, type Summary } from './bench-stats.js'
import { createRunnerFiles, inputEnv } from './runner.js'
import { makeThrowAwayCertificate, startLatencyRelay, startTlsFront } from './tls-fixture.js'

/**
 * The TLS scenario of `npm run bench`: the action (a database token: the mint and the lookup, two
 * requests; and a group token: one request) and the fetch floor (one POST) each mint a token from
 * the emulator behind a TLS server (a throw-away certificate, trusted through
 * NODE_EXTRA_CA_CERTS), reached through a loopback relay that delays every chunk each way by
 * `latencyMs` (a round trip of 2 × latencyMs). Runs go round by round (the three, the order
 * rotating), and each records, from spawn: exit, the first byte the process put on the wire
 * (its ClientHello reaching the relay), and the first byte of a request reaching the server.
 */

export interface TlsOptions {
  emulator: Emulator
  actionEntry: string
  /** Another build's index.js (BENCH_BASELINE_DIST): timed as T-A₀, the database token as in T-A. */
  baselineEntry?: string
  floorScript: string
  defaults: Record<string, string>
  organization: string
  database: string
  group: string
  baseEnv: () => Record<string, string>
  latencyMs: number
  warmups: number
  runs: number
}

export interface TlsSideResult {
  wall: Summary
  firstRequestByte: Summary
  firstWireByte: Summary
}

export interface TlsResults {
  latencyMs: number
  runs: number
  warmups: number
  /** The database token: mint and lookup. */
  action: TlsSideResult
  /** The group token: one POST, like the floor. */
  group: TlsSideResult
  /** T-A with the baseline build, when there is one. */
  baseline?: TlsSideResult
  floor: TlsSideResult
  /** Median over the rounds of (database action − floor) for the first request byte at the server. */
  firstByteGapMedian: number
  /** Median over the rounds of (database action − floor) for the first byte on the wire. */
  firstWireGapMedian: number
}

interface Sample {
  wall: number
  firstRequestByte: number
  firstWireByte: number
}

export async function benchTls(options: TlsOptions): Promise<TlsResults> {
  const { emulator } = options
  const certificate = makeThrowAwayCertificate()
  const front = await startTlsFront(new URL(emulator.url), certificate)
  const relay = await startLatencyRelay(new URL(front.url), options.latencyMs)
  const trust = { NODE_EXTRA_CA_CERTS: certificate.certFile }

  type Kind = 'action' | 'group' | 'floor' | 'baseline'
  /** Requests and TLS connections each kind must make: the database token's two go out side by side. */
  const expected: Record<Kind, number> = { action: 2, group: 1, floor: 1, baseline: 2 }

  async function sample(kind: Kind): Promise<Sample> {
    front.reset()
    relay.reset()
    emulator.clearRequests()
    let run: TimedRun
    let problem: string | undefined
    if (kind !== 'floor') {
      const files = createRunnerFiles()
      try {
        const target: Record<string, string> = kind === 'group' ? { group: options.group } : { database: options.database }
        const inputs = { operation: 'create-token', 'api-url': relay.url, organization: options.organization, ...target }
        const entry = kind === 'baseline' ? (options.baselineEntry as string) : options.actionEntry
        run = await timeNode([entry], { ...options.baseEnv(), ...files.env, ...inputEnv(inputs, options.defaults), TURSO_API_TOKEN: emulator.apiToken, ...trust })
        const outputs = files.read().outputs
        const check = emulator.verifyDatabaseToken(outputs.token ?? '', options.database, options.organization)
        if (!check.valid) problem = `the minted token does not verify: ${check.reason}`
        else if (kind !== 'group' && !(outputs['database-url'] ?? '').startsWith('libsql://')) problem = 'no database-url output'
      } finally {
        files.remove()
      }
    } else {
      run = await timeNode([options.floorScript], {
        ...options.baseEnv(),
        BENCH_API_URL: relay.url,
        BENCH_ORGANIZATION: options.organization,
        BENCH_DATABASE: options.database,
        TURSO_API_TOKEN: emulator.apiToken,
        ...trust
      })
    }
    if (run.exitCode !== 0) problem = `exit code ${run.exitCode}: ${(run.stdout + run.stderr).split('\n').find((line) => line.startsWith('::error::') || line.trim() !== '') ?? ''}`
    if (problem === undefined && emulator.requests.length !== expected[kind]) problem = `expected ${expected[kind]} request(s), the emulator saw ${emulator.requests.length}`
    if (problem === undefined && front.secureConnections !== expected[kind]) problem = `expected ${expected[kind]} TLS connection(s), the server saw ${front.secureConnections}`
    if (problem !== undefined || front.firstRequestByteAt === undefined || relay.firstByteAt === undefined) {
      throw new Error(`TLS ${kind} run broke: ${problem ?? 'no request reached the server'}`)
    }
    return { wall: run.elapsedMs, firstRequestByte: front.firstRequestByteAt - run.startedAt, firstWireByte: relay.firstByteAt - run.startedAt }
  }

  const kinds: Kind[] = options.baselineEntry === undefined ? ['action', 'group', 'floor'] : ['action', 'group', 'floor', 'baseline']
  const samples: Record<Kind, Sample[]> = { action: [], group: [], floor: [], baseline: [] }
  try {
    for (let round = 0; round < options.warmups + options.runs; round++) {
      const order = kinds.map((_, i) => kinds[(round + i) % kinds.length])
      const taken: Partial<Record<Kind, Sample>> = {}
      for (const kind of order) taken[kind] = await sample(kind)
      if (round >= options.warmups) for (const kind of kinds) samples[kind].push(taken[kind] as Sample)
      process.stderr.write(`\rTLS ${round < options.warmups ? 'warm-up' : 'timed'} round ${round + 1}/${options.warmups + options.runs}`)
    }
    process.stderr.write('\n')
  } finally {
    await relay.close()
    await front.close()
    certificate.remove()
  }
  const { action, floor } = samples
  const side = (samples: Sample[]): TlsSideResult => ({
    wall: summarize(samples.map((s) => s.wall)),
    firstRequestByte: summarize(samples.map((s) => s.firstRequestByte)),
    firstWireByte: summarize(samples.map((s) => s.firstWireByte))
  })
  return {
    latencyMs: options.latencyMs,
    runs: options.runs,
    warmups: options.warmups,
    action: side(action),
    group: side(samples.group),
    ...(options.baselineEntry === undefined ? {} : { baseline: side(samples.baseline) }),
    floor: side(floor),
    firstByteGapMedian: summarize(action.map((s, i) => s.firstRequestByte - floor[i].firstRequestByte)).median,
    firstWireGapMedian: summarize(action.map((s, i) => s.firstWireByte - floor[i].firstWireByte)).median
  }
}
