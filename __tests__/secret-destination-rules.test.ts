/**
 * Where a secret may go (src/github/secret-target.ts, src/parsers/github-names.ts): the rules a
 * user relies on to find a typo or an impossible destination before anything is sent, and the
 * words the log uses to say where the token was stored. Pure functions, so unit tests.
 */
import { describe, expect, it } from '@jest/globals'
import { GitHubSecretError } from '../src/github/secret-error.js'
import { describeSecretLocation, parseSecretType, parseSecretVisibility, resolveSecretScope, type SecretTarget } from '../src/github/secret-target.js'
import { ownerProblem, repositoryProblem } from '../src/parsers/github-names.js'
import { thrown } from './support/rejection.js'

const refusal = (target: SecretTarget): GitHubSecretError => thrown(GitHubSecretError, () => resolveSecretScope(target))

describe('secret-type and secret-visibility', () => {
  it('accept their values with surrounding blanks, and nothing else', () => {
    expect(parseSecretType(' dependabot\n')).toBe('dependabot')
    expect(parseSecretVisibility(' selected ')).toBe('selected')
    expect(() => parseSecretType('Actions')).toThrow("Input 'secret-type' must be one of actions, dependabot; got 'Actions'")
    expect(() => parseSecretVisibility('public')).toThrow("Input 'secret-visibility' must be one of private, all, selected; got 'public'")
  })
})

describe('selected repositories', () => {
  it('belong to the organization in any case, and each is kept once, in its first spelling', () => {
    const scope = resolveSecretScope({
      organization: 'Octo-Org',
      visibility: 'selected',
      selectedRepositories: ['octo-org/api', 'OCTO-ORG/API', 'Octo-Org/web', 'octo-org/Api'],
      secretName: 'TOKEN'
    })
    expect(scope).toEqual({ kind: 'organization', type: 'actions', organization: 'Octo-Org', visibility: 'selected', selectedRepositories: ['octo-org/api', 'Octo-Org/web'] })
  })

  it('a repository whose owner only starts like the organization is refused', () => {
    const error = refusal({ organization: 'octo', visibility: 'selected', selectedRepositories: ['octo-org/api'], secretName: 'TOKEN' })
    expect(error.input).toBe('secret-repositories')
    expect(error.message).toContain('octo-org/api does not belong to organization octo')
  })

  it('are left out of the scope unless visibility is selected', () => {
    expect(resolveSecretScope({ organization: 'octo-org', visibility: 'all', secretName: 'TOKEN' })).toEqual({
      kind: 'organization',
      type: 'actions',
      organization: 'octo-org',
      visibility: 'all',
      selectedRepositories: []
    })
  })
})

describe('visibility private may be written out for a repository secret (it is the default), any other may not', () => {
  it('private is accepted without an organization', () => {
    expect(resolveSecretScope({ repository: 'octo-org/app', visibility: 'private', secretName: 'TOKEN' })).toEqual({ kind: 'repository', type: 'actions', owner: 'octo-org', repo: 'app' })
  })

  it('selected without an organization is refused naming secret-visibility', () => {
    expect(refusal({ repository: 'octo-org/app', visibility: 'selected', secretName: 'TOKEN' }).input).toBe('secret-visibility')
  })
})

describe('secret names', () => {
  it.each(['_TOKEN', 'a', 'TURSO_AUTH_TOKEN_2', 'MY_GITHUB_TOKEN'])('%j is accepted', (secretName) => {
    expect(() => resolveSecretScope({ repository: 'octo-org/app', secretName })).not.toThrow()
  })

  it.each(['2TOKEN', 'TOKEN-2', 'TOKEN 2', '', 'Github_Token', 'GITHUB_'])('%j is refused naming secret-name', (secretName) => {
    expect(refusal({ repository: 'octo-org/app', secretName }).input).toBe('secret-name')
  })
})

