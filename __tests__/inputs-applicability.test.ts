/**
 * One table says which inputs each operation reads; every other input set to something other
 * than its default is warned about as ignored, the same way for every operation (verify and
 * expiration on revoke included), and the table stays equal to action.yml.
 */
import { describe, expect, it } from '@jest/globals'
import { join } from 'node:path'
import { readActionMetadata } from '../scripts/lib/action-metadata.js'
import { projectRoot } from '../scripts/lib/runner.js'
import { INPUT_APPLICABILITY, inputsThatDoNotApply, OPERATION_NAMES } from '../src/inputs-applicability.js'
import { readConfig } from '../src/inputs.js'
import { OPERATIONS } from '../src/parsers/scalars.js'
import { useEmulator } from './support/emulator.js'
import { runAction } from './support/run-action.js'

const emulator = useEmulator()

function warningsOf(inputs: Record<string, string>): string[] {
  const warnings: string[] = []
  readConfig({ readInput: (name) => inputs[name] ?? '', env: {}, maskSecret: () => undefined, warn: (message) => warnings.push(message) })
  return warnings
}

describe('the table', () => {
  it("has every input of action.yml, in its order, with action.yml's default", () => {
    const { inputs } = readActionMetadata(join(projectRoot, 'action.yml'))
    expect(Object.keys(INPUT_APPLICABILITY)).toEqual(inputs.map((input) => input.name))
    for (const input of inputs) expect([input.name, INPUT_APPLICABILITY[input.name]?.default]).toEqual([input.name, input.default ?? ''])
  })

  it('names every operation the action accepts', () => {
    for (const operation of OPERATIONS) expect(OPERATION_NAMES).toContain(operation)
  })

  it.each([
    ['create-token', ['database', 'expiration', 'current-token', 'renew-within', 'secret-name', 'verify', 'verify-timeout'], ['mint', 'token-name', 'scopes', 'token-owner']],
    ['rotate', ['group', 'mint', 'permissions', 'secret-targets', 'export-env'], ['current-token', 'renew-within', 'token-name', 'scopes']],
    ['revoke', ['token-name', 'token-owner', 'organization'], ['database', 'group', 'expiration', 'read-only', 'verify', 'export-env', 'secret-name', 'github-token', 'mint']],
    ['create-api-token', ['token-name', 'group', 'scopes', 'secret-name', 'verify', 'expiration'], ['database', 'mint', 'current-token', 'token-owner', 'verify-timeout']],
    ['rotate-api-token', ['token-name', 'scopes', 'secret-targets', 'github-token'], ['database', 'permissions', 'renew-within', 'token-owner']]
  ])('%s reads %j and ignores %j', (operation, reads, ignores) => {
    for (const input of reads) expect([input, INPUT_APPLICABILITY[input]?.appliesTo]).toEqual([input, expect.arrayContaining([operation])])
    for (const input of ignores) expect([input, INPUT_APPLICABILITY[input]?.appliesTo]).toEqual([input, expect.not.arrayContaining([operation])])
  })
})

describe('inputsThatDoNotApply', () => {
  it('lists the ignored inputs set to a non-default value, in action.yml order', () => {
    const values: Record<string, string> = { verify: 'true', expiration: '2w', database: 'app-db', 'token-name': 'ci' }
    expect(inputsThatDoNotApply('revoke', (name) => values[name] ?? '')).toEqual(['database', 'expiration', 'verify'])
  })

  it("a default the runner fills in (or one written out) is not warned about; blank is not a value", () => {
    const defaults = Object.fromEntries(Object.entries(INPUT_APPLICABILITY).map(([name, { default: value }]) => [name, value]))
    for (const operation of OPERATION_NAMES) expect(inputsThatDoNotApply(operation, (name) => defaults[name] ?? '')).toEqual([])
    expect(inputsThatDoNotApply('revoke', (name) => (name === 'verify' ? '  ' : ''))).toEqual([])
    expect(inputsThatDoNotApply('revoke', (name) => (name === 'verify' ? ' false ' : ''))).toEqual([])
  })
})

describe('readConfig warns the same way for every operation', () => {
  const revoke = { operation: 'revoke', 'api-token': 'tok', 'token-name': 'ci-deployer' }

  it('revoke: verify, expiration, export-env and verify-timeout are ignored, each with one warning', () => {
    expect(warningsOf({ ...revoke, verify: 'true', expiration: '2w', 'export-env': 'true', 'verify-timeout': '90' })).toEqual([
      "Input 'expiration' does not apply to operation 'revoke' and is ignored",
      "Input 'export-env' does not apply to operation 'revoke' and is ignored",
      "Input 'verify' does not apply to operation 'revoke' and is ignored",
      "Input 'verify-timeout' does not apply to operation 'revoke' and is ignored"
    ])
  })

  it('revoke: every secret input is ignored too', () => {
    expect(warningsOf({ ...revoke, 'secret-name': 'T', 'github-token': 'ghs_x', 'secret-type': 'dependabot' })).toEqual([
      "Input 'secret-name' does not apply to operation 'revoke' and is ignored",
      "Input 'secret-type' does not apply to operation 'revoke' and is ignored",
      "Input 'github-token' does not apply to operation 'revoke' and is ignored"
    ])
  })

  it('create-token: mint, token-name and scopes are ignored', () => {
    expect(warningsOf({ operation: 'create-token', 'api-token': 'tok', organization: 'acme', database: 'app-db', mint: 'false', 'token-name': 'x', scopes: 'read' })).toEqual([
      "Input 'mint' does not apply to operation 'create-token' and is ignored",
      "Input 'token-name' does not apply to operation 'create-token' and is ignored",
      "Input 'scopes' does not apply to operation 'create-token' and is ignored"
    ])
  })

  it('create-api-token with expiration: refused once, with no warning before it', () => {
    const warnings: string[] = []
    expect(() =>
      readConfig({
        readInput: (name) => ({ operation: 'create-api-token', 'api-token': 'tok', organization: 'acme', 'token-name': 'ci', expiration: '30d' })[name] ?? '',
        env: {},
        maskSecret: () => undefined,
        warn: (message) => warnings.push(message)
      })
    ).toThrow("Input 'expiration' does not apply to operation 'create-api-token': Turso creates Platform API tokens without an expiry")
    expect(warnings).toEqual([])
  })

  it('rotate: current-token and renew-within are refused, not ignored (a rotation is no renewal)', () => {
    expect(() => warningsOf({ operation: 'rotate', 'api-token': 'tok', group: 'default', 'current-token': 'x', 'renew-within': '1d' })).toThrow(
      "Input 'renew-within' applies only to operation 'create-token' (renewal before expiry), not to 'rotate'"
    )
  })
})

describe('as the runner shows it', () => {
  it('revoke with verify and expiration: two ::warning:: lines, and the revoke still happens', async () => {
    const run = await runAction({ operation: 'revoke', 'api-url': emulator.url, 'api-token': emulator.apiToken, 'token-name': 'ci-deployer', verify: 'true', expiration: '2w' })
    expect(run.exitCode).toBe(0)
    expect(run.stdout).toMatch(/^::warning::Input 'expiration' does not apply to operation 'revoke' and is ignored$/m)
    expect(run.stdout).toMatch(/^::warning::Input 'verify' does not apply to operation 'revoke' and is ignored$/m)
    expect(run.outputs['token-name']).toBe('ci-deployer')
  })
})
