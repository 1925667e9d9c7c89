/**
 * GitHub's routes for storing a secret, each name percent-encoded as one path segment: what
 * secret-store.ts sends and what dry-run prints (secret-plan.ts), from one place so they cannot
 * drift apart. Light on purpose: dry-run loads it without the secret store.
 */
import type { SecretScope } from './secret-target.js'

/** GitHub's REST API as the run finds it: GITHUB_API_URL (GitHub Enterprise Server sets it), else api.github.com. */
export function gitHubApiUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env.GITHUB_API_URL || 'https://api.github.com'
}

/** `/repos/{owner}/{repo}/…` from a template: each value is percent-encoded as one path segment. */
function apiPath(parts: TemplateStringsArray, ...values: string[]): string {
  return parts.reduce((path, part, index) => `${path}${part}${index < values.length ? encodeURIComponent(values[index]) : ''}`, '')
}

/** The destination's secrets collection. */
function secretsPath(scope: SecretScope): string {
  switch (scope.kind) {
    case 'repository':
      return apiPath`/repos/${scope.owner}/${scope.repo}/${scope.type}/secrets`
    case 'environment':
      return apiPath`/repos/${scope.owner}/${scope.repo}/environments/${scope.environment}/secrets`
    case 'organization':
      return apiPath`/orgs/${scope.organization}/${scope.type}/secrets`
  }
}

/** The destination's public key, which a value is sealed to. */
export function publicKeyPath(scope: SecretScope): string {
  return `${secretsPath(scope)}/public-key`
}

/** One secret of that collection: where its sealed value is PUT. */
export function secretPath(scope: SecretScope, secretName: string): string {
  return `${secretsPath(scope)}/${encodeURIComponent(secretName)}`
}

/** `GET /repos/{owner}/{repo}`, where a `secret-repositories` entry's ID is read. */
export function repositoryPath(repository: string): string {
  const [owner = '', repo = ''] = repository.split('/')
  return apiPath`/repos/${owner}/${repo}`
}
