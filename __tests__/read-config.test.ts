/**
 * readConfig on its own (no runner, no emulator): what an empty input defaults to, which input a
 * refusal names (`InputError.input`) and what it says, and which inputs are warned about as
 * ignored. The in-process and bundled tests check that a refusal names its input somewhere in the
 * line; these pin the rule behind each one.
 */
import { describe, expect, it } from '@jest/globals'
import { readConfig, type Config } from '../src/inputs.js'
import type { InputError } from '../src/parsers/input-error.js'
import { rejection } from './support/rejection.js'

const BASE = { operation: 'create-token', 'api-token': 'tok', organization: 'acme', database: 'app-db' }

function read(inputs: Record<string, string>, env: NodeJS.ProcessEnv = {}): { config: Config; warnings: string[] } {
  const warnings: string[] = []
  const config = readConfig({ readInput: (name) => inputs[name] ?? '', env, maskSecret: () => undefined, warn: (message) => warnings.push(message) })
  return { config, warnings }
}

const refusal = (inputs: Record<string, string>, env: NodeJS.ProcessEnv = {}): InputError => rejection(() => read(inputs, env))

describe('an input the runner passes empty takes the documented default', () => {
  it('create-token with only the required inputs', () => {
    const { config, warnings } = read(BASE)
    expect(config.connection.apiUrl.href).toBe('https://api.turso.tech/')
    expect(config).toMatchObject({
      operation: 'create-token',
      dryRun: false,
      connection: { apiToken: 'tok', retries: 3, timeoutMs: 30_000 },
      target: { kind: 'database', organization: 'acme', database: 'app-db' },
      mint: { expiration: 'never', readOnly: false, fineGrainedPermissions: [], attachDatabases: [] },
      delivery: { verify: false, verifyTimeoutMs: 60_000, exportEnv: false }
    })
    expect(config.operation === 'create-token' && config.delivery.secret).toBeUndefined()
    expect(warnings).toEqual([])
  })

  it('a repository secret: type actions, in GITHUB_REPOSITORY, visibility unset', () => {
    const { config } = read({ ...BASE, 'secret-name': 'TURSO_TOKEN', 'github-token': 'ghs_x' }, { GITHUB_REPOSITORY: 'octo-org/app' })
    expect(config.operation === 'create-token' && config.delivery.secret).toEqual({
      secretName: 'TURSO_TOKEN',
      githubToken: 'ghs_x',
      targets: [
        {
          secretName: 'TURSO_TOKEN',
          type: 'actions',
          repository: 'octo-org/app',
          environment: undefined,
          organization: undefined,
          visibility: undefined,
          selectedRepositories: []
        }
      ]
    })
  })

  it('a blank secret-organization is no organization', () => {
    const { config } = read({ ...BASE, 'secret-name': 'T', 'github-token': 'ghs_x', 'secret-organization': '   ' }, { GITHUB_REPOSITORY: 'octo-org/app' })
    expect(config.operation === 'create-token' && config.delivery.secret).toMatchObject({ targets: [{ organization: undefined, repository: 'octo-org/app' }] })
  })

  it('seconds become milliseconds', () => {
    const { config } = read({ ...BASE, timeout: '7', 'verify-timeout': '5', verify: 'true' })
    expect(config.connection.timeoutMs).toBe(7000)
    expect(config.operation === 'create-token' && config.delivery.verifyTimeoutMs).toBe(5000)
  })

  it('rotate mints a replacement unless mint is false', () => {
    expect(read({ ...BASE, operation: 'rotate' }).config).toMatchObject({ operation: 'rotate', mint: { expiration: 'never' } })
    expect(read({ ...BASE, operation: 'rotate', mint: 'false' }).config).toMatchObject({ operation: 'rotate', mint: null })
  })

  it("create-token always mints: a stray mint: false does not turn it into 'rotate without a token'", () => {
    const { config } = read({ ...BASE, mint: 'false' })
    expect(config.operation === 'create-token' && config.mint).toMatchObject({ expiration: 'never' })
  })

  it('a user-account group without verify is accepted', () => {
    const { config } = read({ ...BASE, organization: '', database: '', group: 'default' })
    expect(config.operation === 'create-token' && config.target).toEqual({ kind: 'group', organization: null, group: 'default' })
  })
})

