/**
 * The secret-targets input on its own: each line becomes one checked destination, by the same
 * rules as the single-destination inputs, and a refusal names the input and the line. Through
 * readConfig: refused next to the single-destination inputs (naming both) and without secret-name.
 */
import { describe, expect, it } from '@jest/globals'
import { GitHubSecretError } from '../src/github/secret-error.js'
import { describeSecretTargets, parseSecretTargets } from '../src/github/secret-targets.js'
import { readConfig, type Config } from '../src/inputs.js'
import type { InputError } from '../src/parsers/input-error.js'
import { rejection, thrown } from './support/rejection.js'

const NAME = { secretName: 'TURSO_TOKEN' }

describe('parseSecretTargets: the five kinds of line', () => {
  it('one destination per line, in order; blank lines and surrounding spaces ignored', () => {
    const text = [
      'repository octo-org/app',
      '',
      '  environment octo-org/app  prod eu west  ',
      'organization octo-org',
      'dependabot \t  octo-org/api',
      'dependabot-organization octo-org',
      '   '
    ].join('\n')
    expect(parseSecretTargets(text, NAME)).toEqual([
      { secretName: 'TURSO_TOKEN', type: 'actions', repository: 'octo-org/app' },
      { secretName: 'TURSO_TOKEN', type: 'actions', repository: 'octo-org/app', environment: 'prod eu west' },
      { secretName: 'TURSO_TOKEN', type: 'actions', organization: 'octo-org', visibility: undefined, selectedRepositories: undefined },
      { secretName: 'TURSO_TOKEN', type: 'dependabot', repository: 'octo-org/api' },
      { secretName: 'TURSO_TOKEN', type: 'dependabot', organization: 'octo-org', visibility: undefined, selectedRepositories: undefined }
    ])
  })

  it('Windows line ends', () => {
    expect(parseSecretTargets('repository a/b\r\ndependabot a/b\r\n', NAME)).toHaveLength(2)
  })

  it('organization lines take secret-visibility and secret-repositories', () => {
    const [target] = parseSecretTargets('organization octo-org', { ...NAME, visibility: 'selected', selectedRepositories: ['octo-org/app'] })
    expect(target).toMatchObject({ organization: 'octo-org', visibility: 'selected', selectedRepositories: ['octo-org/app'] })
  })

  it('describes the destinations for messages', () => {
    const targets = parseSecretTargets('repository o/a\ndependabot o/a\nenvironment o/b prod', NAME)
    expect(describeSecretTargets(targets)).toBe('repository o/a, Dependabot secrets of repository o/a and environment "prod" of repository o/b')
    expect(describeSecretTargets(targets.slice(0, 1))).toBe('repository o/a')
    expect(describeSecretTargets([])).toBe('')
  })
})

