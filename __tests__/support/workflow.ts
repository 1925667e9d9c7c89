import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'yaml'
import { createRunnerFiles, projectRoot, runBundledAction, spawnCollecting, type SpawnResult } from '../../scripts/lib/runner.js'

/**
 * Runs one job of a workflow of .github/workflows the way a runner would, as far as a test can:
 * `uses: ./` steps run the bundled dist/index.js (INPUT_* from `with:`), `run:` steps run in
 * `bash --noprofile --norc -eo pipefail` (the runner's default shell), `${{ }}` expressions and
 * `if:` conditions are evaluated, GITHUB_ENV exports carry over to later steps, and
 * `continue-on-error` turns a failure into a success conclusion. Steps the caller lists in
 * `skip` (and every other `uses:`, such as actions/checkout) are not run, and are reported.
 * The expression language is a subset (contexts env, secrets, vars, steps.<id>.outputs/outcome;
 * == != && || ! and parentheses; always() success() failure()): anything else throws, so a
 * workflow never passes here by being half understood.
 */

export interface WorkflowStep {
  id?: string
  name?: string
  uses?: string
  run?: string
  if?: string | boolean
  with?: Record<string, unknown>
  env?: Record<string, unknown>
  'continue-on-error'?: boolean
}

export interface WorkflowJob {
  if?: string
  env?: Record<string, unknown>
  steps: WorkflowStep[]
}

export interface Workflow {
  on: unknown
  jobs: Record<string, WorkflowJob>
}

export interface StepResult {
  label: string
  id?: string
  status: 'ran' | 'skipped-by-if' | 'not-run-here'
  outcome?: 'success' | 'failure'
  stdout: string
  stderr: string
  outputs: Record<string, string>
}

export interface Contexts {
  env: Record<string, string>
  secrets: Record<string, string>
  vars: Record<string, string>
  steps: Record<string, { outputs: Record<string, string>; outcome: string }>
  jobFailed: boolean
}

export function readWorkflow(file: string): Workflow {
  return parse(readFileSync(join(projectRoot, '.github', 'workflows', file), 'utf8')) as Workflow
}

export function stepLabel(step: WorkflowStep): string {
  return step.name ?? step.id ?? step.uses ?? step.run?.split('\n')[0] ?? '(step)'
}

// --- Expressions -----------------------------------------------------------------------------

type Value = string | boolean

const TOKEN = /\s*(\(|\)|==|!=|&&|\|\||!|'(?:[^']|'')*'|[A-Za-z_][A-Za-z0-9_.-]*\(\)|[A-Za-z_][A-Za-z0-9_.-]*)/y

function tokenize(expression: string): string[] {
  const tokens: string[] = []
  TOKEN.lastIndex = 0
  while (TOKEN.lastIndex < expression.length) {
    if (/^\s*$/.test(expression.slice(TOKEN.lastIndex))) break
    const match = TOKEN.exec(expression)
    if (match === null) throw new Error(`unsupported expression: ${expression}`)
    tokens.push(match[1])
  }
  return tokens
}

function asString(value: Value): string {
  return typeof value === 'boolean' ? String(value) : value
}

function truthy(value: Value): boolean {
  return typeof value === 'boolean' ? value : value !== ''
}

function lookup(path: string, contexts: Contexts): Value {
  const [context, ...rest] = path.split('.')
  if (context === 'true' || context === 'false') return context === 'true'
  if ((context === 'env' || context === 'secrets' || context === 'vars') && rest.length === 1) return contexts[context][rest[0]] ?? ''
  if (context === 'steps' && rest.length >= 2) {
    const step = contexts.steps[rest[0]]
    if (rest[1] === 'outcome' && rest.length === 2) return step?.outcome ?? ''
    if (rest[1] === 'outputs' && rest.length === 3) return step?.outputs[rest[2]] ?? ''
  }
  throw new Error(`unsupported context reference: ${path}`)
}

/** Evaluates one expression (the text inside `${{ }}`, or a bare `if:`). */
export function evaluate(expression: string, contexts: Contexts): Value {
  const tokens = tokenize(expression)
  let position = 0
  const peek = (): string | undefined => tokens[position]
  const take = (): string => {
    const token = tokens[position++]
    if (token === undefined) throw new Error(`unexpected end of expression: ${expression}`)
    return token
  }
  const primary = (): Value => {
    const token = take()
    if (token === '(') {
      const value = or()
      if (take() !== ')') throw new Error(`missing ) in: ${expression}`)
      return value
    }
    if (token.startsWith("'")) return token.slice(1, -1).replace(/''/g, "'")
    if (token === 'always()') return true
    if (token === 'success()') return !contexts.jobFailed
    if (token === 'failure()') return contexts.jobFailed
    if (token.endsWith('()')) throw new Error(`unsupported function: ${token}`)
    return lookup(token, contexts)
  }
  const unary = (): Value => (peek() === '!' ? (take(), !truthy(unary())) : comparison())
  const comparison = (): Value => {
    const left = primary()
    if (peek() !== '==' && peek() !== '!=') return left
    const equal = take() === '=='
    const same = asString(left).toLowerCase() === asString(primary()).toLowerCase()
    return equal ? same : !same
  }
  const and = (): Value => {
    let value = unary()
    while (peek() === '&&') {
      take()
      const right = unary()
      value = truthy(value) ? right : value
    }
    return value
  }
  const or = (): Value => {
    let value = and()
    while (peek() === '||') {
      take()
      const right = and()
      value = truthy(value) ? value : right
    }
    return value
  }
  const value = or()
  if (position !== tokens.length) throw new Error(`unsupported expression: ${expression}`)
  return value
}