describe('environment names', () => {
  it.each(['...', '.prod', 'prod.', '. .'])('%j holds dots but is a name, not a path step: accepted', (environment) => {
    expect(resolveSecretScope({ repository: 'octo-org/app', environment, secretName: 'TOKEN' })).toMatchObject({ kind: 'environment', environment })
  })

  it('up to 255 characters, kept as given', () => {
    const environment = 'e'.repeat(255)
    expect(resolveSecretScope({ repository: 'octo-org/app', environment, secretName: 'TOKEN' })).toEqual({ kind: 'environment', type: 'actions', owner: 'octo-org', repo: 'app', environment })
  })

  it.each([
    ['256 characters', 'e'.repeat(256), 'longer than 255 characters'],
    ['only blanks', '  ', 'give the name of an existing environment'],
    ['a line break', 'prod\n::warning::x', 'Invalid secret-environment "prod\\n: :warning: :x"'],
    ['a dot (the repository itself in a URL)', '.', 'Invalid secret-environment ".": "." and ".." are not environment names'],
    ['two dots (the path step up)', '..', 'Invalid secret-environment "..": "." and ".." are not environment names']
  ])('%s: refused naming secret-environment', (_label, environment, says) => {
    const error = refusal({ repository: 'octo-org/app', environment, secretName: 'TOKEN' })
    expect(error.input).toBe('secret-environment')
    expect(error.message).toContain(says)
  })
})

describe('where the log says the token was stored', () => {
  it.each<[SecretTarget, string]>([
    [{ repository: 'octo-org/app', secretName: 'T' }, 'repository octo-org/app'],
    [{ repository: 'octo-org/app', type: 'dependabot', secretName: 'T' }, 'Dependabot secrets of repository octo-org/app'],
    [{ repository: 'octo-org/app', environment: 'prod eu', secretName: 'T' }, 'environment "prod eu" of repository octo-org/app'],
    [{ organization: 'acme', secretName: 'T' }, 'organization acme (visible to its private and internal repositories)'],
    [{ organization: 'acme', visibility: 'all', secretName: 'T' }, 'organization acme (visible to all of its repositories, public ones included)'],
    [
      { organization: 'acme', type: 'dependabot', visibility: 'selected', selectedRepositories: ['acme/a', 'acme/b'], secretName: 'T' },
      'Dependabot secrets of organization acme (visible to selected repositories: acme/a, acme/b)'
    ]
  ])('%j -> %j', (target, location) => {
    expect(describeSecretLocation(target)).toBe(location)
    expect(describeSecretLocation(resolveSecretScope(target))).toBe(location)
  })
})

describe('GitHub owner and repository names', () => {
  it.each(['a', 'a-b', 'A1-b2-C3', 'o'.repeat(39)])('owner %j is accepted', (owner) => {
    expect(ownerProblem(owner)).toBeUndefined()
  })

  it.each(['', '-a', 'a-', 'a--b', 'a_b', 'a.b', 'o'.repeat(40), 'ä'])('owner %j is refused', (owner) => {
    expect(ownerProblem(owner)).toBe('the owner may hold only letters, digits and single hyphens, at most 39 characters, not starting or ending with -')
  })

  it.each<[string, string]>([
    ['octo', 'expected exactly one /'],
    ['octo/a/b', 'expected exactly one /'],
    ['octo/', 'the name may hold only letters, digits, ., _ and -, at most 100 characters'],
    ['octo/..', 'the name may hold only letters, digits, ., _ and -, at most 100 characters'],
    ['octo/App.GIT', "leave out '.git': octo/App"],
    ['/app', 'the owner may hold only letters, digits and single hyphens, at most 39 characters, not starting or ending with -']
  ])('repository %j: %s', (repository, problem) => {
    expect(repositoryProblem(repository)).toBe(problem)
  })

  it.each(['octo/.git-tools', 'octo/git', 'octo/app.gi', 'octo/...', 'octo/.'.concat('x')])('repository %j is accepted', (repository) => {
    expect(repositoryProblem(repository)).toBeUndefined()
  })
})
