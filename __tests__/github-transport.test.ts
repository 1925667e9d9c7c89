/**
 * One transport: the GitHub secrets leg runs on the same HttpClient as Turso and the database,
 * in process (so mutants of src/ are seen): its answer cap, its `timeout` on a proxy's CONNECT,
 * its proxy reading, its retries and rate-limit waits; a 422 on the PUT re-seals once; and the
 * errors name the right cause. The bundled dist/index.js cases are in dist-github-transport.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import sodium from 'libsodium-wrappers'
import { prepareSecret, storeSecret } from '../src/github/secret-store.js'
import { createTokenInputs, type Inputs } from './support/action-inputs.js'
import { useEmulator } from './support/emulator.js'
import { useFakeGitHub } from './support/fake-github.js'
import { useSecretStoreOptions } from './support/github-transport.js'
import { useHttpProxy } from './support/http-proxy.js'
import { expectNoLeaks } from './support/leaks.js'
import { startHugeAnswerServer, startRawServer, type RawServer } from './support/raw-server.js'
import { runAction } from './support/run-action.js'
import { errorLines } from './support/workflow-commands.js'

const emulator = useEmulator()
const github = useFakeGitHub()
let logs: string[] = []
const options = useSecretStoreOptions(() => ({ githubToken: github.token, apiUrl: github.url, retries: 1, log: (line) => logs.push(line) }))
const VALUE = 'eyJhbGciOiJFZERTQSIsInR5cCI6IkpXVCJ9.eyJhIjoicnciLCJpYXQiOjE3MDAwMDAwMDB9.b25lLXRyYW5zcG9ydA'
const TARGET = { repository: 'octo-org/app', secretName: 'TURSO_AUTH_TOKEN' }
const PUBLIC_KEY = '/repos/octo-org/app/actions/secrets/public-key'

const proxy = useHttpProxy()
afterEach(() => {
  logs = []
  github.secrets.clear()
})

const actionInputs = (extra: Inputs = {}): Inputs =>
  createTokenInputs(emulator, github, { 'secret-name': 'TURSO_AUTH_TOKEN', 'secret-repository': 'octo-org/app', ...extra })

const mints = (): unknown[] => emulator.requests.filter((request) => request.method === 'POST')
const hostOf = (url: string): string => new URL(url).host
const epochSeconds = (fromNowMs: number): string => String(Math.floor((Date.now() + fromNowMs) / 1000))

describe('the 1 MiB answer cap applies to GitHub', () => {
  let huge: RawServer
  beforeAll(async () => {
    huge = await startHugeAnswerServer(100 * 1024 * 1024)
  })
  afterAll(async () => {
    await huge.close()
  })

  it('a 100 MB public-key answer is cut at 1 MiB and refused, naming the limit, before anything is minted', async () => {
    const run = await runAction(actionInputs({ retries: '0' }), { GITHUB_API_URL: huge.url })
    expect(run.exitCode).toBe(1)
    expect(errorLines(run.stdout)).toEqual([
      expect.stringMatching(/^::error::Could not write secret TURSO_AUTH_TOKEN to repository octo-org\/app: reading its public key failed: GET http:\/\/127\.0\.0\.1:\d+\/repos\/octo-org\/app\/actions\/secrets\/public-key failed after 1 attempt: the response was larger than 1048576 bytes.*\. No answer of the GitHub secrets API is that large: check that GITHUB_API_URL points at the GitHub API/)
    ])
    expect(errorLines(run.stdout)[0]).not.toContain('could not be reached')
    expect(mints()).toEqual([])
    expectNoLeaks(run, [emulator.apiToken, github.token])
  })
})

describe('a proxy in front of GitHub', () => {
  it('that accepts CONNECT and never answers: each attempt ends at `timeout`, the run within timeout × attempts plus the backoff', async () => {
    proxy.behaviour = { silent: true }
    const started = Date.now()
    // Turso direct (NO_PROXY names its port), GitHub through the proxy.
    const run = await runAction(actionInputs({ timeout: '0.5', retries: '1' }), {
      GITHUB_API_URL: github.url,
      HTTP_PROXY: proxy.url,
      NO_PROXY: `127.0.0.1:${new URL(emulator.url).port}`
    })
    const elapsedMs = Date.now() - started
    expect(run.exitCode).toBe(1)
    expect(proxy.requests.map((request) => `${request.kind} ${request.target}`)).toEqual([`connect ${hostOf(github.url)}`, `connect ${hostOf(github.url)}`])
    // Two attempts of 0.5 s, one backoff of at most 1 s, and two seconds of slack (undici's timers
    // tick every half second, and a busy machine); the old transport waited 300 s for the CONNECT answer.
    expect(elapsedMs).toBeLessThan(2 * 500 + 1000 + 2000)
    expect(elapsedMs).toBeGreaterThanOrEqual(2 * 500)
    const [error] = errorLines(run.stdout)
    expect(error).toContain(`${PUBLIC_KEY} failed after 2 attempts: timed out. GitHub did not answer within the timeout input`)
    expect(error).not.toContain('key_id')
    expect(mints()).toEqual([])
  })

  it('that refuses authentication (407): said as such, for GitHub as for Turso', async () => {
    proxy.behaviour = { refuseWith: 407 }
    const run = await runAction(actionInputs({ retries: '0' }), {
      GITHUB_API_URL: github.url,
      HTTP_PROXY: proxy.url,
      NO_PROXY: `127.0.0.1:${new URL(emulator.url).port}`
    })
    expect(run.exitCode).toBe(1)
    const [error] = errorLines(run.stdout)
    expect(error).toContain('reading its public key failed:')
    expect(error).toContain('failed after 1 attempt: the proxy refused authentication (HTTP 407)')
    expect(error).toContain('GitHub could not be reached: check that the GitHub API is reachable from the runner (through the proxy')
    expect(error).not.toMatch(/cancel/i)
    expect(mints()).toEqual([])
  })

  it('HTTP_PROXY alone carries both Turso and GitHub: both go through it', async () => {
    const run = await runAction(actionInputs(), { GITHUB_API_URL: github.url, HTTP_PROXY: proxy.url })
    expect(run.exitCode).toBe(0)
    expect(new Set(proxy.requests.map((request) => request.target))).toEqual(new Set([hostOf(emulator.url), hostOf(github.url)]))
    const lines = proxy.requests.flatMap((request) => request.requestLines)
    expect(lines).toContain(`GET ${PUBLIC_KEY}`)
    expect(lines).toContain('PUT /repos/octo-org/app/actions/secrets/TURSO_AUTH_TOKEN')
    expect(lines.some((line) => line.startsWith('POST /v1/organizations/acme/databases/app-db/auth/tokens'))).toBe(true)
    expect(await github.decrypt(github.secrets.get('repo:octo-org/app:TURSO_AUTH_TOKEN')?.encrypted_value ?? '')).toBe(run.outputs.token)
    expectNoLeaks(run, [emulator.apiToken, github.token, run.outputs.token])
  })

  it.each([
    ['space separated', (github: string, turso: string) => `example.invalid ${turso} ${github}`],
    ['comma and space separated', (github: string, turso: string) => `example.invalid, ${turso}, ${github}`]
  ])('a %s NO_PROXY is read the same for both servers', async (_label, noProxy) => {
    const run = await runAction(actionInputs(), { GITHUB_API_URL: github.url, HTTP_PROXY: proxy.url, NO_PROXY: noProxy(hostOf(github.url), hostOf(emulator.url)) })
    expect(run.exitCode).toBe(0)
    expect(proxy.requests).toEqual([])
    expect(github.secrets.has('repo:octo-org/app:TURSO_AUTH_TOKEN')).toBe(true)
  })

  it('NO_PROXY naming only GitHub sends Turso through the proxy and GitHub direct', async () => {
    const run = await runAction(actionInputs(), { GITHUB_API_URL: github.url, HTTP_PROXY: proxy.url, NO_PROXY: `example.invalid ${hostOf(github.url)}` })
    expect(run.exitCode).toBe(0)
    expect(new Set(proxy.requests.map((request) => request.target))).toEqual(new Set([hostOf(emulator.url)]))
  })

  it.each([
    ['HTTPS_PROXY', 'proxy.example:3128', 'HTTPS_PROXY is not a URL: "proxy.example:3128"'],
    ['HTTP_PROXY', 'localhost:3128', 'HTTP_PROXY is not a URL: "localhost:3128"'],
    ['https_proxy', 'not a proxy', 'https_proxy is not a URL: "not a proxy"'],
    ['HTTP_PROXY', 'ci:hunter2secret@proxy.example:3128', 'HTTP_PROXY is not a URL: "***@proxy.example:3128"'],
    ['HTTP_PROXY', 'ci:hunter2@secret@proxy.example:3128', 'HTTP_PROXY is not a URL: "***@proxy.example:3128"'],
    ['HTTPS_PROXY', 'ftp://ci:hunter2secret@proxy.example', 'HTTPS_PROXY is not a URL: "ftp://***@proxy.example"']
  ])('%s=%j without a scheme is refused naming the variable, before any request', async (variable, value, says) => {
    const run = await runAction(actionInputs(), { GITHUB_API_URL: github.url, [variable]: value })
    expect(run.exitCode).toBe(1)
    expect(errorLines(run.stdout)).toEqual([expect.stringContaining(says)])
    expect(errorLines(run.stdout)[0]).toContain('such as http://proxy.example:3128')
    expect(run.stdout).not.toContain('hunter2secret')
    expect(emulator.requests).toEqual([])
    expect(github.requests).toEqual([])
  })

  it('a proxy variable set to a URL with a scheme, or empty, is accepted', async () => {
    const run = await runAction(actionInputs(), { GITHUB_API_URL: github.url, HTTPS_PROXY: '', HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.1' })
    expect(run.exitCode).toBe(0)
  })

  it('the lower-case variable is the one read (and named), as undici reads it', async () => {
    const run = await runAction(actionInputs(), { GITHUB_API_URL: github.url, http_proxy: 'proxy.example:1', HTTP_PROXY: proxy.url })
    expect(errorLines(run.stdout)).toEqual([expect.stringContaining('http_proxy is not a URL')])
  })
})

describe('GitHub rate limits', () => {
  it('a primary limit (403, x-ratelimit-remaining: 0) that outlasts the retries is a rate limit with the time it lifts, not a permission', async () => {
    const resetAt = epochSeconds(45 * 60 * 1000)
    github.failNext({ status: 403, body: { message: 'API rate limit exceeded for user ID 1.' }, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': resetAt } })
    const run = await runAction(actionInputs({ retries: '0' }), { GITHUB_API_URL: github.url })
    expect(run.exitCode).toBe(1)
    const [error] = errorLines(run.stdout)
    const liftsAt = new Date(Number(resetAt) * 1000).toISOString().replace('.000Z', 'Z')
    expect(error).toContain('API rate limit exceeded for user ID 1. (HTTP 403). GitHub is rate limiting the github-token (still limited after 1 attempt)')
    expect(error).toContain(`it lifts at ${liftsAt} (in 45 min)`)
    expect(error).toContain("not a missing permission: the token's permissions need no change")
    expect(error).not.toContain('lacks permission')
    expect(mints()).toEqual([])
  })

  it('a secondary limit (403 with retry-after) says when it lifts in seconds', async () => {
    const answer = { status: 403, body: { message: 'You have exceeded a secondary rate limit.' }, headers: { 'retry-after': '0.01' } }
    github.failNext(answer, answer)
    const error = await storeSecret(VALUE, TARGET, options({ retries: 1, maxDelayMs: 5 })).then(
      () => undefined,
      (caught: Error) => caught
    )
    expect(error?.message).toMatch(/GitHub is rate limiting the github-token \(still limited after 2 attempts\); it lifts at \S+Z \(in 1 s\)/)
    expect(logs).toEqual([expect.stringContaining('failed (HTTP 403, rate limited); retrying in')])
  })

  it('a limit without a time to lift says GitHub did not say', async () => {
    github.failNext({ status: 429, body: { message: 'Too many' } })
    const error = await storeSecret(VALUE, TARGET, options({ retries: 0 })).then(
      () => undefined,
      (caught: Error) => caught
    )
    expect(error?.message).toContain('Too many (HTTP 429). GitHub is rate limiting the github-token (still limited after 1 attempt); GitHub did not say when it lifts')
  })

  it('a primary limit that lifts within the cap is waited out and retried: the secret is written', async () => {
    github.failNext({ status: 403, body: { message: 'API rate limit exceeded' }, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': epochSeconds(1000) } })
    const started = Date.now()
    await storeSecret(VALUE, TARGET, options({ retries: 1 }))
    expect(Date.now() - started).toBeGreaterThanOrEqual(1)
    expect(logs[0]).toMatch(/^Attempt 1 of 2: GET \/repos\/octo-org\/app\/actions\/secrets\/public-key failed \(HTTP 403, rate limited\); retrying in [0-2]\.\d s$/)
    expect(await github.decrypt(github.secrets.get('repo:octo-org/app:TURSO_AUTH_TOKEN')?.encrypted_value ?? '')).toBe(VALUE)
  })

  it('a 403 without rate-limit headers is still a missing permission, sent once', async () => {
    github.failNext({ status: 403, body: { message: 'Resource not accessible by personal access token' }, headers: { 'x-ratelimit-remaining': '4999' } })
    const error = await storeSecret(VALUE, TARGET, options({ retries: 2 })).then(
      () => undefined,
      (caught: Error) => caught
    )
    expect(error?.message).toContain('The github-token lacks permission to write secrets')
    expect(error?.message).not.toContain('rate limit')
    expect(github.requests).toHaveLength(1)
  })
})

describe('a 422 on the PUT: the destination key changed between the GET and the PUT', () => {
  /** GitHub rotates the repository's key: new pair, new key_id. */
  async function rotateRepositoryKey(): Promise<{ restore(): void }> {
    await sodium.ready
    const before = github.keys.repository
    const pair = sodium.crypto_box_keypair()
    github.keys.repository = { keyId: '999000111', keyPair: { publicKey: pair.publicKey, privateKey: pair.privateKey } }
    return {
      restore: () => {
        github.keys.repository = before
      }
    }
  }

  it('reads the key again, seals anew and writes once more: the value opens with the new key', async () => {
    const prepared = await prepareSecret(TARGET, options())
    const rotation = await rotateRepositoryKey()
    try {
      await prepared.store(VALUE)
      expect(github.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
        `GET ${PUBLIC_KEY}`,
        'PUT /repos/octo-org/app/actions/secrets/TURSO_AUTH_TOKEN',
        `GET ${PUBLIC_KEY}`,
        'PUT /repos/octo-org/app/actions/secrets/TURSO_AUTH_TOKEN'
      ])
      const stored = github.secrets.get('repo:octo-org/app:TURSO_AUTH_TOKEN')
      expect(stored?.key_id).toBe('999000111')
      expect(await github.decryptFor('repository', stored?.encrypted_value ?? '')).toBe(VALUE)
      expect(logs).toEqual([
        'GitHub refused the sealed value for repository octo-org/app (HTTP 422); reading its public key again and sealing the value anew',
        'GitHub secret TURSO_AUTH_TOKEN created in repository octo-org/app.'
      ])
    } finally {
      rotation.restore()
    }
  })

  it('only once: a second 422 fails, saying the key was read again', async () => {
    const prepared = await prepareSecret(TARGET, options())
    const key = { status: 200, body: { key_id: github.keyId, key: Buffer.from(github.keyPair.publicKey).toString('base64') } }
    const refused = { status: 422, body: { message: 'Bad key_id' } }
    github.failNext(refused, key, refused)
    const error = await prepared.store(VALUE).then(
      () => undefined,
      (caught: Error) => caught
    )
    expect(error?.message).toBe(
      'Could not write secret TURSO_AUTH_TOKEN to repository octo-org/app: writing the encrypted value failed, also after reading the public key again and sealing anew: Bad key_id (HTTP 422).'
    )
    expect(github.requests.map((request) => request.method)).toEqual(['GET', 'PUT', 'GET', 'PUT'])
  })

  it('when reading the key again fails, that failure is what is said', async () => {
    const prepared = await prepareSecret(TARGET, options())
    github.failNext({ status: 422, body: { message: 'Bad key_id' } }, { status: 404, body: { message: 'Not Found' } })
    const error = await prepared.store(VALUE).then(
      () => undefined,
      (caught: Error) => caught
    )
    expect(error?.message).toContain('GitHub refused the sealed value (HTTP 422), and reading its public key again failed: Not Found (HTTP 404)')
    expect(github.requests.map((request) => request.method)).toEqual(['GET', 'PUT', 'GET'])
  })

  it('another refusal on the PUT (403) is not retried with a new key', async () => {
    const prepared = await prepareSecret(TARGET, options())
    github.failNext({ status: 403, body: { message: 'Resource not accessible by personal access token' } })
    await expect(prepared.store(VALUE)).rejects.toThrow('writing the encrypted value failed: Resource not accessible')
    expect(github.requests.map((request) => request.method)).toEqual(['GET', 'PUT'])
  })

  it('after a rotation, a PUT that still fails tells one way to recover: never both "run the step again" and "do not rotate again"', async () => {
    const key = { status: 200, body: { key_id: github.keyId, key: Buffer.from(github.keyPair.publicKey).toString('base64') } }
    const refused = { status: 422, body: { message: 'Validation Failed' } }
    github.failNext(key, refused, key, refused)
    const run = await runAction(actionInputs({ operation: 'rotate' }), { GITHUB_API_URL: github.url })
    expect(run.exitCode).toBe(1)
    const [error] = errorLines(run.stdout)
    expect(error).toContain('also after reading the public key again and sealing anew: Validation Failed (HTTP 422)')
    expect(error).toContain('do not rotate again')
    expect(error).not.toMatch(/run the step again|try again/)
  })
})

