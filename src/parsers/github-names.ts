/**
 * GitHub's naming rules for owners (users, organizations) and repositories: the one rule that
 * both the `secret-repository` / `secret-repositories` / `secret-organization` inputs and the
 * secret store apply, so a name that passes one check never fails the other.
 *
 * Owners: 1 to 39 letters, digits and single hyphens, not starting or ending with a hyphen
 * (GitHub's sign-up rule: "may only contain alphanumeric characters or single hyphens, and
 * cannot begin or end with a hyphen"). Repositories: 1 to 100 letters, digits, '.', '_' and
 * '-', not '.' or '..' (path segments that URL parsers rewrite), without the '.git' that
 * clone URLs add.
 */
const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/u
const REPOSITORY_NAME = /^[A-Za-z0-9._-]{1,100}$/u

export const OWNER_RULE = 'letters, digits and single hyphens, at most 39 characters, not starting or ending with -'
export const REPOSITORY_NAME_RULE = 'letters, digits, ., _ and -, at most 100 characters'

/** Why `owner` is not a GitHub user or organization name, or undefined when it is one. */
export function ownerProblem(owner: string): string | undefined {
  return OWNER.test(owner) ? undefined : `the owner may hold only ${OWNER_RULE}`
}

/** Why `text` is not a GitHub `owner/name`, or undefined when it is one. */
export function repositoryProblem(text: string): string | undefined {
  const parts = text.split('/')
  if (parts.length !== 2) return 'expected exactly one /'
  const [owner = '', name = ''] = parts
  const owned = ownerProblem(owner)
  if (owned !== undefined) return owned
  if (!REPOSITORY_NAME.test(name) || name === '.' || name === '..') return `the name may hold only ${REPOSITORY_NAME_RULE}`
  if (name.toLowerCase().endsWith('.git')) return `leave out '.git': ${owner}/${name.slice(0, -4)}`
  return undefined
}