/** A string with `${{ }}` placeholders, interpolated as the runner does. */
export function interpolate(text: unknown, contexts: Contexts): string {
  return String(text).replace(/\$\{\{(.*?)\}\}/g, (_whole, expression: string) => asString(evaluate(expression, contexts)))
}

/** Whether a step with this `if:` runs (no `if:` means success()). */
export function stepRuns(condition: string | boolean | undefined, contexts: Contexts): boolean {
  if (condition === undefined) return !contexts.jobFailed
  if (typeof condition === 'boolean') return condition
  const bare = /^\s*\$\{\{(.*)\}\}\s*$/.exec(condition)?.[1] ?? condition
  const usesStatusFunction = /\b(always|success|failure|cancelled)\(\)/.test(bare)
  const value = truthy(evaluate(bare, contexts))
  return usesStatusFunction ? value : value && !contexts.jobFailed
}

// --- Running a job ---------------------------------------------------------------------------

function evaluated(map: Record<string, unknown> | undefined, contexts: Contexts): Record<string, string> {
  return Object.fromEntries(Object.entries(map ?? {}).map(([name, value]) => [name, interpolate(value, contexts)]))
}

function runBash(script: string, env: Record<string, string>): Promise<SpawnResult> {
  return spawnCollecting('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], env)
}

export interface JobOptions {
  /** Replaces values of the job's `env:` (e.g. the emulator's address). */
  envOverrides?: Record<string, string>
  secrets?: Record<string, string>
  vars?: Record<string, string>
  /** ids of `run:` steps not to run here (installing, starting a server the test started). */
  skip?: string[]
}

export async function runJob(job: WorkflowJob, options: JobOptions = {}): Promise<StepResult[]> {
  const contexts: Contexts = { env: {}, secrets: options.secrets ?? {}, vars: options.vars ?? {}, steps: {}, jobFailed: false }
  const jobEnv = { ...evaluated(job.env, contexts), ...options.envOverrides }
  const exported: Record<string, string> = {}
  const runnerTemp = mkdtempSync(join(tmpdir(), 'workflow-job-'))
  const results: StepResult[] = []
  try {
    for (const step of job.steps) {
      const label = stepLabel(step)
      contexts.env = { ...jobEnv, ...exported }
      const local = step.uses === './'
      if ((step.uses !== undefined && !local) || (step.id !== undefined && options.skip?.includes(step.id))) {
        results.push({ label, id: step.id, status: 'not-run-here', stdout: '', stderr: '', outputs: {} })
        continue
      }
      if (!stepRuns(step.if, contexts)) {
        results.push({ label, id: step.id, status: 'skipped-by-if', stdout: '', stderr: '', outputs: {} })
        continue
      }
      contexts.env = { ...jobEnv, ...exported, ...evaluated(step.env, contexts) }
      let run: { exitCode: number; stdout: string; stderr: string; outputs: Record<string, string>; exported: Record<string, string> }
      if (local) {
        run = await runBundledAction(evaluated(step.with, contexts), { ...contexts.env, RUNNER_TEMP: runnerTemp })
      } else {
        if (step.run === undefined) throw new Error(`step '${label}' has neither uses nor run`)
        const files = createRunnerFiles()
        try {
          const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', RUNNER_TEMP: runnerTemp, ...files.env, ...contexts.env }
          const shell = await runBash(interpolate(step.run, contexts), env)
          run = { ...shell, ...files.read() }
        } finally {
          files.remove()
        }
      }
      const outcome = run.exitCode === 0 ? 'success' : 'failure'
      if (outcome === 'success') Object.assign(exported, run.exported)
      if (outcome === 'failure' && step['continue-on-error'] !== true) contexts.jobFailed = true
      if (step.id !== undefined) contexts.steps[step.id] = { outputs: run.outputs, outcome }
      results.push({ label, id: step.id, status: 'ran', outcome, stdout: run.stdout, stderr: run.stderr, outputs: run.outputs })
    }
  } finally {
    rmSync(runnerTemp, { recursive: true, force: true })
  }
  return results
}

/** The steps that failed the job: failures without continue-on-error. */
export function failedSteps(job: WorkflowJob, results: StepResult[]): StepResult[] {
  return results.filter((result, index) => result.outcome === 'failure' && job.steps[index]['continue-on-error'] !== true)
}

/** Writes the log of a job run into a string, for a failing test to show. */
export function describeRun(results: StepResult[]): string {
  return results
    .map((result) => `${result.status === 'ran' ? result.outcome : result.status}: ${result.label}${result.status === 'ran' ? `\n${result.stdout}${result.stderr}` : ''}`)
    .join('\n')
}
