/**
 * Stores a value as a GitHub secret in one of the five places GitHub keeps them: a repository's
 * or an environment's Actions secrets, an organization's Actions secrets, and a repository's or
 * an organization's Dependabot secrets. Two steps, so that everything that can fail runs before
 * there is a value to lose: `prepareSecret` checks the destination locally, reads that
 * destination's own public key and resolves `selected` repositories to IDs; `store` then seals
 * the value to that key and PUTs it with the key's `key_id`.
 * Loaded lazily by the action only when `secret-name` is set, so the sealing code stays out of
 * the other operations' start-up path. Every request goes through the run's one HTTP client
 * (github-api.ts), as Turso's and the database's do.
 *
 * REST endpoints (https://docs.github.com/rest/actions/secrets, .../rest/dependabot/secrets):
 *   GET /repos/{owner}/{repo}/{actions|dependabot}/secrets/public-key
 *   PUT /repos/{owner}/{repo}/{actions|dependabot}/secrets/{secret_name}
 *   GET /repos/{owner}/{repo}/environments/{environment_name}/secrets/public-key
 *   PUT /repos/{owner}/{repo}/environments/{environment_name}/secrets/{secret_name}
 *   GET /orgs/{org}/{actions|dependabot}/secrets/public-key
 *   PUT /orgs/{org}/{actions|dependabot}/secrets/{secret_name}   (+ visibility, selected_repository_ids)
 *   GET /repos/{owner}/{repo}                                     (a selected repository's id)
 */
import type { HttpClient } from '../http/http-client.js'
import { isLoopbackHost } from '../parsers/api-url.js'
import { sealedBox } from './sealed-box.js'
import { GitHubSecretError } from './secret-error.js'
import { describeSecretLocation, MAX_SECRET_BYTES, resolveSecretScope, type SecretTarget } from './secret-target.js'
import { GitHubAnswerError, GitHubApi } from './github-api.js'
import { gitHubApiUrl, publicKeyPath, repositoryPath, secretPath } from './secret-routes.js'
import { explainFailure, scrub } from './failure-guidance.js'

export { GitHubSecretError } from './secret-error.js'
export type { SecretScope, SecretTarget, SecretType, SecretVisibility } from './secret-target.js'

export interface SecretStoreOptions {
  /** Token allowed to write secrets; never logged. */
  githubToken: string
  /** Default: env GITHUB_API_URL, else https://api.github.com (GHES sets GITHUB_API_URL). */
  apiUrl?: string
  /** The run's one HTTP client: its timeout, retries, answer cap and proxy reading apply to GitHub as to Turso. */
  http: HttpClient
  /** Info log; it is never given a secret. */
  log: (message: string) => void
}

/** A destination whose checks have all passed: storing needs only the value. */
export interface PreparedSecret {
  /** Where the secret goes, for log lines and the summary (e.g. "organization acme (…)"). */
  readonly location: string
  /** Seals `value` to the destination's public key and writes it; throws GitHubSecretError. */
  store(value: string): Promise<void>
}

/**
 * Everything that can fail before a value exists: the target's local rules, the github-token's
 * presence, the API URL, the destination's public key (proving the token can reach that secret
 * store) and, for `selected` organization secrets, each repository's ID. Throws GitHubSecretError.
 */
