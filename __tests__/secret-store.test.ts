import { describe, it, expect, beforeAll, afterAll, beforeEach, afterEach } from '@jest/globals'
import sodium from 'libsodium-wrappers'
import { storeSecret, GitHubSecretError, type SecretTarget } from '../src/github/secret-store.js'
import { startFakeGitHub, type FakeGitHub } from './support/fake-github.js'
import { USER_AGENT } from '../src/version.js'
import { useSecretStoreOptions } from './support/github-transport.js'
import { rejectedWith } from './support/rejection.js'

// A value shaped like a minted Turso JWT; it must never show up in logs or errors.
const VALUE = 'eyJhbGciOiJFZERTQSIsInR5cCI6IkpXVCJ9.eyJhIjoicnciLCJpYXQiOjE3MDAwMDAwMDB9.c2VjcmV0LXNpZ25hdHVyZQ'

let github: FakeGitHub
let logs: string[]

beforeAll(async () => {
  github = await startFakeGitHub({
    repositories: ['octo-org/app'],
    environments: { 'octo-org/app': ['production', 'staging eu/1'] }
  })
})

afterAll(async () => {
  await github.close()
})

beforeEach(() => {
  github.requests.length = 0
  github.secrets.clear()
  logs = []
})

const options = useSecretStoreOptions(() => ({ githubToken: github.token, apiUrl: github.url, retries: 3, log: (message) => logs.push(message) }))

const repoTarget: SecretTarget = { repository: 'octo-org/app', secretName: 'TURSO_TOKEN' }

/** Runs `storeSecret` expecting failure; returns the GitHubSecretError. */
const expectFailure = (promise: Promise<void>): Promise<GitHubSecretError> => rejectedWith(GitHubSecretError, promise)

function expectNoSecretsIn(text: string): void {
  expect(text).not.toContain(VALUE)
  expect(text).not.toContain(github.token)
}

function expectNoSecretsLeaked(error?: Error): void {
  if (error) expectNoSecretsIn(`${error.message}\n${error.stack ?? ''}\n${JSON.stringify(error)}`)
  for (const line of logs) expectNoSecretsIn(line)
}

describe('repository secret', () => {
  it('reads the public key, then PUTs a value the repository key opens to the exact token', async () => {
    await storeSecret(VALUE, repoTarget, options())

    expect(github.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
      'GET /repos/octo-org/app/actions/secrets/public-key',
      'PUT /repos/octo-org/app/actions/secrets/TURSO_TOKEN'
    ])
    for (const request of github.requests) {
      expect(request.headers.authorization).toBe(`Bearer ${github.token}`)
      expect(request.headers['user-agent']).toBe(USER_AGENT)
      expect(request.headers.accept).toBe('application/vnd.github+json')
      expect(request.headers['x-github-api-version']).toBe('2022-11-28')
    }
    const body = github.requests[1]?.body as Record<string, unknown>
    expect(Object.keys(body).sort()).toEqual(['encrypted_value', 'key_id'])
    expect(body.key_id).toBe(github.keyId)
    expect(Buffer.from(body.encrypted_value as string, 'base64')).toHaveLength(32 + 16 + VALUE.length)

    const stored = github.secrets.get('repo:octo-org/app:TURSO_TOKEN')
    expect(stored?.key_id).toBe(github.keyId)
    await sodium.ready
    const opened = sodium.crypto_box_seal_open(
      Buffer.from(stored?.encrypted_value ?? '', 'base64'),
      github.keyPair.publicKey,
      github.keyPair.privateKey,
      'text'
    )
    expect(opened).toBe(VALUE)
    expect(logs).toEqual(['GitHub secret TURSO_TOKEN created in repository octo-org/app.'])
    expectNoSecretsLeaked()
  })

  it('overwrites an existing secret (GitHub answers 204) and says so', async () => {
    await storeSecret('first-value-123', repoTarget, options())
    await storeSecret(VALUE, repoTarget, options())
    expect(await github.decrypt(github.secrets.get('repo:octo-org/app:TURSO_TOKEN')?.encrypted_value ?? '')).toBe(VALUE)
    expect(logs).toEqual([
      'GitHub secret TURSO_TOKEN created in repository octo-org/app.',
      'GitHub secret TURSO_TOKEN updated in repository octo-org/app.'
    ])
  })
})

