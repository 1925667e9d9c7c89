import { describe, expect, it } from '@jest/globals'
import { GitHubSecretError } from '../src/github/secret-error.js'
import { assertValidSecretTarget } from '../src/github/secret-target.js'
import { InputError } from '../src/parsers/input-error.js'
import { parseRepository } from '../src/parsers/scalars.js'

/**
 * One rule for GitHub owner and repository names: the `secret-repository` input
 * (parseRepository) and the secret store (assertValidSecretTarget) accept exactly the same
 * names. They used to disagree: the store let `octo_org/app` and a 100-character owner through,
 * the input refused them.
 */
const inputAccepts = (repository: string): boolean => {
  try {
    parseRepository(repository)
    return true
  } catch (error) {
    if (!(error instanceof InputError)) throw error
    return false
  }
}

const storeAccepts = (repository: string): boolean => {
  try {
    assertValidSecretTarget({ repository, secretName: 'TOKEN' })
    return true
  } catch (error) {
    if (!(error instanceof GitHubSecretError)) throw error
    return false
  }
}

const accepted = ['octo-org/app', 'a/b', 'Octo-Org/My.App_2', 'user/.github', 'x/...', 'a1-b2-c3/r', `${'o'.repeat(39)}/${'r'.repeat(100)}`]
const refused = [
  'octo_org/app',
  'octo--org/app',
  'octo-/app',
  '-octo/app',
  `${'o'.repeat(40)}/app`,
  `${'o'.repeat(100)}/app`,
  'octo/my app',
  'octo/.',
  'octo/..',
  'octo/app.git',
  `octo/${'r'.repeat(101)}`,
  'octo/a/b',
  'app'
]

describe('GitHub repository names: one rule for the input and the store', () => {
  it.each(accepted)('both accept %j', (repository) => {
    expect([inputAccepts(repository), storeAccepts(repository)]).toEqual([true, true])
  })

  it.each(refused)('both refuse %j', (repository) => {
    expect([inputAccepts(repository), storeAccepts(repository)]).toEqual([false, false])
  })

  it('the store says why, naming the input', () => {
    expect(() => assertValidSecretTarget({ repository: 'octo_org/app', secretName: 'TOKEN' })).toThrow(
      'Invalid secret-repository "octo_org/app": the owner may hold only letters, digits and single hyphens, at most 39 characters, not starting or ending with -; expected owner/name'
    )
  })
})
