import { describe, expect, it } from '@jest/globals'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { readActionMetadata } from '../scripts/lib/action-metadata.js'
import { withGeneratedTables } from '../scripts/lib/reference-tables.js'
import { projectRoot } from '../scripts/lib/runner.js'
import { ACTION_VERSION } from '../src/version.js'

const metadata = readActionMetadata(join(projectRoot, 'action.yml'))
const actionYml = readFileSync(join(projectRoot, 'action.yml'), 'utf8')
/** The contract, kept in the repository so a clone alone can check it. */
const interfaceMd = readFileSync(join(projectRoot, 'docs', 'interface.md'), 'utf8')
const sharedInterface = join(projectRoot, '..', 'shared', 'design', 'interface.md')

/** Names in the first column of the markdown table that follows `## <heading>`. */
function contractNames(heading: string): string[] {
  const section = interfaceMd.split(`## ${heading}`)[1].split('\n## ')[0]
  return [...section.matchAll(/^\| `([a-z-]+)`/gm)].map((match) => match[1])
}

describe('action.yml against the interface contract', () => {
  it('uses the current contract: docs/interface.md equals the team copy where that is present', () => {
    if (existsSync(sharedInterface)) expect(interfaceMd).toBe(readFileSync(sharedInterface, 'utf8'))
    expect(interfaceMd).toContain('## Inputs')
  })

  it('declares every input and output of interface.md, each with a description', () => {
    const inputs = metadata.inputs.map((input) => input.name)
    const outputs = metadata.outputs.map((output) => output.name)
    expect(inputs).toEqual(expect.arrayContaining(contractNames('Inputs')))
    expect(outputs).toEqual(expect.arrayContaining(contractNames('Outputs')))
    for (const field of [...metadata.inputs, ...metadata.outputs]) expect(field.description.length).toBeGreaterThan(20)
  })

  it('gives every optional input a default, so the runner always passes a value (getBooleanInput needs one)', () => {
    for (const input of metadata.inputs.filter((field) => !field.required)) expect(input.default).toBeDefined()
    const blocks = actionYml.split('\ninputs:\n')[1].split('\noutputs:\n')[0]
    expect(metadata.inputs).toHaveLength([...blocks.matchAll(/^ {2}[a-z-]+:\s*$/gm)].length)
  })

  it('keeps the contract defaults', () => {
    const defaults = Object.fromEntries(metadata.inputs.map((input) => [input.name, input.default]))
    expect(defaults).toMatchObject({ expiration: 'never', 'read-only': 'false', mint: 'true', 'api-url': 'https://api.turso.tech', retries: '3', timeout: '30', 'dry-run': 'false', 'export-env': 'false', verify: 'false' })
  })

  it('runs on node24 from dist/index.js', () => {
    expect(actionYml).toMatch(/^runs:\n {2}using: node24\n {2}main: dist\/index\.js$/m)
  })
})

describe('docs/reference.md, the input and output reference', () => {
  const reference = readFileSync(join(projectRoot, 'docs', 'reference.md'), 'utf8')

  it('has input and output tables that match action.yml (regenerate with npm run docs)', () => {
    expect(reference).toBe(withGeneratedTables(reference, metadata))
  })

  it('names every input and output of action.yml, in its tables', () => {
    for (const field of metadata.inputs) expect(reference).toContain(`| \`${field.name}\` |`)
    for (const field of metadata.outputs) expect(reference).toContain(`| \`${field.name}\` |`)
  })

  it('is linked from the README, which does not repeat the tables', () => {
    const readme = readFileSync(join(projectRoot, 'README.md'), 'utf8')
    expect(readme).toContain('](docs/reference.md)')
    expect(readme).not.toContain('<!-- inputs:start -->')
  })
})

describe('version', () => {
  it('sent in the User-Agent equals package.json', () => {
    const pkg = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { version: string }
    expect(ACTION_VERSION).toBe(pkg.version)
  })
})
