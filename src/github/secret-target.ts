/**
 * Local validation of where a secret goes, so a typo fails before any request
 * is sent. Rules follow GitHub's "Naming your secrets" documentation.
 */
import { escapeUnsafeCharacters, hasUnsafeCharacter } from '../runner/server-text.js'
import { GitHubSecretError } from './secret-error.js'

export interface SecretTarget {
  /** `owner/name` of the repository that holds the secret. */
  repository: string
  /** Set to write an environment secret instead of a repository secret. */
  environment?: string
  secretName: string
}

/** GitHub refuses secrets over 48 KB. */
export const MAX_SECRET_BYTES = 48 * 1024

// Owners: letters, digits, hyphens (and `_` for Enterprise Managed Users);
// repository names: letters, digits, `.`, `-`, `_`.
const REPOSITORY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}\/[A-Za-z0-9._-]{1,100}$/
const SECRET_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/
const MAX_ENVIRONMENT_NAME_LENGTH = 255

/** Throws GitHubSecretError describing the first problem with `target`. */
export function assertValidSecretTarget(target: SecretTarget): void {
  const [, repositoryName] = target.repository.split('/')
  if (!REPOSITORY_PATTERN.test(target.repository) || repositoryName === '.' || repositoryName === '..') {
    throw new GitHubSecretError(
      `Invalid secret-repository "${target.repository}": expected owner/name, e.g. octo-org/my-app.`,
      undefined,
      'secret-repository'
    )
  }
  const name = target.secretName
  if (!SECRET_NAME_PATTERN.test(name)) {
    throw new GitHubSecretError(
      `Invalid secret-name "${name}": use only letters, digits and underscores, and do not start with a digit.`,
      undefined,
      'secret-name'
    )
  }
  if (name.toUpperCase().startsWith('GITHUB_')) {
    throw new GitHubSecretError(`Invalid secret-name "${name}": names starting with GITHUB_ are reserved by GitHub.`, undefined, 'secret-name')
  }
  const environment = target.environment
  if (environment !== undefined) {
    if (environment.trim() === '' || hasUnsafeCharacter(environment)) {
      throw new GitHubSecretError(
        `Invalid secret-environment ${escapeUnsafeCharacters(JSON.stringify(environment))}: give the name of an existing environment.`,
        undefined,
        'secret-environment'
      )
    }
    if (environment.length > MAX_ENVIRONMENT_NAME_LENGTH) {
      throw new GitHubSecretError(
        `Invalid secret-environment: longer than ${MAX_ENVIRONMENT_NAME_LENGTH} characters.`,
        undefined,
        'secret-environment'
      )
    }
  }
}

/** "repository o/r" or "environment e of repository o/r", for messages. */
export function describeSecretLocation(target: SecretTarget): string {
  return target.environment === undefined
    ? `repository ${target.repository}`
    : `environment "${target.environment}" of repository ${target.repository}`
}