describe('environment secret', () => {
  it('uses the environment routes and the environment key', async () => {
    await storeSecret(VALUE, { ...repoTarget, environment: 'production' }, options())

    expect(github.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
      'GET /repos/octo-org/app/environments/production/secrets/public-key',
      'PUT /repos/octo-org/app/environments/production/secrets/TURSO_TOKEN'
    ])
    const body = github.requests[1]?.body as Record<string, unknown>
    expect(body.key_id).toBe(github.environmentKeyId)
    const stored = github.secrets.get('env:octo-org/app:production:TURSO_TOKEN')
    await sodium.ready
    const opened = sodium.crypto_box_seal_open(
      Buffer.from(stored?.encrypted_value ?? '', 'base64'),
      github.environmentKeyPair.publicKey,
      github.environmentKeyPair.privateKey,
      'text'
    )
    expect(opened).toBe(VALUE)
    expect(github.secrets.has('repo:octo-org/app:TURSO_TOKEN')).toBe(false)
    expect(logs).toEqual(['GitHub secret TURSO_TOKEN created in environment "production" of repository octo-org/app.'])
  })

  it('percent-encodes an environment name with a space and a slash', async () => {
    await storeSecret(VALUE, { ...repoTarget, environment: 'staging eu/1' }, options())
    expect(github.requests.map((request) => request.path)).toEqual([
      '/repos/octo-org/app/environments/staging%20eu%2F1/secrets/public-key',
      '/repos/octo-org/app/environments/staging%20eu%2F1/secrets/TURSO_TOKEN'
    ])
    expect(await github.decrypt(github.secrets.get('env:octo-org/app:staging eu/1:TURSO_TOKEN')?.encrypted_value ?? '')).toBe(VALUE)
  })
})