describe('GitHub failures never say "run the step again"', () => {
  it.each([
    ['a 502 to the end', { status: 502, body: { message: 'Bad Gateway' } }],
    ['a 408 to the end', { status: 408, body: { message: 'Request Timeout' } }],
    ['a 429 to the end', { status: 429, body: { message: 'Too Many Requests' } }]
  ])('%s', async (_label, answer) => {
    github.failNext({ ...answer, headers: { 'retry-after': '0' } }, { ...answer, headers: { 'retry-after': '0' } })
    const error = await storeSecret(VALUE, TARGET, options({ retries: 1 })).then(
      () => undefined,
      (caught: Error) => caught
    )
    expect(error?.message).toContain(`(HTTP ${answer.status})`)
    expect(error?.message).toContain('after 2 attempts')
    expect(error?.message).not.toMatch(/again/)
  })
})

describe('secret-environment "." and ".."', () => {
  it.each(['.', '..'])('%j is refused naming the input, before any request to Turso or GitHub', async (environment) => {
    const run = await runAction(actionInputs({ 'secret-environment': environment }), { GITHUB_API_URL: github.url })
    expect(run.exitCode).toBe(1)
    expect(errorLines(run.stdout)).toEqual([expect.stringContaining(`Invalid secret-environment "${environment}": "." and ".." are not environment names`)])
    expect(github.requests).toEqual([])
    expect(emulator.requests).toEqual([])
  })
})

