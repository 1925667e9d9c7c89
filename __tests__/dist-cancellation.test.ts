/**
 * dist/index.js killed mid-rotation the way a runner cancels a job: a real SIGTERM (or SIGINT)
 * to the process. It must print what the run has done, write the summary, exit non-zero, and
 * show no secret. The in-process twin is cancellation.test.ts.
 */
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, it } from '@jest/globals'
import { actionDefaults, createRunnerFiles, inputEnv, projectRoot, type ActionRun } from '../scripts/lib/runner.js'
import { useEmulator } from './support/emulator.js'
import { expectNoLeaks } from './support/leaks.js'
import { errorLines } from './support/workflow-commands.js'

const emulator = useEmulator()

interface KilledRun extends ActionRun {
  signalledAfterMs: number
}

/** Runs the bundle, sends `signal` once its stdout matches `when`, and collects the run as the runner would see it. */
async function runAndSignal(inputs: Record<string, string>, when: RegExp, signal: NodeJS.Signals): Promise<KilledRun> {
  const files = createRunnerFiles()
  try {
    const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...files.env, ...inputEnv(inputs, actionDefaults()) }
    const child = spawn(process.execPath, [join(projectRoot, 'dist', 'index.js')], { env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    let signalledAt: number | undefined
    const started = performance.now()
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
      if (signalledAt === undefined && when.test(stdout)) {
        signalledAt = performance.now()
        child.kill(signal)
      }
    })
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const exitCode = await new Promise<number>((resolve) => child.on('close', (code, killedBy) => resolve(code ?? (killedBy === null ? -1 : -2))))
    const elapsedMs = performance.now() - started
    return { exitCode, stdout, stderr, elapsedMs, signalledAfterMs: (signalledAt ?? NaN) - started, ...files.read() }
  } finally {
    files.remove()
  }
}

const inputs = (extra: Record<string, string> = {}): Record<string, string> => ({
  operation: 'rotate',
  'api-url': emulator.url,
  'api-token': emulator.apiToken,
  organization: 'acme',
  database: 'app-db',
  retries: '0',
  ...extra
})

describe('dist/index.js: SIGTERM while the rotate request is in flight', () => {
  it('prints that it was sent and the tokens may be invalid, writes the summary, exits 143', async () => {
    // The answer is held back for 10 s: the signal arrives while the step waits for it.
    emulator.addFault({ method: 'POST', path: '/v1/organizations/acme/databases/app-db/auth/rotate', delayMs: 10_000 })
    const run = await runAndSignal(inputs({ 'export-env': 'true' }), /^Invalidating every token of .* now$/m, 'SIGTERM')
    expect(run.exitCode).toBe(143)
    // It did not wait for the held answer.
    expect(run.elapsedMs - run.signalledAfterMs).toBeLessThan(5000)
    expect(run.stderr).toBe('')
    const [error, ...more] = errorLines(run.stdout)
    expect(more).toEqual([])
    expect(error).toMatch(
      /^::error::The step was cancelled \(SIGTERM\) before it finished\. The rotate request was sent at \d{4}-.*Z, no answer yet, so the old tokens may already be invalid\. No replacement was minted\. To deliver a working token, re-run this step with operation: create-token and the same inputs \(do not rotate again\)\.$/
    )
    expect(run.summary).toContain('| Result | ❌ failed |')
    expect(run.summary).toContain("| Databases affected | 'app-db', 'analytics' |")
    expect(run.summary).toContain('**Error:** The step was cancelled (SIGTERM) before it finished.')
    expect(run.outputs).toEqual({})
    // The throw-away token was masked before it could be printed.
    const masked = run.stdout.split('\n').filter((line) => line.startsWith('::add-mask::')).map((line) => line.slice('::add-mask::'.length))
    expect(masked.length).toBeGreaterThanOrEqual(2)
    expectNoLeaks(run, [emulator.apiToken, ...masked])
  })
})

describe('dist/index.js: SIGINT after the rotation, while verify waits for the database', () => {
  it('says the old tokens are invalid and the replacement was minted but not stored', async () => {
    emulator.setAvailability({ afterRotation: [{ mode: '503', ms: 600_000 }] })
    const run = await runAndSignal(inputs({ verify: 'true', 'verify-timeout': '60' }), /^Database not ready for the new token/m, 'SIGINT')
    expect(run.exitCode).toBe(130)
    const [error] = errorLines(run.stdout)
    expect(error).toMatch(/^::error::The step was cancelled \(SIGINT\) before it finished\. The old tokens are invalid: the rotation of every token of group 'default' .* succeeded\. /)
    expect(error).toMatch(/A replacement was minted \(full-access, never expires\) and set as the token output; it was not stored as a secret\. To deliver a working token, re-run/)
    expect(run.summary).toContain('**Error:** The step was cancelled (SIGINT)')
    expectNoLeaks(run, [emulator.apiToken, run.outputs.token])
  })
})
