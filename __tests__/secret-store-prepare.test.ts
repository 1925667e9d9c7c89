/** The secret store split in two: prepareSecret (read the public key) before a rotation, store (seal and PUT) after it. */
import { describe, expect, it } from '@jest/globals'
import { GitHubSecretError, prepareSecret } from '../src/github/secret-store.js'
import { useFakeGitHub } from './support/fake-github.js'
import { useSecretStoreOptions } from './support/github-transport.js'
import { rejectedWith } from './support/rejection.js'

const github = useFakeGitHub()
const VALUE = 'eyJhbGciOiJFZERTQSIsInR5cCI6IkpXVCJ9.eyJhIjoicnciLCJpYXQiOjE3MDAwMDAwMDB9.c2VjcmV0LXNpZ25hdHVyZQ'
const target = { repository: 'octo-org/app', secretName: 'TURSO_TOKEN' }

const options = useSecretStoreOptions(() => ({ githubToken: github.token, apiUrl: github.url, log: () => undefined }))

const calls = (): string[] => github.requests.map((request) => `${request.method} ${request.path}`)

describe('prepareSecret', () => {
  it('reads the public key and nothing else; store then PUTs with that key, without reading it again', async () => {
    const prepared = await prepareSecret(target, options())
    expect(calls()).toEqual(['GET /repos/octo-org/app/actions/secrets/public-key'])
    await prepared.store(VALUE)
    expect(calls()).toEqual(['GET /repos/octo-org/app/actions/secrets/public-key', 'PUT /repos/octo-org/app/actions/secrets/TURSO_TOKEN'])
    const stored = github.secrets.get('repo:octo-org/app:TURSO_TOKEN')
    expect(stored?.key_id).toBe(github.keyId)
    expect(await github.decrypt(stored?.encrypted_value ?? '')).toBe(VALUE)
  })

  it('fails with GitHubSecretError when the key cannot be read, before any value exists', async () => {
    const error = await rejectedWith(GitHubSecretError, prepareSecret(target, options({ githubToken: 'ghp_wrongtoken0000000000' })))
    expect(error.status).toBe(401)
    expect(error.message).toMatch(/^Could not write secret TURSO_TOKEN to repository octo-org\/app: reading its public key failed: /)
    expect(error.message).not.toContain('ghp_wrongtoken0000000000')
  })

  it('store refuses an empty value without sending anything', async () => {
    const prepared = await prepareSecret(target, options())
    await expect(prepared.store('')).rejects.toThrow('Refusing to store an empty value')
    expect(calls()).toEqual(['GET /repos/octo-org/app/actions/secrets/public-key'])
  })
})
