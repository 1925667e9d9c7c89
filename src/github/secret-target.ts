/**
 * Local validation of where a secret goes, so a typo or an impossible combination fails before
 * any request is sent. Names follow GitHub's "Naming your secrets" documentation and its owner
 * and repository naming rules (src/parsers/github-names.ts); the combinations follow the REST
 * API (organization secrets have a visibility and, only with `selected`, a repository list;
 * Dependabot has no environment secrets).
 */
import { ownerProblem, OWNER_RULE, repositoryProblem } from '../parsers/github-names.js'
import { echoValue } from '../parsers/input-error.js'
import { escapeUnsafeCharacters, hasUnsafeCharacter } from '../runner/server-text.js'
import { GitHubSecretError } from './secret-error.js'

export const SECRET_TYPES = ['actions', 'dependabot'] as const
export type SecretType = (typeof SECRET_TYPES)[number]

/** `private` first: it is the default, and `all` would include public repositories. */
export const SECRET_VISIBILITIES = ['private', 'all', 'selected'] as const
export type SecretVisibility = (typeof SECRET_VISIBILITIES)[number]

export interface SecretTarget {
  secretName: string
  /** `actions` (the default) or `dependabot`. */
  type?: SecretType
  /** `owner/name` of the repository that holds a repository or environment secret. */
  repository?: string
  /** Set to write an environment secret instead of a repository secret (Actions only). */
  environment?: string
  /** Set to write an organization secret instead; then no repository or environment. */
  organization?: string
  /** Organization secrets only; default `private`. */
  visibility?: SecretVisibility
  /** With visibility `selected`: the `owner/name` repositories of the organization that may read it. */
  selectedRepositories?: readonly string[]
}

/** A checked destination: exactly one of the five places GitHub keeps secrets. */
export type SecretScope =
  | { kind: 'repository'; type: SecretType; owner: string; repo: string }
  | { kind: 'environment'; type: 'actions'; owner: string; repo: string; environment: string }
  | {
      kind: 'organization'
      type: SecretType
      organization: string
      visibility: SecretVisibility
      /** Empty unless visibility is `selected`; deduplicated, case preserved. */
      selectedRepositories: string[]
    }

/** GitHub refuses secrets over 48 KB. */
export const MAX_SECRET_BYTES = 48 * 1024

const SECRET_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/
const MAX_ENVIRONMENT_NAME_LENGTH = 255

function invalid(input: string, message: string): GitHubSecretError {
  return new GitHubSecretError(message, undefined, input)
}

/** The `secret-type` input: `actions` or `dependabot`, exactly. */
export function parseSecretType(value: string): SecretType {
  const type = SECRET_TYPES.find((candidate) => candidate === value.trim())
  if (type !== undefined) return type
  throw invalid('secret-type', `Input 'secret-type' must be one of ${SECRET_TYPES.join(', ')}; got '${echoValue(value)}'`)
}

/** The `secret-visibility` input: `private`, `all` or `selected`, exactly. */
export function parseSecretVisibility(value: string): SecretVisibility {
  const visibility = SECRET_VISIBILITIES.find((candidate) => candidate === value.trim())
  if (visibility !== undefined) return visibility
  throw invalid(
    'secret-visibility',
    `Input 'secret-visibility' must be one of ${SECRET_VISIBILITIES.join(', ')}; got '${echoValue(value)}'`
  )
}

/** Throws GitHubSecretError (with `input` set) describing the first problem with `target`. */
export function assertValidSecretTarget(target: SecretTarget): void {
  resolveSecretScope(target)
}

/** Checks `target` and says which of GitHub's secret stores it names; throws GitHubSecretError naming the input at fault. */
export function resolveSecretScope(target: SecretTarget): SecretScope {
  const type = target.type ?? 'actions'
  if (!(SECRET_TYPES as readonly string[]).includes(type)) parseSecretType(String(type))
  assertCombination(target, type)
  assertSecretName(target.secretName)

  if (target.organization !== undefined) {
    const organization = target.organization
    const problem = ownerProblem(organization)
    if (problem !== undefined) {
      throw invalid(
        'secret-organization',
        `Input 'secret-organization' must be a GitHub organization name (${OWNER_RULE}); got '${echoValue(organization)}'`
      )
    }
    const visibility = target.visibility ?? 'private'
    if (!(SECRET_VISIBILITIES as readonly string[]).includes(visibility)) parseSecretVisibility(String(visibility))
    const selectedRepositories = visibility === 'selected' ? checkSelectedRepositories(organization, target.selectedRepositories ?? []) : []
    return { kind: 'organization', type, organization, visibility, selectedRepositories }
  }

  const repository = target.repository ?? ''
  const problem = repositoryProblem(repository)
  if (problem !== undefined) {
    throw invalid('secret-repository', `Invalid secret-repository "${echoValue(repository)}": ${problem}; expected owner/name, e.g. octo-org/my-app.`)
  }
  const [owner = '', repo = ''] = repository.split('/')
  if (target.environment === undefined) return { kind: 'repository', type, owner, repo }
  assertEnvironmentName(target.environment)
  return { kind: 'environment', type: 'actions', owner, repo, environment: target.environment }
}

