import { readFileSync } from 'node:fs'
import { actionDefaults, createRunnerFiles, inputEnv, type ActionRun } from '../../scripts/lib/runner.js'
import { forgetSecrets } from '../../src/runner/secrets.js'

export interface InProcessRun extends ActionRun {
  /** For each `::add-mask::` line: whether the output/env files already held the value then. */
  maskedBeforeFiles: Map<string, boolean>
}

const { run } = await import('../../src/main.js')

/**
 * Runs the action's `run()` in this process, as the runner would (INPUT_* with action.yml
 * defaults, GITHUB_OUTPUT/ENV/STEP_SUMMARY files), capturing stdout; restores the environment.
 */
export async function runAction(inputs: Record<string, string>, extraEnv: Record<string, string> = {}): Promise<InProcessRun> {
  const files = createRunnerFiles()
  const savedEnv = { ...process.env }
  const originalWrite = process.stdout.write.bind(process.stdout)
  let stdout = ''
  const maskedBeforeFiles = new Map<string, boolean>()
  for (const name of Object.keys(process.env)) if (name.startsWith('INPUT_') || name.startsWith('TURSO_')) delete process.env[name]
  Object.assign(process.env, files.env, inputEnv(inputs, actionDefaults()), extraEnv)
  forgetSecrets()
  process.stdout.write = ((chunk: string | Uint8Array): boolean => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString()
    const mask = /^::add-mask::(.*)$/m.exec(text)
    if (mask !== null) {
      const written = readFileSync(files.env.GITHUB_OUTPUT, 'utf8') + readFileSync(files.env.GITHUB_ENV, 'utf8')
      maskedBeforeFiles.set(mask[1], !written.includes(mask[1]))
    }
    stdout += text
    return true
  }) as typeof process.stdout.write
  const started = performance.now()
  try {
    await run()
  } finally {
    process.stdout.write = originalWrite
  }
  const elapsedMs = performance.now() - started
  const exitCode = typeof process.exitCode === 'number' ? process.exitCode : 0
  process.exitCode = undefined
  for (const name of Object.keys(process.env)) if (!(name in savedEnv)) delete process.env[name]
  Object.assign(process.env, savedEnv)
  const result = { exitCode, stdout, stderr: '', elapsedMs, maskedBeforeFiles, ...files.read() }
  files.remove()
  return result
}
