/**
 * The emulator's GitHub side (under /github on the API port): the routes of
 * ../shared/reference/github-secrets-api.md with GitHub's shapes, a key pair per destination,
 * PUTs opened with the private key and refused (422) when stale or unopenable, the control
 * route that shows what is stored, and GitHub faults (rate limits, a key rotated between the
 * GET and the PUT). The action's own secret store writes secrets that open to the same value.
 */
import { describe, expect, it } from '@jest/globals'
import sodium from 'libsodium-wrappers'
import { prepareSecret, type SecretStoreOptions, type SecretTarget } from '../src/github/secret-store.js'
import { useEmulator } from './support/emulator.js'
import { useSecretStoreOptions, type StoreOptionOverrides } from './support/github-transport.js'

const emulator = useEmulator()
const TOKEN = 'ghp_emulatorAnyNonEmptyToken'
// Shaped like a minted Turso JWT.
const VALUE = 'eyJhbGciOiJFZERTQSIsInR5cCI6IkpXVCJ9.eyJhIjoicnciLCJpYXQiOjE3MDAwMDAwMDB9.c2VjcmV0LXNpZ25hdHVyZQ'

/** The five destinations of the reference's table: public-key route, and the secret-targets words the emulator uses for it. */
const DESTINATIONS = [
  ['/repos/acme/app/actions/secrets', 'repository acme/app'],
  ['/repos/acme/app/environments/production/secrets', 'environment acme/app production'],
  ['/orgs/acme/actions/secrets', 'organization acme'],
  ['/repos/acme/app/dependabot/secrets', 'dependabot acme/app'],
  ['/orgs/acme/dependabot/secrets', 'dependabot-organization acme']
] as const

