/**
 * The `secret-targets` input: one destination per line, so one run can write the same secret to
 * every place that needs it (an Actions and a Dependabot secret, several repositories or
 * environments). Each line becomes a {@link SecretTarget} and passes the same checks as the
 * single-destination inputs (resolveSecretScope); a refusal names the line it is about.
 *
 *   repository OWNER/NAME
 *   environment OWNER/NAME ENVIRONMENT      (the rest of the line is the environment's name)
 *   organization ORG                        (visibility from secret-visibility / secret-repositories)
 *   dependabot OWNER/NAME
 *   dependabot-organization ORG
 */
import { ownerProblem, OWNER_RULE, repositoryProblem } from '../parsers/github-names.js'
import { echoValue } from '../parsers/input-error.js'
import { GitHubSecretError } from './secret-error.js'
import { describeSecretLocation, resolveSecretScope, type SecretTarget, type SecretVisibility } from './secret-target.js'
import { listInWords } from '../runner/wording.js'

const INPUT = 'secret-targets'

export const SECRET_TARGET_FORMS =
  'repository OWNER/NAME, environment OWNER/NAME ENVIRONMENT, organization ORG, dependabot OWNER/NAME, dependabot-organization ORG'

/** What every line shares: the secret's name, and the visibility of organization secrets. */
export interface SecretTargetDefaults {
  secretName: string
  visibility?: SecretVisibility
  selectedRepositories?: readonly string[]
}

/**
 * Every destination the input lists, in order; blank lines are skipped. Throws GitHubSecretError
 * (input `secret-targets`, or `secret-visibility` / `secret-repositories` when those do not fit)
 * naming the line at fault.
 */
export function parseSecretTargets(text: string, defaults: SecretTargetDefaults): SecretTarget[] {
  const targets: SecretTarget[] = []
  const seen = new Map<string, number>()
  const lines = text.split(/\r?\n/u)
  lines.forEach((raw, index) => {
    const line = raw.trim()
    if (line === '') return
    const number = index + 1
    const target = parseLine(line, number, defaults)
    // GitHub names are case-insensitive: the same store written twice is a copy-paste slip.
    const key = describeSecretLocation(target).toLowerCase()
    const first = seen.get(key)
    if (first !== undefined) throw lineError(number, line, `it names the same destination as line ${first}`)
    seen.set(key, number)
    targets.push(target)
  })
  if (targets.length === 0) throw new GitHubSecretError(`Input '${INPUT}' lists no destination: give one per line (${SECRET_TARGET_FORMS})`, undefined, INPUT)
  const hasOrganization = targets.some((target) => target.organization !== undefined)
  if (!hasOrganization && defaults.visibility !== undefined && defaults.visibility !== 'private') {
    throw new GitHubSecretError(
      `Input 'secret-visibility' applies to the organization lines of '${INPUT}', and it lists none: add an 'organization ORG' line, or remove secret-visibility.`,
      undefined,
      'secret-visibility'
    )
  }
  if (!hasOrganization && (defaults.selectedRepositories ?? []).length > 0) {
    throw new GitHubSecretError(
      `Input 'secret-repositories' applies to the organization lines of '${INPUT}', and it lists none: add an 'organization ORG' line, or remove secret-repositories.`,
      undefined,
      'secret-repositories'
    )
  }
  return targets
}

function parseLine(line: string, number: number, defaults: SecretTargetDefaults): SecretTarget {
  const [kind = '', first = '', ...rest] = line.split(/\s+/u)
  const { secretName } = defaults
  const only = (target: SecretTarget): SecretTarget => {
    if (rest.length > 0) throw lineError(number, line, `'${kind}' takes one value, and the line has more`)
    return target
  }
  switch (kind) {
    case 'repository':
      return checked(only({ secretName, type: 'actions', repository: repository(first, number, line) }), number, line)
    case 'dependabot':
      return checked(only({ secretName, type: 'dependabot', repository: repository(first, number, line) }), number, line)
    case 'environment': {
      // The environment's name is the rest of the line as typed (names may hold spaces).
      const environment = line.slice(line.indexOf(first, kind.length) + first.length).trim()
      if (environment === '') throw lineError(number, line, "'environment' needs OWNER/NAME and then the environment's name")
      return checked({ secretName, type: 'actions', repository: repository(first, number, line), environment }, number, line)
    }
    case 'organization':
    case 'dependabot-organization': {
      const target: SecretTarget = {
        secretName,
        type: kind === 'organization' ? 'actions' : 'dependabot',
        organization: organization(first, number, line),
        visibility: defaults.visibility,
        selectedRepositories: defaults.selectedRepositories
      }
      return checked(only(target), number, line)
    }
    default:
      throw lineError(number, line, `'${echoValue(kind)}' is not a kind of destination; each line is one of: ${SECRET_TARGET_FORMS}`)
  }
}

function repository(value: string, number: number, line: string): string {
  const problem = value === '' ? 'OWNER/NAME is missing' : repositoryProblem(value)
  if (problem !== undefined) throw lineError(number, line, `expected a repository as OWNER/NAME, such as octo-org/app (${problem})`)
  return value
}

function organization(value: string, number: number, line: string): string {
  if (ownerProblem(value) !== undefined) {
    throw lineError(number, line, `expected a GitHub organization name (${OWNER_RULE})`)
  }
  return value
}

/** The single-destination rules (secret name, environment name, visibility and repositories), reported for this line. */
function checked(target: SecretTarget, number: number, line: string): SecretTarget {
  try {
    resolveSecretScope(target)
  } catch (error) {
    // secret-name and secret-repositories are inputs of their own, shared by every line; the rest belongs to this line.
    const input = (error as GitHubSecretError).input
    if (input === 'secret-name' || input === 'secret-repositories') throw error
    throw lineError(number, line, (error as Error).message)
  }
  return target
}

function lineError(number: number, line: string, reason: string): GitHubSecretError {
  return new GitHubSecretError(`Input '${INPUT}', line ${number} ('${echoValue(line)}'): ${reason}`, undefined, INPUT)
}

/** "repository o/a, Dependabot secrets of repository o/a and environment "prod" of repository o/b". */
export function describeSecretTargets(targets: readonly SecretTarget[]): string {
  const locations = targets.map((target) => describeSecretLocation(target))
  return listInWords(locations)
}
