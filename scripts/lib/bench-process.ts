import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { spawnNode } from './runner.js'

/**
 * How `npm run bench` runs a Node child: wall time from spawn to exit, and peak resident set size.
 */

export interface TimedRun {
  exitCode: number
  stdout: string
  stderr: string
  elapsedMs: number
  /** performance.now() just before the spawn, to time events seen by servers in this process. */
  startedAt: number
}

/**
 * The Node binary every scenario runs on: BENCH_NODE, or the one running the bench. The action's
 * runtime is node24 while this machine has Node 20, so the bench can time both.
 */
export const benchNode = process.env.BENCH_NODE || process.execPath

/** Wall time of `node <args>`, spawn to close, measured the same way for every scenario. */
export async function timeNode(args: string[], env: Record<string, string>): Promise<TimedRun> {
  const started = performance.now()
  const result = await spawnNode(args, env, benchNode)
  return { ...result, elapsedMs: performance.now() - started, startedAt: started }
}

/**
 * `time`: GNU time's `%M` (the child's ru_maxrss from wait4), which observes the process from
 * outside and changes nothing in it. `exit-hook`: when /usr/bin/time is not installed, a
 * `--require` preload records `process.resourceUsage().maxRSS` (getrusage of the process itself)
 * in its `exit` event: the same kernel figure, read from inside, plus the few kB of the hook.
 * Sampling /proc/<pid>/status VmHWM from the parent was rejected: it races the child's exit.
 */
export type RssMethod = 'time' | 'exit-hook'

const GNU_TIME = '/usr/bin/time'

export function chooseRssMethod(requested = process.env.BENCH_RSS_METHOD): RssMethod {
  if (requested === 'time' || requested === 'exit-hook') return requested
  if (requested !== undefined && requested !== '') throw new Error(`BENCH_RSS_METHOD must be 'time' or 'exit-hook', got '${requested}'`)
  return existsSync(GNU_TIME) ? 'time' : 'exit-hook'
}

const EXIT_HOOK = `'use strict'
process.on('exit', () => {
  require('node:fs').writeFileSync(process.env.BENCH_MAXRSS_FILE, String(process.resourceUsage().maxRSS))
})
`

export interface RssProbe {
  method: RssMethod
  /** Peak RSS in KiB of `node <args>`, with the child's exit code. */
  measure(args: string[], env: Record<string, string>): Promise<{ peakKib: number; exitCode: number }>
  remove(): void
}

export function createRssProbe(method: RssMethod): RssProbe {
  const dir = mkdtempSync(join(tmpdir(), 'turso-bench-rss-'))
  const reportFile = join(dir, 'maxrss')
  const hookFile = join(dir, 'maxrss-hook.cjs')
  writeFileSync(hookFile, EXIT_HOOK)
  return {
    method,
    async measure(args, env) {
      writeFileSync(reportFile, '')
      const exitCode =
        method === 'time'
          ? await spawnQuiet(GNU_TIME, ['-f', '%M', '-o', reportFile, benchNode, ...args], env)
          : await spawnQuiet(benchNode, ['--require', hookFile, ...args], { ...env, BENCH_MAXRSS_FILE: reportFile })
      const peakKib = Number.parseInt(readFileSync(reportFile, 'utf8').trim().split('\n').pop() ?? '', 10)
      if (!Number.isFinite(peakKib)) throw new Error(`no peak RSS reported by ${method} for node ${args.join(' ')}`)
      return { peakKib, exitCode }
    },
    remove: () => rmSync(dir, { recursive: true, force: true })
  }
}

/** Runs a command with its output discarded (the action's output holds masked secrets). */
function spawnQuiet(command: string, args: string[], env: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: 'ignore' })
    child.on('error', reject)
    child.on('close', (code) => resolve(code ?? 1))
  })
}