describe('parseSecretTargets: refusals name the input and the line', () => {
  const failure = (text: string, defaults: Parameters<typeof parseSecretTargets>[1] = NAME): GitHubSecretError => {
    return thrown(GitHubSecretError, () => parseSecretTargets(text, defaults))
  }

  it.each<[string, string, RegExp]>([
    ['an unknown kind', 'repo octo-org/app', /^Input 'secret-targets', line 1 \('repo octo-org\/app'\): 'repo' is not a kind of destination; each line is one of: repository OWNER\/NAME, environment/],
    ['a repository without an owner', 'repository app', /^Input 'secret-targets', line 1 .*expected a repository as OWNER\/NAME.*expected exactly one \//],
    ['a repository missing', 'dependabot', /line 1 \('dependabot'\): expected a repository as OWNER\/NAME, such as octo-org\/app \(OWNER\/NAME is missing\)/],
    ['an extra word', 'repository octo-org/app production', /line 1 .*'repository' takes one value, and the line has more/],
    ['an environment without its name', 'environment octo-org/app', /'environment' needs OWNER\/NAME and then the environment's name/],
    ['a bad organization', 'organization -acme', /line 1 .*expected a GitHub organization name/],
    ['an organization missing', 'dependabot-organization', /expected a GitHub organization name/],
    ['the same destination twice (GitHub names ignore case)', 'repository octo-org/app\n\nrepository Octo-Org/App', /^Input 'secret-targets', line 3 .*it names the same destination as line 1/],
    ['a line with a control character', 'repository octo-org/app\u0007', /line 1 \('repository octo-org\/app\\x07'\)/],
    ['no line at all', '\n  \n', /^Input 'secret-targets' lists no destination/],
    ['an environment name with a line-separator character', 'environment octo-org/app prod\u2028x', /^Input 'secret-targets', line 1 .*Invalid secret-environment/]
  ])('%s', (_label, text, message) => {
    const error = failure(text)
    expect(error.input).toBe('secret-targets')
    expect(error.message).toMatch(message)
  })

  it('a bad secret-name is the secret-name input', () => {
    expect(failure('repository octo-org/app', { secretName: 'GITHUB_X' }).input).toBe('secret-name')
  })

  it('selected repositories of another organization are the secret-repositories input', () => {
    const error = failure('organization octo-org', { ...NAME, visibility: 'selected', selectedRepositories: ['other/app'] })
    expect(error.input).toBe('secret-repositories')
  })

  it.each<[string, Parameters<typeof parseSecretTargets>[1], string]>([
    ['secret-visibility with no organization line', { ...NAME, visibility: 'all' }, 'secret-visibility'],
    ['secret-repositories with no organization line', { ...NAME, selectedRepositories: ['octo-org/app'] }, 'secret-repositories']
  ])('%s', (_label, defaults, input) => {
    const error = failure('repository octo-org/app', defaults)
    expect(error.input).toBe(input)
    expect(error.message).toMatch(/applies to the organization lines of 'secret-targets', and it lists none/)
  })

  it('secret-visibility private (the default) with no organization line is fine', () => {
    expect(parseSecretTargets('repository octo-org/app', { ...NAME, visibility: 'private' })).toHaveLength(1)
  })
})

describe('readConfig with secret-targets', () => {
  const BASE = { operation: 'rotate', 'api-token': 'tok', organization: 'acme', group: 'default', 'secret-name': 'TURSO_TOKEN', 'github-token': 'ghs_x' }
  const read = (inputs: Record<string, string>): Config =>
    readConfig({ readInput: (name) => inputs[name] ?? '', env: { GITHUB_REPOSITORY: 'octo-org/app' }, maskSecret: () => undefined, warn: () => undefined })
  const refusal = (inputs: Record<string, string>): InputError => rejection(() => read(inputs))

  it('every line becomes a target of the one secret', () => {
    const config = read({ ...BASE, 'secret-targets': 'repository octo-org/app\ndependabot octo-org/app', 'secret-type': 'actions', 'secret-visibility': 'private' })
    expect(config.operation === 'rotate' && config.delivery.secret).toEqual({
      secretName: 'TURSO_TOKEN',
      githubToken: 'ghs_x',
      targets: [
        { secretName: 'TURSO_TOKEN', type: 'actions', repository: 'octo-org/app' },
        { secretName: 'TURSO_TOKEN', type: 'dependabot', repository: 'octo-org/app' }
      ]
    })
  })

  it('organization lines get secret-visibility and secret-repositories', () => {
    const config = read({ ...BASE, 'secret-targets': 'organization octo-org', 'secret-visibility': 'selected', 'secret-repositories': 'octo-org/app, octo-org/api' })
    expect(config.operation === 'rotate' && config.delivery.secret?.targets).toEqual([
      { secretName: 'TURSO_TOKEN', type: 'actions', organization: 'octo-org', visibility: 'selected', selectedRepositories: ['octo-org/app', 'octo-org/api'] }
    ])
  })

  it.each<[string, Record<string, string>, string, RegExp]>([
    ['with secret-repository', { 'secret-repository': 'octo-org/app' }, 'secret-repository', /^Inputs 'secret-targets' and 'secret-repository' are both set/],
    ['with secret-environment', { 'secret-environment': 'production' }, 'secret-environment', /^Inputs 'secret-targets' and 'secret-environment' are both set/],
    ['with secret-organization', { 'secret-organization': 'octo-org' }, 'secret-organization', /^Inputs 'secret-targets' and 'secret-organization' are both set/],
    ['with secret-type dependabot', { 'secret-type': 'dependabot' }, 'secret-type', /^Inputs 'secret-targets' and 'secret-type' are both set: .*a dependabot line/],
    ['without secret-name', { 'secret-name': '' }, 'secret-targets', /^Input 'secret-targets' needs 'secret-name'/],
    ['a bad line', { 'secret-targets': 'repository octo-org/app\nrepsitory octo-org/api' }, 'secret-targets', /^Input 'secret-targets', line 2 /],
    ['a bad secret-visibility', { 'secret-targets': 'organization octo-org', 'secret-visibility': 'public' }, 'secret-visibility', /^Input 'secret-visibility' must be one of/]
  ])('refuses secret-targets %s, naming the input', (_label, extra, input, message) => {
    const error = refusal({ ...BASE, 'secret-targets': 'repository octo-org/app', ...extra })
    expect(error.input).toBe(input)
    expect(error.message).toMatch(message)
  })
})