export async function prepareSecret(target: SecretTarget, options: SecretStoreOptions): Promise<PreparedSecret> {
  const scope = resolveSecretScope(target)
  if (options.githubToken === '') {
    throw new GitHubSecretError('github-token is required to write a GitHub secret.', undefined, 'github-token')
  }
  const api = new GitHubApi(options.http, resolveApiUrl(options.apiUrl), options.githubToken)
  const location = describeSecretLocation(scope)
  const fail = (step: string, error: unknown, lookedUp?: string, value?: string): GitHubSecretError => {
    const failure = explainFailure(error, scope, lookedUp)
    const message = `Could not write secret ${target.secretName} to ${location}: ${step}: ${failure.message}`
    return new GitHubSecretError(scrub(message, options.githubToken, ...(value === undefined ? [] : [value])), failure.status)
  }
  const readPublicKey = async (): Promise<PublicKey> => parsePublicKey((await api.get(publicKeyPath(scope))).data)

  let publicKey: PublicKey
  try {
    publicKey = await readPublicKey()
  } catch (error) {
    throw fail('reading its public key failed', error)
  }
  const repositoryIds: number[] = []
  if (scope.kind === 'organization') {
    for (const repository of scope.selectedRepositories) {
      try {
        repositoryIds.push(await repositoryId(api, repository))
      } catch (error) {
        throw fail(`looking up the ID of repository ${repository} (secret-repositories) failed`, error, repository)
      }
    }
  }
  const write = async (valueBytes: Uint8Array): Promise<number> => {
    const body: Record<string, unknown> = {
      encrypted_value: Buffer.from(sealedBox(valueBytes, publicKey.key)).toString('base64'),
      key_id: publicKey.keyId
    }
    if (scope.kind === 'organization') {
      body.visibility = scope.visibility
      // GitHub accepts the list only with `selected`; sent there even when it equals the current one.
      if (scope.visibility === 'selected') body.selected_repository_ids = repositoryIds
    }
    return (await api.put(secretPath(scope, target.secretName), body)).status
  }

  return {
    location,
    async store(value: string): Promise<void> {
      const valueBytes = secretBytes(value)
      let status: number
      try {
        status = await write(valueBytes)
      } catch (error) {
        if (!(error instanceof GitHubAnswerError && error.status === 422)) throw fail('writing the encrypted value failed', error, undefined, value)
        // GitHub may have rotated the destination's key between our GET and PUT: the value is
        // still in memory, so read the key again and seal it anew, once.
        options.log(`GitHub refused the sealed value for ${location} (HTTP 422); reading its public key again and sealing the value anew`)
        try {
          publicKey = await readPublicKey()
        } catch (again) {
          throw fail('GitHub refused the sealed value (HTTP 422), and reading its public key again failed', again, undefined, value)
        }
        try {
          status = await write(valueBytes)
        } catch (again) {
          throw fail('writing the encrypted value failed, also after reading the public key again and sealing anew', again, undefined, value)
        }
      }
      options.log(`GitHub secret ${target.secretName} ${status === 201 ? 'created' : 'updated'} in ${location}.`)
    }
  }
}

/** Prepares and stores in one go: for callers that have the value before any check. */
export async function storeSecret(value: string, target: SecretTarget, options: SecretStoreOptions): Promise<void> {
  secretBytes(value)
  const prepared = await prepareSecret(target, options)
  await prepared.store(value)
}

/** The value as GitHub will hold it; refuses what GitHub would refuse. */
function secretBytes(value: string): Uint8Array {
  const bytes = new TextEncoder().encode(value)
  if (bytes.length === 0) throw new GitHubSecretError('Refusing to store an empty value as a GitHub secret.')
  if (bytes.length > MAX_SECRET_BYTES) {
    throw new GitHubSecretError(`The value is ${bytes.length} bytes; GitHub secrets are limited to 48 KB.`)
  }
  return bytes
}

async function repositoryId(api: GitHubApi, repository: string): Promise<number> {
  const { data } = await api.get(repositoryPath(repository))
  const id: unknown = typeof data === 'object' && data !== null ? (data as { id?: unknown }).id : undefined
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id <= 0) {
    throw new Error('GitHub answered without a valid repository id')
  }
  return id
}

interface PublicKey {
  keyId: string
  key: Uint8Array
}

function parsePublicKey(data: unknown): PublicKey {
  const { key_id: keyId, key } = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>
  const keyBytes = typeof key === 'string' ? Buffer.from(key, 'base64') : Buffer.alloc(0)
  if (typeof keyId !== 'string' || keyId === '' || keyBytes.length !== 32) {
    throw new Error('GitHub answered without a valid key_id and 32-byte base64 key')
  }
  return { keyId, key: new Uint8Array(keyBytes) }
}

/** GitHub Enterprise Server sets GITHUB_API_URL; plain http is allowed only for loopback (tests, emulators). */
function resolveApiUrl(explicit: string | undefined): string {
  const raw = explicit || gitHubApiUrl()
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new GitHubSecretError(`Invalid GitHub API URL "${raw}".`)
  }
  if (url.username !== '' || url.password !== '') {
    throw new GitHubSecretError('Refusing a GitHub API URL that contains credentials; pass the token as github-token.')
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    throw new GitHubSecretError(`Refusing GitHub API URL "${raw}": it must use https:// (http:// only for loopback hosts).`)
  }
  return raw.replace(/\/+$/, '')
}
