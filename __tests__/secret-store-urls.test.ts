/**
 * Which GitHub API URLs the secret store talks to, what it makes of a public-key answer that
 * lacks part of the key, and how long it waits before a retry when nobody said: against the
 * fake GitHub secrets API on loopback.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { GitHubSecretError, storeSecret, type SecretTarget } from '../src/github/secret-store.js'
import { useFakeGitHub } from './support/fake-github.js'
import { useSecretStoreOptions } from './support/github-transport.js'
import { rejectedWith } from './support/rejection.js'

const VALUE = 'eyJhbGciOiJFZERTQSIsInR5cCI6IkpXVCJ9.eyJhIjoicnciLCJpYXQiOjE3MDAwMDAwMDB9.c2VjcmV0LXNpZ25hdHVyZQ'
const TARGET: SecretTarget = { repository: 'octo-org/app', secretName: 'TURSO_TOKEN' }

const github = useFakeGitHub()
let logs: string[]
let savedApiUrl: string | undefined

beforeEach(() => {
  logs = []
  github.secrets.clear()
  savedApiUrl = process.env.GITHUB_API_URL
  delete process.env.GITHUB_API_URL
})

afterEach(() => {
  if (savedApiUrl === undefined) delete process.env.GITHUB_API_URL
  else process.env.GITHUB_API_URL = savedApiUrl
})

const options = useSecretStoreOptions(() => ({ githubToken: github.token, apiUrl: github.url, log: (message) => logs.push(message) }))

const failure = (promise: Promise<void>): Promise<GitHubSecretError> => rejectedWith(GitHubSecretError, promise)

async function storedValue(): Promise<string> {
  const stored = github.secrets.get('repo:octo-org/app:TURSO_TOKEN')
  expect(stored).toBeDefined()
  return github.decrypt(stored?.encrypted_value ?? '')
}

describe('a GitHub API URL that carries credentials', () => {
  const port = (): string => new URL(github.url).port
  it.each<[string, () => string, string]>([
    ['a user name alone', () => `http://deployer@127.0.0.1:${port()}`, 'deployer'],
    ['a password alone', () => `http://:hunter22@127.0.0.1:${port()}`, 'hunter22'],
    ['a user name and password', () => `http://deployer:hunter22@127.0.0.1:${port()}`, 'hunter22'],
    ['https and a user name alone', () => 'https://deployer@github.example.com/api/v3', 'deployer']
  ])('%s: refused before any request, without echoing it', async (_label, url, credential) => {
    const error = await failure(storeSecret(VALUE, TARGET, options({ apiUrl: url() })))
    expect(error.message).toBe('Refusing a GitHub API URL that contains credentials; pass the token as github-token.')
    expect(error.message).not.toContain(credential)
    expect(github.requests).toEqual([])
  })
})

describe('the scheme of the GitHub API URL', () => {
  const port = (): string => new URL(github.url).port
  it.each<[string, () => string]>([
    ['ftp on loopback', () => `ftp://127.0.0.1:${port()}`],
    ['ws on loopback', () => `ws://127.0.0.1:${port()}`],
    ['a file URL', () => 'file:///etc/passwd'],
    ['plain http to a remote host', () => 'http://github.example.com/api/v3']
  ])('%s: refused before any request', async (_label, url) => {
    const error = await failure(storeSecret(VALUE, TARGET, options({ apiUrl: url() })))
    expect(error.message).toContain('it must use https:// (http:// only for loopback hosts)')
    expect(github.requests).toEqual([])
  })

  it('text that is not a URL: refused, quoted, before any request', async () => {
    const error = await failure(storeSecret(VALUE, TARGET, options({ apiUrl: 'github.example.com/api/v3' })))
    expect(error.message).toBe('Invalid GitHub API URL "github.example.com/api/v3".')
    expect(github.requests).toEqual([])
  })

  it('https (GitHub Enterprise Server on any host) is accepted: the request is sent', async () => {
    // Nothing listens on port 1, so the attempt fails at the connection, not at the URL check.
    const error = await failure(storeSecret(VALUE, TARGET, options({ apiUrl: 'https://127.0.0.1:1/api/v3' })))
    expect(error.message).toMatch(/^Could not write secret TURSO_TOKEN to .*: reading its public key failed: /)
    expect(error.message).not.toContain('Refusing')
  })

  it('plain http to localhost (an emulator) is accepted', async () => {
    await storeSecret(VALUE, TARGET, options({ apiUrl: `http://localhost:${port()}` }))
    expect(await storedValue()).toBe(VALUE)
  })

  it('trailing slashes are dropped, so every path keeps one leading slash', async () => {
    await storeSecret(VALUE, TARGET, options({ apiUrl: `${github.url}///` }))
    expect(github.requests.map((request) => request.path)).toEqual([
      '/repos/octo-org/app/actions/secrets/public-key',
      '/repos/octo-org/app/actions/secrets/TURSO_TOKEN'
    ])
  })

  it('an empty apiUrl falls back to GITHUB_API_URL', async () => {
    process.env.GITHUB_API_URL = github.url
    await storeSecret(VALUE, TARGET, options({ apiUrl: '' }))
    expect(await storedValue()).toBe(VALUE)
  })

  it('a GITHUB_API_URL with credentials is refused too', async () => {
    process.env.GITHUB_API_URL = `http://:hunter22@127.0.0.1:${port()}`
    const error = await failure(storeSecret(VALUE, TARGET, options({ apiUrl: undefined })))
    expect(error.message).toContain('contains credentials')
    expect(github.requests).toEqual([])
  })
})

describe('a public key answer missing part of the key', () => {
  const key = (): string => Buffer.alloc(32, 7).toString('base64')
  it.each<[string, () => unknown]>([
    ['no key_id', () => ({ key: key() })],
    ['an empty key_id', () => ({ key_id: '', key: key() })],
    ['a key_id that is not text', () => ({ key_id: 568250167, key: key() })],
    ['no key', () => ({ key_id: '568250167242549743' })],
    ['a key that is not text', () => ({ key_id: '568250167242549743', key: [1, 2, 3] })],
    ['a body that is not an object', () => 'key_id=1'],
    ['a null body', () => null]
  ])('%s: fails on reading the key, and nothing is written', async (_label, body) => {
    github.failNext({ status: 200, body: body() })
    const error = await failure(storeSecret(VALUE, TARGET, options()))
    expect(error.message).toContain('reading its public key failed: GitHub answered without a valid key_id and 32-byte base64 key')
    expect(github.requests).toHaveLength(1)
    expect(github.secrets.has('repo:octo-org/app:TURSO_TOKEN')).toBe(false)
    expect(error.message).not.toContain(VALUE)
  })
})

describe('the retry delay when GitHub gives no Retry-After', () => {
  it('starts at about one second when the caller sets none', async () => {
    github.failNext({ status: 503, body: { message: 'Service Unavailable' } })
    await storeSecret(VALUE, TARGET, options({ retries: 1, retryBaseDelayMs: undefined }))
    // Equal jitter on a 1 s base: between half a second and one second.
    expect(logs.filter((line) => line.includes('retrying'))).toEqual([expect.stringMatching(/^Attempt 1 of 2: .*HTTP 503.*retrying in (0\.[5-9]|1\.0) s$/)])
    expect(await storedValue()).toBe(VALUE)
  })
})

describe('the size limit of a secret value', () => {
  it('a value of exactly 48 KB is stored; one byte more is refused before any request', async () => {
    const largest = 'x'.repeat(48 * 1024)
    await storeSecret(largest, TARGET, options())
    expect(await storedValue()).toBe(largest)
    github.requests.length = 0
    const error = await failure(storeSecret(`${largest}x`, TARGET, options()))
    expect(error.message).toBe('The value is 49153 bytes; GitHub secrets are limited to 48 KB.')
    expect(github.requests).toEqual([])
  })
})