async function github(method: string, path: string, body?: unknown, token: string | null = TOKEN): Promise<{ status: number; json: unknown; text: string }> {
  const headers: Record<string, string> = { accept: 'application/vnd.github+json' }
  if (token !== null) headers.authorization = `Bearer ${token}`
  if (body !== undefined) headers['content-type'] = 'application/json'
  const response = await fetch(`${emulator.githubUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
  const text = await response.text()
  return { status: response.status, text, json: text === '' ? undefined : (JSON.parse(text) as unknown) }
}

async function publicKey(collection: string): Promise<{ key_id: string; key: string }> {
  const answer = await github('GET', `${collection}/public-key`)
  expect(answer.status).toBe(200)
  return answer.json as { key_id: string; key: string }
}

async function seal(value: string, keyBase64: string): Promise<string> {
  await sodium.ready
  return sodium.to_base64(sodium.crypto_box_seal(value, sodium.from_base64(keyBase64, sodium.base64_variants.ORIGINAL)), sodium.base64_variants.ORIGINAL)
}

async function storedSecrets(): Promise<{ destination: string; name: string; value: string; visibility?: string; selectedRepositoryIds?: number[] }[]> {
  const response = await fetch(`${emulator.url}/_emulator/github/secrets`)
  return ((await response.json()) as { secrets: [] }).secrets
}

const makeStoreOptions = useSecretStoreOptions(() => ({ githubToken: TOKEN, apiUrl: emulator.githubUrl, retries: 2, timeoutMs: 5000, log: () => undefined }))

function storeOptions(log: string[] = [], overrides: StoreOptionOverrides = {}): SecretStoreOptions {
  return makeStoreOptions({ log: (line) => log.push(line), ...overrides })
}

describe('authentication', () => {
  it.each([
    ['no Authorization header', null],
    ['an empty token', '']
  ])('%s gets GitHub\'s 401', async (_case, token) => {
    const answer = await github('GET', '/repos/acme/app/actions/secrets/public-key', undefined, token)
    expect(answer.status).toBe(401)
    expect(answer.json).toEqual({ message: 'Requires authentication', documentation_url: expect.stringMatching(/^https:\/\/docs\.github\.com\//u), status: '401' })
  })

  it('takes any non-empty token, as Bearer or token', async () => {
    const response = await fetch(`${emulator.githubUrl}/repos/acme/app`, { headers: { authorization: 'token x' } })
    expect(response.status).toBe(200)
  })
})

describe('public keys: one key pair per destination', () => {
  it.each(DESTINATIONS)('GET %s/public-key answers {key_id, key}: a 32-byte base64 key (%s)', async (collection, destination) => {
    const key = await publicKey(collection)
    expect(emulator.github.publicKey(destination)).toEqual({ keyId: key.key_id, key: key.key })
    expect(Object.keys(key).sort()).toEqual(['key', 'key_id'])
    expect(key.key_id).toMatch(/^\d{18}$/u)
    expect(Buffer.from(key.key, 'base64')).toHaveLength(32)
    // The same key until it is rotated.
    expect(await publicKey(collection)).toEqual(key)
  })

  it('every destination has its own key and key_id, a repository\'s differs from another\'s', async () => {
    const keys = await Promise.all([...DESTINATIONS.map(([collection]) => collection), '/repos/acme/api/actions/secrets'].map(publicKey))
    expect(new Set(keys.map((key) => key.key)).size).toBe(6)
    expect(new Set(keys.map((key) => key.key_id)).size).toBe(6)
    expect(emulator.github.publicKey('repository acme/app')).toEqual({ keyId: keys[0]?.key_id, key: keys[0]?.key })
  })

  it.each([
    '/repos/acme/nope/actions/secrets/public-key',
    '/repos/acme/app/environments/nope/secrets/public-key',
    '/orgs/nope/actions/secrets/public-key',
    '/repos/acme/app/codespaces/secrets/public-key',
    '/repos/acme/app/actions/secrets/public-key/extra'
  ])('404 Not Found for %s', async (path) => {
    const answer = await github('GET', path)
    expect(answer.status).toBe(404)
    expect(answer.json).toMatchObject({ message: 'Not Found' })
  })

  it('an environment name is one percent-encoded segment, matched without case as GitHub does', async () => {
    expect((await github('GET', '/repos/ACME/App/environments/Production/secrets/public-key')).status).toBe(200)
  })
})

describe('GET /repos/{owner}/{repo}: the repository ID', () => {
  it('answers the id, name, full_name and owner', async () => {
    const answer = await github('GET', '/repos/acme/api')
    expect(answer.status).toBe(200)
    expect(answer.json).toEqual({ id: 1296270, name: 'api', full_name: 'acme/api', private: true, owner: { login: 'acme', type: 'Organization' } })
  })

  it('404 for a repository that does not exist', async () => {
    expect((await github('GET', '/repos/acme/missing')).status).toBe(404)
  })
})

describe('PUT: opened with the private key', () => {
  it('creates (201 {}), then updates (204, no body); the name is upper-cased; only the control route shows the value', async () => {
    const { key, key_id } = await publicKey('/repos/acme/web/actions/secrets')
    const created = await github('PUT', '/repos/acme/web/actions/secrets/turso_token', { encrypted_value: await seal('first', key), key_id })
    expect(created).toMatchObject({ status: 201, json: {} })
    const updated = await github('PUT', '/repos/acme/web/actions/secrets/TURSO_TOKEN', { encrypted_value: await seal('second', key), key_id })
    expect(updated).toEqual({ status: 204, text: '', json: undefined })
    expect(await storedSecrets()).toContainEqual(expect.objectContaining({ destination: 'repository acme/web', name: 'TURSO_TOKEN', value: 'second', keyId: key_id }))
    expect(emulator.github.secretValue('repository acme/web', 'turso_token')).toBe('second')
    expect(created.text + updated.text).not.toContain('second')
  })

  it('422 for a key_id that is not the current one, and nothing is stored', async () => {
    const { key } = await publicKey('/repos/acme/web/dependabot/secrets')
    const answer = await github('PUT', '/repos/acme/web/dependabot/secrets/STALE', { encrypted_value: await seal('x', key), key_id: '123' })
    expect(answer.status).toBe(422)
    expect(answer.json).toMatchObject({ message: expect.stringContaining('is not the current key of this secret store') })
    expect(emulator.github.secretValue('dependabot acme/web', 'STALE')).toBeUndefined()
  })

  it('422 for a value sealed to another destination\'s key, or not a sealed box at all', async () => {
    const repositoryKey = await publicKey('/repos/acme/web/actions/secrets')
    const environmentKey = await publicKey('/repos/acme/app/environments/staging/secrets')
    const wrongKey = await github('PUT', '/repos/acme/app/environments/staging/secrets/T', { encrypted_value: await seal('x', repositoryKey.key), key_id: environmentKey.key_id })
    const garbage = await github('PUT', '/repos/acme/app/environments/staging/secrets/T', { encrypted_value: 'bm90IGEgYm94', key_id: environmentKey.key_id })
    for (const answer of [wrongKey, garbage]) {
      expect(answer.status).toBe(422)
      expect(answer.json).toMatchObject({ message: expect.stringContaining('could not be decrypted') })
    }
    expect(emulator.github.secretValue('environment acme/app staging', 'T')).toBeUndefined()
  })

  it.each([
    ['a body without encrypted_value', { key_id: 'k' }, 422, '"encrypted_value" and "key_id" are required'],
    ['a reserved name', 'GITHUB_X', 422, 'Secret names can only contain'],
    ['a name starting with a digit', '1X', 422, 'Secret names can only contain']
  ])('refuses %s', async (_case, bodyOrName, status, wording) => {
    const path = typeof bodyOrName === 'string' ? `/repos/acme/web/actions/secrets/${bodyOrName}` : '/repos/acme/web/actions/secrets/OK'
    const answer = await github('PUT', path, typeof bodyOrName === 'string' ? { encrypted_value: 'x', key_id: 'y' } : bodyOrName)
    expect(answer.status).toBe(status)
    expect(answer.json).toMatchObject({ message: expect.stringContaining(wording) })
  })

  it('400 for a body that is not JSON', async () => {
    const response = await fetch(`${emulator.githubUrl}/repos/acme/web/actions/secrets/T`, { method: 'PUT', headers: { authorization: `Bearer ${TOKEN}` }, body: '{' })
    expect(response.status).toBe(400)
    expect(await response.json()).toMatchObject({ message: 'Problems parsing JSON' })
  })

  it.each([
    ['no visibility', {}, '"visibility" wasn\'t supplied'],
    ['an unknown visibility', { visibility: 'public' }, 'is not a member of'],
    ['repository IDs without selected', { visibility: 'private', selected_repository_ids: [1296269] }, 'only be used when visibility is set to selected'],
    ['the ID of another owner\'s repository', { visibility: 'selected', selected_repository_ids: [1296272] }, 'Repository 1296272 is not a repository of acme']
  ])('organization secrets: 422 for %s', async (_case, extra, wording) => {
    const { key, key_id } = await publicKey('/orgs/acme/actions/secrets')
    const answer = await github('PUT', '/orgs/acme/actions/secrets/ORG_RULES', { encrypted_value: await seal('x', key), key_id, ...extra })
    expect(answer.status).toBe(422)
    expect(answer.json).toMatchObject({ message: expect.stringContaining(wording) })
  })
})

describe("the action's secret store against the emulator", () => {
  const targets: [string, SecretTarget][] = [
    ['repository acme/app', { secretName: 'TURSO_DB_TOKEN', repository: 'acme/app' }],
    ['environment acme/app production', { secretName: 'TURSO_DB_TOKEN', repository: 'acme/app', environment: 'production' }],
    ['organization acme', { secretName: 'TURSO_DB_TOKEN', organization: 'acme', visibility: 'selected', selectedRepositories: ['acme/app', 'acme/api'] }],
    ['dependabot acme/app', { secretName: 'TURSO_DB_TOKEN', repository: 'acme/app', type: 'dependabot' }],
    ['dependabot-organization acme', { secretName: 'TURSO_DB_TOKEN', organization: 'acme', type: 'dependabot' }]
  ]

  it.each(targets)('writes a secret to %s that opens to the same value', async (destination, target) => {
    const log: string[] = []
    const prepared = await prepareSecret(target, storeOptions(log))
    await prepared.store(VALUE)
    expect(emulator.github.secretValue(destination, 'TURSO_DB_TOKEN')).toBe(VALUE)
    await prepared.store(VALUE)
    expect(log).toEqual([expect.stringMatching(/^GitHub secret TURSO_DB_TOKEN created in /u), expect.stringMatching(/^GitHub secret TURSO_DB_TOKEN updated in /u)])
    const gitHubRequests = emulator.requests.filter((request) => request.target === 'github').map((request) => `${request.method} ${request.path}`)
    expect(gitHubRequests.at(-1)).toMatch(/^PUT \/github\/.*\/secrets\/TURSO_DB_TOKEN$/u)
  })

  it('sends the organization visibility and the selected repositories\' IDs', async () => {
    await (await prepareSecret(targets[2]?.[1] as SecretTarget, storeOptions())).store(VALUE)
    expect((await storedSecrets()).find((secret) => secret.destination === 'organization acme')).toMatchObject({ visibility: 'selected', selectedRepositoryIds: [1296269, 1296270] })
  })

  it('a public key rotated between the GET and the PUT: the PUT is refused with 422, and the store reads the key again, re-seals and writes once more', async () => {
    emulator.github.rotateKeys({ afterNextRead: true })
    const prepared = await prepareSecret({ secretName: 'ROTATED_KEY', repository: 'acme/api' }, storeOptions())
    await prepared.store(VALUE)
    const github = emulator.requests.filter((request) => request.target === 'github').map((request) => `${request.method} ${request.path}`)
    expect(github).toEqual([
      'GET /github/repos/acme/api/actions/secrets/public-key',
      'PUT /github/repos/acme/api/actions/secrets/ROTATED_KEY',
      'GET /github/repos/acme/api/actions/secrets/public-key',
      'PUT /github/repos/acme/api/actions/secrets/ROTATED_KEY'
    ])
    expect(emulator.github.secretValue('repository acme/api', 'ROTATED_KEY')).toBe(VALUE)
  })

  it('the rotation can be armed over HTTP too', async () => {
    const armed = await fetch(`${emulator.url}/_emulator/github/rotate-keys`, { method: 'POST', body: '{"afterNextRead":true}' })
    expect(await armed.json()).toEqual({ rotated: 'after the next public-key read' })
    const first = await publicKey('/orgs/acme/dependabot/secrets')
    expect((await publicKey('/orgs/acme/dependabot/secrets')).key_id).not.toBe(first.key_id)
    const now = await fetch(`${emulator.url}/_emulator/github/rotate-keys`, { method: 'POST' })
    expect(await now.json()).toEqual({ rotated: 'now' })
    expect((await fetch(`${emulator.url}/_emulator/github/nope`)).status).toBe(404)
  })
})

describe('GitHub faults through the emulator\'s fault queue', () => {
  it('429 with retry-after: the store waits and retries, then writes', async () => {
    emulator.addFault({ method: 'PUT', path: '/github/repos/acme/app/actions/secrets/*', status: 429, headers: { 'retry-after': '0' }, body: '{"message":"API rate limit exceeded"}' })
    const log: string[] = []
    await (await prepareSecret({ secretName: 'AFTER_429', repository: 'acme/app' }, storeOptions(log))).store(VALUE)
    expect(log[0]).toMatch(/^Attempt 1 of 3: PUT \/github\/repos\/acme\/app\/actions\/secrets\/AFTER_429 failed \(HTTP 429\); retrying in \d\.\d s$/u)
    expect(emulator.github.secretValue('repository acme/app', 'AFTER_429')).toBe(VALUE)
  })

  it('403 with x-ratelimit-remaining 0 and x-ratelimit-reset reaches the client with its headers', async () => {
    emulator.addFault({ path: '/github/*', status: 403, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1700000000' }, body: '{"message":"API rate limit exceeded for installation."}' })
    const response = await fetch(`${emulator.githubUrl}/repos/acme/app`, { headers: { authorization: 'token x' } })
    expect(response.status).toBe(403)
    expect(response.headers.get('x-ratelimit-remaining')).toBe('0')
    expect(response.headers.get('x-ratelimit-reset')).toBe('1700000000')
    expect(await response.json()).toEqual({ message: 'API rate limit exceeded for installation.' })
  })

  it('403 with the rate limit used up and reset now: the store waits for the reset, retries, and writes', async () => {
    const resetNow = String(Math.floor(Date.now() / 1000))
    emulator.addFault({ method: 'GET', path: '/github/*', status: 403, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': resetNow }, body: '{"message":"API rate limit exceeded for user ID 1."}' })
    const log: string[] = []
    await (await prepareSecret({ secretName: 'AFTER_RESET', repository: 'acme/app' }, storeOptions(log))).store(VALUE)
    expect(log[0]).toMatch(/^Attempt 1 of 3: GET \/github\/repos\/acme\/app\/actions\/secrets\/public-key failed \(HTTP 403, rate limited\); retrying in \d\.\d s$/u)
    expect(emulator.github.secretValue('repository acme/app', 'AFTER_RESET')).toBe(VALUE)
  })

  it.each([403, 429])('%i with the rate limit used up for an hour: no retry, and the error says when it resets, not that a permission is missing', async (status) => {
    const reset = Math.floor(Date.now() / 1000) + 3600
    emulator.addFault({ path: '/github/*', status, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) }, body: '{"message":"API rate limit exceeded for installation."}' })
    const log: string[] = []
    const error = await prepareSecret({ secretName: 'LIMITED', repository: 'acme/app' }, storeOptions(log)).then(
      () => new Error('the public key was read'),
      (failure: unknown) => failure as Error
    )
    expect(log).toEqual([])
    expect(emulator.requests.filter((request) => request.target === 'github')).toHaveLength(1)
    const resetAt = new Date(reset * 1000).toISOString().replace(/\.\d{3}Z$/u, 'Z')
    expect(error.message).toContain(
      `Could not write secret LIMITED to repository acme/app: reading its public key failed: API rate limit exceeded for installation. (HTTP ${status}). ` +
        `GitHub is rate limiting the github-token (still limited after 1 attempt); it lifts at ${resetAt}`
    )
    expect(error.message).toContain('This is not a missing permission')
    expect(error.message).not.toContain('lacks permission')
  })

  it.each([['remaining left', { 'x-ratelimit-remaining': '12', 'x-ratelimit-reset': 'HOUR' }]])('a 403 with %s is a permission problem, not a rate limit', async (_case, headers) => {
    const hour = String(Math.floor(Date.now() / 1000) + 3600)
    const fault = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, value === 'HOUR' ? hour : value]))
    emulator.addFault({ path: '/github/*', status: 403, headers: fault, body: '{"message":"Resource not accessible by personal access token"}' })
    const error = await prepareSecret({ secretName: 'DENIED', repository: 'acme/app' }, storeOptions()).then(
      () => new Error('the public key was read'),
      (failure: unknown) => failure as Error
    )
    expect(error.message).toContain('Resource not accessible by personal access token (HTTP 403). ')
    expect(error.message).toContain('The github-token lacks permission to write secrets')
    expect(error.message).not.toContain('rate limit')
  })

  it("a 403 with retry-after (a secondary limit) waits that long, even when the primary one is used up for an hour", async () => {
    const hour = String(Math.floor(Date.now() / 1000) + 3600)
    emulator.addFault({ method: 'GET', path: '/github/*', status: 403, headers: { 'retry-after': '0', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': hour }, body: '{"message":"You have exceeded a secondary rate limit."}' })
    const log: string[] = []
    await (await prepareSecret({ secretName: 'SECONDARY', repository: 'acme/app' }, storeOptions(log))).store(VALUE)
    expect(log[0]).toMatch(/failed \(HTTP 403, rate limited\); retrying in \d\.\d s$/u)
    expect(emulator.github.secretValue('repository acme/app', 'SECONDARY')).toBe(VALUE)
  })

  it('a 500 with x-ratelimit-remaining 0 is a server error, retried and then reported as one', async () => {
    const hour = String(Math.floor(Date.now() / 1000) + 3600)
    emulator.addFault({ path: '/github/*', status: 500, times: 3, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': hour }, body: '{"message":"Server Error"}' })
    const error = await prepareSecret({ secretName: 'BROKEN', repository: 'acme/app' }, storeOptions()).then(
      () => new Error('the public key was read'),
      (failure: unknown) => failure as Error
    )
    expect(error.message).toMatch(/Server Error \(HTTP 500\)\. GitHub still failed after 3 attempts; it may be having an outage/u)
    expect(error.message).not.toContain('rate limit')
    expect(emulator.requests.filter((request) => request.target === 'github')).toHaveLength(3)
  })
})