describe('GitHub refuses', () => {
  it('401: says the github-token is wrong or expired, without retrying or leaking', async () => {
    const error = await expectFailure(storeSecret(VALUE, repoTarget, options({ githubToken: 'ghp_wrongtoken0000000000' })))
    expect(error.status).toBe(401)
    expect(error.message).toContain('Could not write secret TURSO_TOKEN to repository octo-org/app: ')
    expect(error.message).toContain('Bad credentials (HTTP 401)')
    expect(error.message).toContain('github-token was rejected: it is wrong, expired or revoked')
    expect(error.message).not.toContain('ghp_wrongtoken0000000000')
    expect(github.requests).toHaveLength(1)
    expectNoSecretsLeaked(error)
  })

  it("a PUT refusal that echoes the value: the value is starred out of the error, even when it is not JWT-shaped", async () => {
    const plain = 'plain-secret-value-0123456789abcdef'
    github.failNext(
      { status: 200, body: { key_id: github.keyId, key: Buffer.from(github.keyPair.publicKey).toString('base64') } },
      { status: 403, body: { message: `cannot store ${plain} here` } }
    )
    const error = await expectFailure(storeSecret(plain, repoTarget, options()))
    expect(error.message).toContain('writing the encrypted value failed: cannot store ')
    expect(error.message).not.toContain(plain)
  })

  it('403 on the PUT: explains the permissions a token needs', async () => {
    // Canned answers replace the next two: a normal public key, then a 403 for the PUT.
    github.failNext(
      { status: 200, body: { key_id: github.keyId, key: Buffer.from(github.keyPair.publicKey).toString('base64') } },
      { status: 403, body: { message: 'Resource not accessible by personal access token' } }
    )
    const error = await expectFailure(storeSecret(VALUE, repoTarget, options()))
    expect(error.status).toBe(403)
    expect(error.message).toContain('Could not write secret TURSO_TOKEN to repository octo-org/app: writing the encrypted value failed')
    expect(error.message).toContain('Resource not accessible by personal access token (HTTP 403)')
    expect(error.message).toContain('"Secrets: Read and write"')
    expect(error.message).toContain('classic token needs the `repo` scope')
    expect(error.message).toContain('The default GITHUB_TOKEN cannot write secrets')
    expect(error.message).not.toContain('Environments')
    expect(github.requests.map((request) => request.method)).toEqual(['GET', 'PUT'])
    expect(github.secrets.size).toBe(0)
    expectNoSecretsLeaked(error)
  })

  it('404 for a repository the token cannot see: explains GitHub hides it', async () => {
    const error = await expectFailure(storeSecret(VALUE, { ...repoTarget, repository: 'octo-org/hidden' }, options()))
    expect(error.status).toBe(404)
    expect(error.message).toContain('Could not write secret TURSO_TOKEN to repository octo-org/hidden: reading its public key failed: Not Found (HTTP 404)')
    expect(error.message).toContain('GitHub answers 404 for repositories the token cannot see')
    expect(error.message).toContain('"Secrets: Read and write"')
    expect(github.requests).toHaveLength(1)
    expectNoSecretsLeaked(error)
  })

  it('404 for an unknown environment: names the environment and the Environments permission', async () => {
    const error = await expectFailure(storeSecret(VALUE, { ...repoTarget, environment: 'prod' }, options()))
    expect(error.message).toContain('Could not write secret TURSO_TOKEN to environment "prod" of repository octo-org/app')
    expect(error.message).toContain('that environment "prod" exists')
    expect(error.message).toContain('"Secrets: Read and write" and "Environments: Read and write"')
    expectNoSecretsLeaked(error)
  })

  it('a redirect is not followed, so the token is not replayed elsewhere', async () => {
    // The redirect points back at the fake, so following it would show up as a second request.
    const location = `${github.url}/repositories/42/actions/secrets/public-key`
    github.failNext({ status: 301, headers: { location } })
    const error = await expectFailure(storeSecret(VALUE, repoTarget, options()))
    expect(error.status).toBe(301)
    expect(error.message).toContain(`GitHub redirected the request (HTTP 301) to ${location}`)
    expect(error.message).toContain('renamed or transferred')
    expect(github.requests).toHaveLength(1)
    expect(logs).toEqual([])
  })

  it('a public key that is not 32 bytes fails before anything is written', async () => {
    github.failNext({ status: 200, body: { key_id: '1', key: Buffer.alloc(16).toString('base64') } })
    const error = await expectFailure(storeSecret(VALUE, repoTarget, options()))
    expect(error.message).toContain('reading its public key failed: GitHub answered without a valid key_id and 32-byte base64 key')
    expect(github.requests).toHaveLength(1)
  })
})

