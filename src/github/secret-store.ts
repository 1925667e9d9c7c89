/**
 * Stores a value as a GitHub Actions secret (repository or environment):
 * read the target's public key, seal the value to it, PUT the ciphertext.
 * Loaded lazily by the action only when `secret-name` is set, so
 * @actions/github stays out of the other operations' start-up path.
 *
 * REST endpoints (https://docs.github.com/rest/actions/secrets):
 *   GET /repos/{owner}/{repo}/actions/secrets/public-key
 *   PUT /repos/{owner}/{repo}/actions/secrets/{secret_name}
 *   GET /repos/{owner}/{repo}/environments/{environment_name}/secrets/public-key
 *   PUT /repos/{owner}/{repo}/environments/{environment_name}/secrets/{secret_name}
 */
import { getOctokit } from '@actions/github'
import { isLoopbackHost } from '../parsers/api-url.js'
import { USER_AGENT } from '../version.js'
import { sealedBox } from './sealed-box.js'
import { GitHubSecretError } from './secret-error.js'
import {
  assertValidSecretTarget,
  describeSecretLocation,
  MAX_SECRET_BYTES,
  type SecretTarget
} from './secret-target.js'
import { applyRequestPolicy } from './request-policy.js'
import { explainFailure, scrub } from './failure-guidance.js'

export { GitHubSecretError } from './secret-error.js'
export type { SecretTarget } from './secret-target.js'

export interface SecretStoreOptions {
  /** Token allowed to write secrets; never logged. */
  githubToken: string
  /** Default: env GITHUB_API_URL, else https://api.github.com (GHES sets GITHUB_API_URL). */
  apiUrl?: string
  /** Extra attempts for transient failures. */
  retries: number
  /** Time allowed per HTTP attempt, in milliseconds. */
  timeoutMs: number
  /** First retry delay when GitHub sends no Retry-After; doubles per retry. Default 1000. */
  retryBaseDelayMs?: number
  /** Info log; it is never given a secret. */
  log: (message: string) => void
}

/** A secret target whose public key has been read: `store` seals a value to that key and PUTs it. */
export interface PreparedSecret {
  store(value: string): Promise<void>
}

/** Encrypts `value` with the target's public key and writes it as the secret `target.secretName`. */
export async function storeSecret(value: string, target: SecretTarget, options: SecretStoreOptions): Promise<void> {
  assertAcceptableValue(value)
  await (await prepareSecret(target, options)).store(value)
}

/** GitHub's limits on a value, checked locally so a bad one sends nothing. */
function assertAcceptableValue(value: string): Uint8Array {
  const valueBytes = new TextEncoder().encode(value)
  if (valueBytes.length === 0) throw new GitHubSecretError('Refusing to store an empty value as a GitHub secret.')
  if (valueBytes.length > MAX_SECRET_BYTES) {
    throw new GitHubSecretError(`The value is ${valueBytes.length} bytes; GitHub secrets are limited to 48 KB.`)
  }
  return valueBytes
}

/**
 * Everything that can fail before a value exists: the target's rules, the token, and reading the
 * public key. A rotation calls this first, so a github-token that cannot read the key stops the
 * step before any Turso token is invalidated; the key read here is the one the PUT uses.
 */
export async function prepareSecret(target: SecretTarget, options: SecretStoreOptions): Promise<PreparedSecret> {
  assertValidSecretTarget(target)
  if (options.githubToken === '') {
    throw new GitHubSecretError('github-token is required to write a GitHub secret.')
  }
  const baseUrl = resolveApiUrl(options.apiUrl)
  const client = getOctokit(options.githubToken, { baseUrl, userAgent: USER_AGENT })
  applyRequestPolicy(client, {
    retries: options.retries,
    timeoutMs: options.timeoutMs,
    baseDelayMs: options.retryBaseDelayMs ?? 1000,
    log: options.log
  })

  const [owner = '', repo = ''] = target.repository.split('/')
  const location = describeSecretLocation(target)
  const fail = (step: string, error: unknown, value = ''): GitHubSecretError => {
    const failure = explainFailure(error, target, options.retries)
    return new GitHubSecretError(
      scrub(`Could not write secret ${target.secretName} to ${location}: ${step}: ${failure.message}`, value, options.githubToken),
      failure.status
    )
  }

  let publicKey: PublicKey
  try {
    const response =
      target.environment === undefined
        ? await client.request('GET /repos/{owner}/{repo}/actions/secrets/public-key', { owner, repo })
        : await client.request('GET /repos/{owner}/{repo}/environments/{environment_name}/secrets/public-key', {
            owner,
            repo,
            environment_name: target.environment
          })
    publicKey = parsePublicKey(response.data)
  } catch (error) {
    throw fail('reading its public key failed', error)
  }

  return {
    async store(value: string): Promise<void> {
      const valueBytes = assertAcceptableValue(value)
      const encryptedValue = Buffer.from(sealedBox(valueBytes, publicKey.key)).toString('base64')
      let status: number
      try {
        const body = { encrypted_value: encryptedValue, key_id: publicKey.keyId }
        const response =
          target.environment === undefined
            ? await client.request('PUT /repos/{owner}/{repo}/actions/secrets/{secret_name}', {
                owner,
                repo,
                secret_name: target.secretName,
                ...body
              })
            : await client.request('PUT /repos/{owner}/{repo}/environments/{environment_name}/secrets/{secret_name}', {
                owner,
                repo,
                environment_name: target.environment,
                secret_name: target.secretName,
                ...body
              })
        status = response.status
      } catch (error) {
        throw fail('writing the encrypted value failed', error, value)
      }
      options.log(`GitHub secret ${target.secretName} ${status === 201 ? 'created' : 'updated'} in ${location}.`)
    }
  }
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
  const raw = explicit || process.env.GITHUB_API_URL || 'https://api.github.com'
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