describe('a refusal names its input and says what to do', () => {
  const secret = { 'secret-name': 'TURSO_TOKEN', 'github-token': 'ghs_x', 'secret-repository': 'octo-org/app' }
  it.each<[string, Record<string, string>, NodeJS.ProcessEnv, string, RegExp]>([
    ['no API token anywhere', { ...BASE, 'api-token': '' }, {}, 'api-token', /^Input 'api-token' is required: pass a Turso Platform API token, or set the TURSO_API_TOKEN/],
    ['an api-token with a space inside', { ...BASE, 'api-token': 'to k' }, {}, 'api-token', /^The Turso API token in input 'api-token' contains a character that cannot be sent/],
    ['a TURSO_API_TOKEN with a non-ASCII character', { ...BASE, 'api-token': '' }, { TURSO_API_TOKEN: 'tök' }, 'api-token', /^The Turso API token in the TURSO_API_TOKEN environment variable contains/],
    ['both targets', { ...BASE, group: 'default' }, {}, 'database', /^Inputs 'database' and 'group' are both set: operation 'create-token' takes exactly one of them$/],
    ['no target', { ...BASE, database: '' }, {}, 'database', /^Operation 'create-token' needs a target: set input 'database' \(with 'organization'\) or input 'group'$/],
    ['a database without organization', { ...BASE, organization: '' }, {}, 'organization', /^Input 'organization' is required with 'database': the slug/],
    ['a bad organization', { ...BASE, organization: 'Acme!' }, {}, 'organization', /^Input 'organization' must be a Turso organization slug \(/],
    ['a bad database', { ...BASE, database: 'App DB' }, {}, 'database', /^Input 'database' must be a Turso database name \(/],
    ['a bad group', { ...BASE, database: '', group: 'Default!' }, {}, 'group', /^Input 'group' must be a Turso group name \(/],
    ['a bad attach database', { ...BASE, 'attach-databases': 'ok-db, Bad DB' }, {}, 'attach-databases', /^Input 'attach-databases' must be a Turso database name \(/],
    ['verify on a user-account group', { ...BASE, organization: '', database: '', group: 'default', verify: 'true' }, {}, 'verify', /^Input 'verify' with a user-account group needs 'organization'/],
    ['rotate without a token but with verify', { ...BASE, operation: 'rotate', mint: 'false', verify: 'true' }, {}, 'verify', /^Input 'verify' needs a minted token, but 'mint' is false: remove it or set mint: true$/],
    ['rotate without a token but with export-env', { ...BASE, operation: 'rotate', mint: 'false', 'export-env': 'true' }, {}, 'export-env', /^Input 'export-env' needs a minted token/],
    ['rotate without a token but with a secret and verify', { ...BASE, operation: 'rotate', mint: 'false', verify: 'true', ...secret }, {}, 'secret-name', /^Input 'secret-name' needs a minted token/],
    ['secret-name without github-token', { ...BASE, 'secret-name': 'T' }, {}, 'github-token', /^Input 'github-token' is required with 'secret-name'/],
    ['a repository secret with no repository at all', { ...BASE, 'secret-name': 'T', 'github-token': 'ghs_x' }, {}, 'secret-repository', /^Input 'secret-repository' must be .*it is empty and GITHUB_REPOSITORY is not set/],
    ['an unknown secret-type (its message already names the input)', { ...BASE, ...secret, 'secret-type': 'npm' }, {}, 'secret-type', /^Input 'secret-type' must be one of actions, dependabot; got 'npm'$/],
    ['a secret name GitHub refuses gets the input named first', { ...BASE, ...secret, 'secret-name': "Input 'x" }, {}, 'secret-name', /^Input 'secret-name': Invalid secret-name "Input 'x"/],
    ['revoke without token-name', { operation: 'revoke', 'api-token': 'tok' }, {}, 'token-name', /^Input 'token-name' is required for operation 'revoke': the name of the Platform API token/],
    ['revoke with a bad organization', { operation: 'revoke', 'api-token': 'tok', 'token-name': 'ci', organization: 'Acme!' }, {}, 'organization', /^Input 'organization' must be a Turso organization slug \(/]
  ])('%s', (_case, inputs, env, input, message) => {
    const error = refusal(inputs, env)
    expect(error.input).toBe(input)
    expect(error.message).toMatch(message)
  })
})

describe('revoke', () => {
  const revoke = { operation: 'revoke', 'api-token': 'tok', 'token-name': 'ci-deployer' }

  it.each(['database', 'group', 'permissions', 'attach-databases', 'secret-name'])('warns that %s is ignored', (input) => {
    const { warnings } = read({ ...revoke, [input]: 'x' })
    expect(warnings).toEqual([`Input '${input}' does not apply to operation 'revoke' and is ignored`])
  })

  it('an organization token chosen by owner: no warning', () => {
    const { config, warnings } = read({ ...revoke, organization: 'acme', 'token-owner': 'alice' })
    expect(config).toMatchObject({ tokenName: 'ci-deployer', organization: 'acme', tokenOwner: 'alice' })
    expect(warnings).toEqual([])
  })

  it('an organization token without an owner', () => {
    const { config } = read({ ...revoke, organization: 'acme' })
    expect(config).toMatchObject({ organization: 'acme', tokenOwner: null })
  })

  it('token-owner without organization is warned about and dropped', () => {
    const { config, warnings } = read({ ...revoke, 'token-owner': 'alice' })
    expect(config).toMatchObject({ organization: null, tokenOwner: null })
    expect(warnings).toEqual([
      "Input 'token-owner' applies to operation 'revoke' only with 'organization' (an organization's tokens are chosen by owner) and is ignored"
    ])
  })
})

describe('inputs that do not apply are warned about, defaults are not', () => {
  it.each(['token-name', 'token-owner'])('create-token warns that %s is ignored', (input) => {
    expect(read({ ...BASE, [input]: 'x' }).warnings).toEqual([`Input '${input}' does not apply to operation 'create-token' and is ignored`])
  })

  it.each([
    ['secret-repository', 'octo-org/app'],
    ['secret-environment', 'production'],
    ['secret-organization', 'octo-org'],
    ['secret-visibility', 'all'],
    ['secret-repositories', 'octo-org/app'],
    ['secret-type', 'dependabot']
  ])('without secret-name, %s is ignored', (input, value) => {
    expect(read({ ...BASE, [input]: value }).warnings).toEqual([`Input '${input}' is ignored: no 'secret-name' is set, so no secret is written`])
  })

  it('without secret-name, the default secret-visibility and secret-type say nothing', () => {
    expect(read({ ...BASE, 'secret-visibility': 'private', 'secret-type': 'actions' }).warnings).toEqual([])
  })
})