describe('transient failures', () => {
  it('retries a 503 and logs the attempt number', async () => {
    github.failNext({ status: 503, body: { message: 'Service Unavailable' } })
    await storeSecret(VALUE, repoTarget, options())
    expect(github.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
      'GET /repos/octo-org/app/actions/secrets/public-key',
      'GET /repos/octo-org/app/actions/secrets/public-key',
      'PUT /repos/octo-org/app/actions/secrets/TURSO_TOKEN'
    ])
    expect(logs[0]).toMatch(/^Attempt 1 of 4: GET \/repos\/octo-org\/app\/actions\/secrets\/public-key failed \(HTTP 503\); retrying in \d+\.\d s$/)
    expect(await github.decrypt(github.secrets.get('repo:octo-org/app:TURSO_TOKEN')?.encrypted_value ?? '')).toBe(VALUE)
  })

  it('honours Retry-After on 429 instead of its own backoff', async () => {
    github.failNext({ status: 429, body: { message: 'Too Many Requests' }, headers: { 'retry-after': '0' } })
    const started = Date.now()
    // A backoff of a minute would time the test out: only Retry-After: 0 lets it finish at once.
    await storeSecret(VALUE, repoTarget, options({ retryBaseDelayMs: 60_000 }))
    expect(Date.now() - started).toBeLessThan(5_000)
    expect(logs[0]).toContain('failed (HTTP 429); retrying in 0.0 s')
    expect(github.requests).toHaveLength(3)
  })

  it('retries a 403 secondary rate limit that carries Retry-After', async () => {
    github.failNext({
      status: 403,
      body: { message: 'You have exceeded a secondary rate limit' },
      headers: { 'retry-after': '0' }
    })
    await storeSecret(VALUE, repoTarget, options())
    expect(logs[0]).toContain('Attempt 1 of 4: GET /repos/octo-org/app/actions/secrets/public-key failed (HTTP 403, rate limited); retrying in 0.0 s')
    expect(github.secrets.has('repo:octo-org/app:TURSO_TOKEN')).toBe(true)
  })

  it('retries a 500 on the PUT, not only on the GET', async () => {
    github.failNext(
      { status: 200, body: { key_id: github.keyId, key: Buffer.from(github.keyPair.publicKey).toString('base64') } },
      { status: 500, body: { message: 'Server Error' } }
    )
    await storeSecret(VALUE, repoTarget, options())
    expect(github.requests.map((request) => request.method)).toEqual(['GET', 'PUT', 'PUT'])
    expect(logs[0]).toMatch(/^Attempt 1 of 4: PUT \/repos\/octo-org\/app\/actions\/secrets\/TURSO_TOKEN failed \(HTTP 500\); /)
    expect(await github.decrypt(github.secrets.get('repo:octo-org/app:TURSO_TOKEN')?.encrypted_value ?? '')).toBe(VALUE)
  })

  it('retries a dropped connection (network error)', async () => {
    github.failNext({ status: 0, dropConnection: true })
    await storeSecret(VALUE, repoTarget, options())
    expect(logs[0]).toMatch(/^Attempt 1 of 4: GET .* failed \(connection reset\); retrying in/)
    expect(github.requests).toHaveLength(3)
    expect(github.secrets.has('repo:octo-org/app:TURSO_TOKEN')).toBe(true)
  })

  it('gives up after `retries` retries with an error that says so', async () => {
    github.failNext(
      { status: 502, body: { message: 'Bad Gateway' } },
      { status: 502, body: { message: 'Bad Gateway' } },
      { status: 502, body: { message: 'Bad Gateway' } }
    )
    const error = await expectFailure(storeSecret(VALUE, repoTarget, options({ retries: 2 })))
    expect(error.status).toBe(502)
    expect(error.message).toContain('Could not write secret TURSO_TOKEN to repository octo-org/app: reading its public key failed: Bad Gateway (HTTP 502)')
    expect(error.message).toContain('GitHub still failed after 3 attempts; it may be having an outage (https://www.githubstatus.com).')
    expect(error.message).not.toMatch(/again/)
    expect(github.requests).toHaveLength(3)
    expect(logs).toHaveLength(2)
    expect(logs[1]).toMatch(/^Attempt 2 of 3: /)
    expect(github.secrets.size).toBe(0)
    expectNoSecretsLeaked(error)
  })

  it('times out a request that gets no answer', async () => {
    github.failNext({ status: 200, body: {}, delayMs: 1_000 })
    const error = await expectFailure(storeSecret(VALUE, repoTarget, options({ retries: 0, timeoutMs: 100 })))
    expect(error.message).toContain('reading its public key failed: GET http://127.0.0.1:')
    expect(error.message).toContain('/repos/octo-org/app/actions/secrets/public-key failed after 1 attempt: timed out. GitHub did not answer within the timeout input')
    expect(error.message).not.toContain('key_id')
    expect(github.requests).toHaveLength(1)
  })

  it('does not retry a 4xx that is not transient', async () => {
    github.failNext({ status: 422, body: { message: 'Validation Failed' } })
    const error = await expectFailure(storeSecret(VALUE, repoTarget, options()))
    expect(error.message).toContain('Validation Failed (HTTP 422)')
    expect(github.requests).toHaveLength(1)
    expect(logs).toEqual([])
  })
})

