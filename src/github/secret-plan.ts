/**
 * The GitHub requests that storing a secret sends, for `dry-run`: per destination, the reads made
 * before anything is minted (its public key, then the ID of each selected repository) and the
 * PUT made after, on the routes secret-store.ts sends them to (secret-routes.ts). Nothing secret:
 * the sealed value and the key_id are placeholders, and the github-token is not part of a request line.
 */
import { publicKeyPath, repositoryPath, secretPath } from './secret-routes.js'
import { resolveSecretScope, type SecretTarget } from './secret-target.js'

/** A GitHub request as dry-run prints it; `path` is a whole URL, since the server is not Turso's. */
export interface PlannedGitHubRequest {
  method: 'GET' | 'PUT'
  path: string
  query: Record<string, string>
  body?: string
}

/** One destination's requests: `reads` go before the mint (or rotation), `write` after it. */
export interface SecretRequestPlan {
  reads: PlannedGitHubRequest[]
  write: PlannedGitHubRequest
}

/** The requests for one destination; `apiUrl` is GitHub's API base (GITHUB_API_URL), shown in each line since it is not Turso's. */
export function plannedSecretRequests(target: SecretTarget, apiUrl: string): SecretRequestPlan {
  const scope = resolveSecretScope(target)
  const base = apiUrl.replace(/\/+$/u, '')
  const reads: PlannedGitHubRequest[] = [{ method: 'GET', path: `${base}${publicKeyPath(scope)}`, query: {} }]
  const body: Record<string, unknown> = { encrypted_value: '{the token, sealed to that public key}', key_id: '{key_id of that public key}' }
  if (scope.kind === 'organization') {
    body.visibility = scope.visibility
    if (scope.visibility === 'selected') {
      for (const repository of scope.selectedRepositories) {
        reads.push({ method: 'GET', path: `${base}${repositoryPath(repository)}`, query: {} })
      }
      body.selected_repository_ids = scope.selectedRepositories.map((repository) => `{id of ${repository}}`)
    }
  }
  return { reads, write: { method: 'PUT', path: `${base}${secretPath(scope, target.secretName)}`, query: {}, body: JSON.stringify(body) } }
}