/** The combinations GitHub has no store for, or that would silently mean something else. */
function assertCombination(target: SecretTarget, type: SecretType): void {
  const hasRepositories = (target.selectedRepositories ?? []).length > 0
  if (target.organization !== undefined) {
    if (target.repository !== undefined) {
      throw invalid(
        'secret-organization',
        "Inputs 'secret-organization' and 'secret-repository' are both set: an organization secret belongs to no single repository. " +
          "Remove secret-repository (use secret-visibility: selected with secret-repositories to choose who may read it), or remove secret-organization to write a repository secret."
      )
    }
    if (target.environment !== undefined) {
      throw invalid(
        'secret-organization',
        "Inputs 'secret-organization' and 'secret-environment' are both set: environments belong to a repository, so GitHub has no organization environment secrets. Remove one of them."
      )
    }
    const visibility = target.visibility ?? 'private'
    if (visibility === 'selected' && !hasRepositories) {
      throw invalid(
        'secret-repositories',
        `Input 'secret-repositories' is required with 'secret-visibility' selected: list the owner/name repositories of ${echoValue(target.organization)} ` +
          'that may read the secret (without them no repository could read it).'
      )
    }
    if (visibility !== 'selected' && hasRepositories) {
      throw invalid(
        'secret-repositories',
        `Input 'secret-repositories' applies only with 'secret-visibility' selected (it is '${echoValue(visibility)}'): ` +
          'set secret-visibility: selected to share the secret with those repositories only, or remove secret-repositories.'
      )
    }
    return
  }
  if (target.visibility !== undefined && target.visibility !== 'private') {
    throw invalid(
      'secret-visibility',
      `Input 'secret-visibility' applies only to organization secrets: set 'secret-organization', or remove 'secret-visibility' (got '${echoValue(target.visibility)}').`
    )
  }
  if (hasRepositories) {
    throw invalid(
      'secret-repositories',
      "Input 'secret-repositories' applies only to organization secrets: set 'secret-organization' (with 'secret-visibility' selected), or remove 'secret-repositories'."
    )
  }
  if (type === 'dependabot' && target.environment !== undefined) {
    throw invalid(
      'secret-environment',
      "Inputs 'secret-environment' and 'secret-type' (dependabot) cannot be combined: GitHub has no Dependabot environment secrets. " +
        'Remove secret-environment to write a repository Dependabot secret, or use secret-type: actions.'
    )
  }
}

function checkSelectedRepositories(organization: string, repositories: readonly string[]): string[] {
  const unique = new Map<string, string>()
  for (const repository of repositories) {
    const problem = repositoryProblem(repository)
    if (problem !== undefined) {
      throw invalid(
        'secret-repositories',
        `Input 'secret-repositories' must list GitHub repositories as owner/name, such as ${organization}/app; got '${echoValue(repository)}' (${problem})`
      )
    }
    const [owner = ''] = repository.split('/')
    if (owner.toLowerCase() !== organization.toLowerCase()) {
      throw invalid(
        'secret-repositories',
        `Input 'secret-repositories': ${echoValue(repository)} does not belong to organization ${organization}, and an organization secret can only be shared with the organization's own repositories.`
      )
    }
    // GitHub names are case-insensitive: the first spelling of a repository wins.
    if (!unique.has(repository.toLowerCase())) unique.set(repository.toLowerCase(), repository)
  }
  return [...unique.values()]
}

function assertSecretName(name: string): void {
  if (!SECRET_NAME_PATTERN.test(name)) {
    throw invalid('secret-name', `Invalid secret-name "${echoValue(name)}": use only letters, digits and underscores, and do not start with a digit.`)
  }
  if (name.toUpperCase().startsWith('GITHUB_')) {
    throw invalid('secret-name', `Invalid secret-name "${name}": names starting with GITHUB_ are reserved by GitHub.`)
  }
}

function assertEnvironmentName(environment: string): void {
  if (environment.trim() === '' || hasUnsafeCharacter(environment)) {
    throw invalid(
      'secret-environment',
      `Invalid secret-environment ${escapeUnsafeCharacters(JSON.stringify(environment))}: give the name of an existing environment.`
    )
  }
  // A URL reads "." and ".." as path steps, not names: /environments/../secrets is the repository's own store.
  if (environment === '.' || environment === '..') {
    throw invalid(
      'secret-environment',
      `Invalid secret-environment "${environment}": "." and ".." are not environment names (in a URL they would address another secret store); give the name of an existing environment.`
    )
  }
  if (environment.length > MAX_ENVIRONMENT_NAME_LENGTH) {
    throw invalid('secret-environment', `Invalid secret-environment: longer than ${MAX_ENVIRONMENT_NAME_LENGTH} characters.`)
  }
}

/**
 * Where the secret lives, for log lines, errors and the summary: "repository o/r",
 * "environment "e" of repository o/r", "Dependabot secrets of repository o/r",
 * "organization acme (private repositories)", "Dependabot secrets of organization acme
 * (selected repositories: acme/a, acme/b)".
 */
export function describeSecretLocation(target: SecretTarget | SecretScope): string {
  const scope = 'kind' in target ? target : resolveSecretScope(target)
  const dependabot = scope.type === 'dependabot' ? 'Dependabot secrets of ' : ''
  switch (scope.kind) {
    case 'repository':
      return `${dependabot}repository ${scope.owner}/${scope.repo}`
    case 'environment':
      return `environment "${scope.environment}" of repository ${scope.owner}/${scope.repo}`
    case 'organization':
      return `${dependabot}organization ${scope.organization} (${describeVisibility(scope)})`
  }
}

function describeVisibility(scope: Extract<SecretScope, { kind: 'organization' }>): string {
  switch (scope.visibility) {
    case 'private':
      return 'visible to its private and internal repositories'
    case 'all':
      return 'visible to all of its repositories, public ones included'
    case 'selected':
      return `visible to selected repositories: ${scope.selectedRepositories.join(', ')}`
  }
}