describe('local validation sends nothing', () => {
  it.each<[string, SecretTarget, string]>([
    ['a name starting with a digit', { repository: 'octo-org/app', secretName: '1TOKEN' }, 'do not start with a digit'],
    ['a dash in the name', { repository: 'octo-org/app', secretName: 'TURSO-TOKEN' }, 'only letters, digits and underscores'],
    ['an empty name', { repository: 'octo-org/app', secretName: '' }, 'Invalid secret-name ""'],
    ['the GITHUB_ prefix', { repository: 'octo-org/app', secretName: 'GITHUB_TOKEN' }, 'reserved by GitHub'],
    ['the github_ prefix in lower case', { repository: 'octo-org/app', secretName: 'github_token' }, 'reserved by GitHub'],
    ['a repository without owner', { repository: 'app', secretName: 'TOKEN' }, 'expected owner/name'],
    ['a repository URL', { repository: 'https://github.com/octo-org/app', secretName: 'TOKEN' }, 'expected owner/name'],
    ['three path parts', { repository: 'octo-org/app/x', secretName: 'TOKEN' }, 'expected owner/name'],
    ['a dot-dot repository', { repository: 'octo-org/..', secretName: 'TOKEN' }, 'expected owner/name'],
    ['an empty environment', { repository: 'octo-org/app', secretName: 'TOKEN', environment: '' }, 'Invalid secret-environment'],
    ['a control character in the environment', { repository: 'octo-org/app', secretName: 'TOKEN', environment: 'prod\n' }, 'Invalid secret-environment "prod\\n"']
  ])('rejects %s', async (_label, target, expected) => {
    const error = await expectFailure(storeSecret(VALUE, target, options()))
    expect(error.message).toContain(expected)
    expect(github.requests).toHaveLength(0)
    expectNoSecretsLeaked(error)
  })

  it('accepts names GitHub accepts', async () => {
    await storeSecret(VALUE, { repository: 'octo-org/app', secretName: '_turso_Token_2' }, options())
    expect(github.secrets.has('repo:octo-org/app:_TURSO_TOKEN_2')).toBe(true)
  })

  it('rejects an empty value and a value over 48 KB', async () => {
    expect((await expectFailure(storeSecret('', repoTarget, options()))).message).toContain('empty value')
    const tooBig = await expectFailure(storeSecret('x'.repeat(48 * 1024 + 1), repoTarget, options()))
    expect(tooBig.message).toContain('49153 bytes; GitHub secrets are limited to 48 KB')
    expect(github.requests).toHaveLength(0)
  })

  it('rejects a missing github-token', async () => {
    const error = await expectFailure(storeSecret(VALUE, repoTarget, options({ githubToken: '' })))
    expect(error.message).toContain('github-token is required')
    expect(github.requests).toHaveLength(0)
  })

  it('rejects an API URL carrying credentials without echoing them', async () => {
    const error = await expectFailure(storeSecret(VALUE, repoTarget, options({ apiUrl: 'https://x:hunter22@github.example.com' })))
    expect(error.message).toContain('contains credentials')
    expect(error.message).not.toContain('hunter22')
  })

  it('rejects a plain-http API URL that is not loopback', async () => {
    const error = await expectFailure(storeSecret(VALUE, repoTarget, options({ apiUrl: 'http://github.example.com/api/v3' })))
    expect(error.message).toContain('must use https://')
  })
})

describe('API URL', () => {
  let savedApiUrl: string | undefined

  beforeEach(() => {
    savedApiUrl = process.env.GITHUB_API_URL
  })

  afterEach(() => {
    if (savedApiUrl === undefined) delete process.env.GITHUB_API_URL
    else process.env.GITHUB_API_URL = savedApiUrl
  })

  it('follows GITHUB_API_URL (GitHub Enterprise Server) when apiUrl is not given', async () => {
    process.env.GITHUB_API_URL = `${github.url}/`
    const withoutApiUrl = options()
    delete withoutApiUrl.apiUrl
    await storeSecret(VALUE, repoTarget, withoutApiUrl)
    expect(github.requests.map((request) => request.path)).toEqual([
      '/repos/octo-org/app/actions/secrets/public-key',
      '/repos/octo-org/app/actions/secrets/TURSO_TOKEN'
    ])
  })

  it('keeps a path prefix such as /api/v3', async () => {
    const error = await expectFailure(storeSecret(VALUE, repoTarget, options({ apiUrl: `${github.url}/api/v3` })))
    expect(error.status).toBe(404)
    expect(github.requests.map((request) => request.path)).toEqual(['/api/v3/repos/octo-org/app/actions/secrets/public-key'])
  })
})
