/**
 * `npm run lint:workflows -- FILE...`: the user's own files are linted, every one of them, whether
 * the shell expanded a glob or passed it quoted; a name that matches nothing fails instead of
 * being skipped.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expandGlob, lintSources, workflowsOfArguments } from '../scripts/lint-workflows.js'
import { projectRoot, spawnCollecting } from '../scripts/lib/runner.js'

const VALID = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo hi\n'
const UNKNOWN_CONTEXT = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ foo.bar }}\n'

let dir: string

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lint-args-'))
  mkdirSync(join(dir, 'ci', 'nested'), { recursive: true })
  writeFileSync(join(dir, 'ci', 'a.yml'), VALID)
  writeFileSync(join(dir, 'ci', 'b.yaml'), UNKNOWN_CONTEXT)
  writeFileSync(join(dir, 'ci', 'notes.txt'), 'not a workflow')
  writeFileSync(join(dir, 'ci', 'nested', 'c.yml'), VALID)
  writeFileSync(join(dir, 'ci', '.hidden.yml'), VALID)
  writeFileSync(join(dir, 'GUIDE.md'), `# Guide\n\n\`\`\`yaml\n${UNKNOWN_CONTEXT}\`\`\`\n\n\`\`\`yaml\n- run: a step snippet\n\`\`\`\n`)
})

afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('globs the shell left quoted', () => {
  it('* matches the files of one folder, not hidden ones, sorted', () => {
    expect(expandGlob('ci/*.y*ml', dir)).toEqual(['ci/a.yml', 'ci/b.yaml'])
  })

  it('? matches one character, ** any depth of folders', () => {
    expect(expandGlob('ci/?.yml', dir)).toEqual(['ci/a.yml'])
    expect(expandGlob('**/*.yml', dir)).toEqual(['ci/a.yml', 'ci/nested/c.yml'])
  })

  it('an absolute pattern gives absolute paths; a pattern that matches nothing gives none', () => {
    expect(expandGlob(join(dir, 'ci', '*.yml'), '/')).toEqual([join(dir, 'ci', 'a.yml')])
    expect(expandGlob('ci/*.json', dir)).toEqual([])
  })
})

describe('the files named on the command line', () => {
  it('lints every file of a quoted glob and of plain names, and a markdown file\'s complete workflows only', () => {
    const sources = workflowsOfArguments(['ci/*.yml', 'ci/b.yaml', 'GUIDE.md'], dir)
    expect(sources.map((source) => [source.file, source.firstLine])).toEqual([
      ['ci/a.yml', 1],
      ['ci/b.yaml', 1],
      ['GUIDE.md', 4]
    ])
  })

  it('lints a file named twice (by a glob and by name) once', () => {
    expect(workflowsOfArguments(['ci/*.y*ml', 'ci/a.yml', './ci/a.yml'], dir).map((source) => source.file)).toEqual(['ci/a.yml', 'ci/b.yaml'])
  })

  it('refuses, naming them all, a name or glob that matches no file, and a folder', () => {
    expect(() => workflowsOfArguments(['ci/a.yml', 'missing.yml', 'ci/*.json', 'ci'], dir)).toThrow(
      "lint:workflows: no such file: missing.yml, ci/*.json, ci (a folder: name its files, e.g. 'ci/*.yml')"
    )
  })

  it('reports the findings of each file at its own lines', async () => {
    const findings = await lintSources(workflowsOfArguments(['ci/*.y*ml', 'GUIDE.md'], dir))
    expect(findings.map((finding) => `${finding.file}:${finding.line} ${finding.kind}`)).toEqual(['ci/b.yaml:6 expression', 'GUIDE.md:9 expression'])
  })
})

describe('npm run lint:workflows -- FILE...', () => {
  it('exits 1 with the findings of every file given, from the folder the user typed the command in', async () => {
    const tsx = join(projectRoot, 'node_modules', '.bin', 'tsx')
    const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', INIT_CWD: dir }
    const result = await spawnCollecting(tsx, [join(projectRoot, 'scripts', 'lint-workflows.ts'), 'ci/*.yml', 'ci/b.yaml'], env)
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toContain('ci/b.yaml:6:')
    expect(result.stdout).toContain('actionlint: 2 workflows in 2 files, 1 finding(s)')
  }, 60_000)

  it('exits 1 naming a file that does not exist', async () => {
    const tsx = join(projectRoot, 'node_modules', '.bin', 'tsx')
    const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', INIT_CWD: dir }
    const result = await spawnCollecting(tsx, [join(projectRoot, 'scripts', 'lint-workflows.ts'), 'nope.yml'], env)
    expect(result.exitCode).toBe(1)
    expect(result.stderr).toContain('lint:workflows: no such file: nope.yml')
  }, 60_000)
})
