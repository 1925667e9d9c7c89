import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { readActionMetadata } from './action-metadata.js'

/**
 * Runs the action the way a GitHub runner does: INPUT_* variables with action.yml's defaults
 * applied, and the GITHUB_OUTPUT / GITHUB_ENV / GITHUB_STEP_SUMMARY files. Shared by the
 * tests, the demo and the benchmark.
 */

export const projectRoot = fileURLToPath(new URL('../../', import.meta.url))

/** The files a runner hands a step: GITHUB_OUTPUT, GITHUB_ENV, GITHUB_STEP_SUMMARY. */
export interface RunnerFiles {
  env: Record<string, string>
  read(): { outputs: Record<string, string>; exported: Record<string, string>; summary: string }
  remove(): void
}

export function createRunnerFiles(): RunnerFiles {
  const dir = mkdtempSync(join(tmpdir(), 'turso-action-'))
  const paths = { output: join(dir, 'output'), env: join(dir, 'env'), summary: join(dir, 'summary') }
  for (const path of Object.values(paths)) writeFileSync(path, '')
  return {
    env: { GITHUB_OUTPUT: paths.output, GITHUB_ENV: paths.env, GITHUB_STEP_SUMMARY: paths.summary },
    read: () => ({
      outputs: parseFileCommands(readFileSync(paths.output, 'utf8')),
      exported: parseFileCommands(readFileSync(paths.env, 'utf8')),
      summary: readFileSync(paths.summary, 'utf8')
    }),
    remove: () => rmSync(dir, { recursive: true, force: true })
  }
}

/** Parses `name<<delimiter\nvalue\ndelimiter` blocks as the runner does. */
export function parseFileCommands(text: string): Record<string, string> {
  const values: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<]+)<<(.+)$/.exec(lines[i])
    if (match === null) continue
    const [, name, delimiter] = match
    const valueLines: string[] = []
    for (i++; i < lines.length && lines[i] !== delimiter; i++) valueLines.push(lines[i])
    values[name] = valueLines.join('\n')
  }
  return values
}

/** action.yml's defaults, applied the way the runner applies them, as INPUT_* variables. */
export function inputEnv(inputs: Record<string, string>, defaults: Record<string, string>): Record<string, string> {
  const merged = { ...defaults, ...inputs }
  return Object.fromEntries(Object.entries(merged).map(([name, value]) => [`INPUT_${name.toUpperCase()}`, value]))
}

/** action.yml's input defaults, as the runner applies them. */
export function actionDefaults(actionYmlPath = join(projectRoot, 'action.yml')): Record<string, string> {
  const { inputs } = readActionMetadata(actionYmlPath)
  return Object.fromEntries(inputs.filter((input) => input.default !== undefined).map((input) => [input.name, input.default as string]))
}

export interface ActionRun {
  exitCode: number
  stdout: string
  stderr: string
  outputs: Record<string, string>
  exported: Record<string, string>
  summary: string
  elapsedMs: number
}

/** Runs `node dist/index.js` as a child process, as the runner would. */
export async function runBundledAction(
  inputs: Record<string, string>,
  extraEnv: Record<string, string> = {},
  entry = join(projectRoot, 'dist', 'index.js')
): Promise<ActionRun> {
  const files = createRunnerFiles()
  try {
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      ...files.env,
      ...inputEnv(inputs, actionDefaults()),
      ...extraEnv
    }
    const started = performance.now()
    const { exitCode, stdout, stderr } = await spawnNode([entry], env)
    const elapsedMs = performance.now() - started
    return { exitCode, stdout, stderr, elapsedMs, ...files.read() }
  } finally {
    files.remove()
  }
}

export function spawnNode(
  args: string[],
  env: Record<string, string>,
  node = process.execPath
): Promise<SpawnResult> {
  return spawnCollecting(node, args, env)
}

export interface SpawnResult {
  exitCode: number
  stdout: string
  stderr: string
}

/** Runs a program to its end with stdin closed, collecting what it prints. */
export function spawnCollecting(command: string, args: string[], env: Record<string, string>): Promise<SpawnResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolve({ exitCode: code ?? 1, stdout, stderr }))
  })
}