describe('GitHub requests and answers, as github-api.ts makes and reads them', () => {
  it('GET without a body or content-type; PUT with JSON and its content-type; both with the token, the API version and GitHub’s media type', async () => {
    await storeSecret(VALUE, TARGET, options())
    const [get, put] = github.requests
    expect(get.headers['content-type']).toBeUndefined()
    expect(get.body).toBeUndefined()
    expect(put.headers['content-type']).toBe('application/json')
    expect(Object.keys(put.body as object).sort()).toEqual(['encrypted_value', 'key_id'])
    for (const request of [get, put]) {
      expect(request.headers.authorization).toBe(`Bearer ${github.token}`)
      expect(request.headers.accept).toBe('application/vnd.github+json')
      expect(request.headers['x-github-api-version']).toBe('2022-11-28')
    }
  })

  it('a 300 is an answer to refuse, not a success: redirects are not followed', async () => {
    github.failNext({ status: 300, body: { message: 'Multiple Choices' }, headers: { location: `${github.url}/elsewhere` } })
    await expect(storeSecret(VALUE, TARGET, options())).rejects.toThrow('reading its public key failed: GitHub redirected the request (HTTP 300)')
  })

  it('an empty 201 still counts as created', async () => {
    const key = { status: 200, body: { key_id: github.keyId, key: Buffer.from(github.keyPair.publicKey).toString('base64') } }
    github.failNext(key, { status: 201 })
    await storeSecret(VALUE, TARGET, options())
    expect(logs).toEqual(['GitHub secret TURSO_AUTH_TOKEN created in repository octo-org/app.'])
  })

  it.each<[string, unknown, string]>([
    ['GitHub’s message', { message: 'Must have admin rights', documentation_url: 'https://docs.github.com' }, 'Must have admin rights (HTTP 418)'],
    ['an empty message: the body as it came', { message: '' }, '{"message":""} (HTTP 418)'],
    ['a message that is not text: the body', { message: 42 }, '{"message":42} (HTTP 418)'],
    ['JSON that is no object: the body', 'teapot', '"teapot" (HTTP 418)'],
    ['JSON null: the body', null, 'null (HTTP 418)'],
    ['no body at all', undefined, '(no message) (HTTP 418)']
  ])('an error answer with %s', async (_label, body, says) => {
    github.failNext({ status: 418, body })
    await expect(storeSecret(VALUE, TARGET, options())).rejects.toThrow(`reading its public key failed: ${says}`)
  })

  describe('answers that are not JSON', () => {
    let plain: RawServer
    beforeAll(async () => {
      plain = await startRawServer((socket, request) => {
        const status = request.includes('/public-key') && request.startsWith('GET /repos/octo-org/api/') ? '200 OK' : '502 Bad Gateway'
        const body = status === '200 OK' ? 'hello, not json' : 'upstream broke'
        socket.end(`HTTP/1.1 ${status}\r\ncontent-type: text/plain\r\ncontent-length: ${body.length}\r\n\r\n${body}`)
      })
    })
    afterAll(async () => {
      await plain.close()
    })

    it('a 200 that is not JSON is refused in our words', async () => {
      await expect(storeSecret(VALUE, { ...TARGET, repository: 'octo-org/api' }, options({ apiUrl: plain.url }))).rejects.toThrow(
        'reading its public key failed: GitHub answered HTTP 200 with a body that is not JSON'
      )
    })

    it('an error whose body is not JSON shows that body', async () => {
      await expect(storeSecret(VALUE, TARGET, options({ apiUrl: plain.url, retries: 0 }))).rejects.toThrow('reading its public key failed: upstream broke (HTTP 502)')
    })
  })
})
