import { describe, it, expect, beforeAll, afterAll, beforeEach } from '@jest/globals'
import {
  prepareSecret,
  storeSecret,
  GitHubSecretError,
  type SecretTarget
} from '../src/github/secret-store.js'
import { startFakeGitHub, type FakeGitHub, type SecretScopeName } from './support/fake-github.js'
import { useSecretStoreOptions } from './support/github-transport.js'
import { rejectedWith } from './support/rejection.js'

/**
 * The five places GitHub keeps secrets, through prepareSecret/store against the fake GitHub:
 * each sealed with its own store's key (opened here with libsodium's crypto_box_seal_open),
 * organization secrets with their visibility and repository IDs, every check before the value.
 */

// Shaped like a minted Turso JWT; it must never show up in logs or errors.
const VALUE = 'eyJhbGciOiJFZERTQSIsInR5cCI6IkpXVCJ9.eyJhIjoicnciLCJpYXQiOjE3MDAwMDAwMDB9.ZGVzdGluYXRpb25z'

let github: FakeGitHub
let logs: string[]

beforeAll(async () => {
  github = await startFakeGitHub({
    repositories: ['octo-org/app', 'octo-org/api', 'octo-org/web', 'someone/tool'],
    environments: { 'octo-org/app': ['production', 'prod/eu west'] },
    organizations: ['octo-org']
  })
})

afterAll(async () => {
  await github.close()
})

beforeEach(() => {
  github.requests.length = 0
  github.secrets.clear()
  github.deniedScopes.clear()
  github.beforeAnswer = undefined
  logs = []
})

const options = useSecretStoreOptions(() => ({ githubToken: github.token, apiUrl: github.url, retries: 1, log: (message) => logs.push(message) }))

const calls = (): string[] => github.requests.map((request) => `${request.method} ${request.path}`)

async function failure(promise: Promise<unknown>): Promise<GitHubSecretError> {
  const secretError = await rejectedWith(GitHubSecretError, promise)
  for (const text of [secretError.message, secretError.stack ?? '', ...logs]) {
    expect(text).not.toContain(VALUE)
    expect(text).not.toContain(github.token)
  }
  return secretError
}

/** The stored value opens with this store's key and with no other store's key. */
async function expectSealedFor(scope: SecretScopeName, key: string): Promise<void> {
  const stored = github.secrets.get(key)
  expect(stored?.key_id).toBe(github.keys[scope].keyId)
  expect(await github.decryptFor(scope, stored?.encrypted_value ?? '')).toBe(VALUE)
  for (const other of Object.keys(github.keys) as SecretScopeName[]) {
    if (other !== scope) await expect(github.decryptFor(other, stored?.encrypted_value ?? '')).rejects.toThrow()
  }
}

describe('organization Actions secret', () => {
  it('private by default: the organization key, visibility private and no repository list', async () => {
    await storeSecret(VALUE, { organization: 'octo-org', secretName: 'TURSO_TOKEN' }, options())
    expect(calls()).toEqual(['GET /orgs/octo-org/actions/secrets/public-key', 'PUT /orgs/octo-org/actions/secrets/TURSO_TOKEN'])
    const body = github.requests[1]?.body as Record<string, unknown>
    expect(Object.keys(body).sort()).toEqual(['encrypted_value', 'key_id', 'visibility'])
    expect(body.visibility).toBe('private')
    await expectSealedFor('organization', 'org:octo-org:TURSO_TOKEN')
    expect(logs).toEqual(['GitHub secret TURSO_TOKEN created in organization octo-org (visible to its private and internal repositories).'])
  })

  it('all: sends visibility all', async () => {
    await storeSecret(VALUE, { organization: 'octo-org', visibility: 'all', secretName: 'TURSO_TOKEN' }, options())
    expect(github.secrets.get('org:octo-org:TURSO_TOKEN')?.visibility).toBe('all')
    expect(github.secrets.get('org:octo-org:TURSO_TOKEN')?.selected_repository_ids).toBeUndefined()
  })

  it.each([
    ['no body', null],
    ['no id', {}],
    ['an id as text', { id: '1296269' }],
    ['a fractional id', { id: 1.5 }],
    ['a zero id', { id: 0 }],
    ['a negative id', { id: -7 }],
    ['an id past the safe integers', { id: 2 ** 53 }]
  ])('selected: a repository lookup answered with %s fails naming the repository, and nothing is written', async (_case, body) => {
    github.beforeAnswer = (request) => {
      if (request.path.endsWith('/public-key')) github.failNext({ status: 200, body })
    }
    const target: SecretTarget = { organization: 'octo-org', visibility: 'selected', selectedRepositories: ['octo-org/api'], secretName: 'TURSO_TOKEN' }
    const error = await rejectedWith(GitHubSecretError, storeSecret(VALUE, target, options()))
    expect(error.message).toContain('looking up the ID of repository octo-org/api (secret-repositories) failed')
    expect(error.message).toContain('GitHub answered without a valid repository id')
    expect(calls()).toEqual(['GET /orgs/octo-org/actions/secrets/public-key', 'GET /repos/octo-org/api'])
    expect(github.secrets.has('org:octo-org:TURSO_TOKEN')).toBe(false)
  })

  it('selected: resolves each repository to its ID before the PUT, and sends the IDs', async () => {
    const target: SecretTarget = {
      organization: 'octo-org',
      visibility: 'selected',
      selectedRepositories: ['octo-org/api', 'octo-org/web', 'Octo-Org/API'],
      secretName: 'TURSO_TOKEN'
    }
    await storeSecret(VALUE, target, options())
    expect(calls()).toEqual([
      'GET /orgs/octo-org/actions/secrets/public-key',
      'GET /repos/octo-org/api',
      'GET /repos/octo-org/web',
      'PUT /orgs/octo-org/actions/secrets/TURSO_TOKEN'
    ])
    const stored = github.secrets.get('org:octo-org:TURSO_TOKEN')
    expect(stored?.visibility).toBe('selected')
    expect(stored?.selected_repository_ids).toEqual([github.repositoryIds.get('octo-org/api'), github.repositoryIds.get('octo-org/web')])
    await expectSealedFor('organization', 'org:octo-org:TURSO_TOKEN')
    expect(logs).toEqual(['GitHub secret TURSO_TOKEN created in organization octo-org (visible to selected repositories: octo-org/api, octo-org/web).'])
  })
})

describe('Dependabot secrets', () => {
  it('repository: the repository Dependabot routes and key', async () => {
    await storeSecret(VALUE, { type: 'dependabot', repository: 'octo-org/app', secretName: 'TURSO_TOKEN' }, options())
    expect(calls()).toEqual(['GET /repos/octo-org/app/dependabot/secrets/public-key', 'PUT /repos/octo-org/app/dependabot/secrets/TURSO_TOKEN'])
    expect(Object.keys(github.requests[1]?.body as object).sort()).toEqual(['encrypted_value', 'key_id'])
    await expectSealedFor('dependabot-repository', 'dependabot:octo-org/app:TURSO_TOKEN')
    expect(github.secrets.has('repo:octo-org/app:TURSO_TOKEN')).toBe(false)
    expect(logs).toEqual(['GitHub secret TURSO_TOKEN created in Dependabot secrets of repository octo-org/app.'])
  })

  it('organization, selected: the organization Dependabot routes and key, with repository IDs', async () => {
    const target: SecretTarget = {
      type: 'dependabot',
      organization: 'octo-org',
      visibility: 'selected',
      selectedRepositories: ['octo-org/app'],
      secretName: 'TURSO_TOKEN'
    }
    await storeSecret(VALUE, target, options())
    expect(calls()).toEqual([
      'GET /orgs/octo-org/dependabot/secrets/public-key',
      'GET /repos/octo-org/app',
      'PUT /orgs/octo-org/dependabot/secrets/TURSO_TOKEN'
    ])
    expect(github.secrets.get('dependabot-org:octo-org:TURSO_TOKEN')?.selected_repository_ids).toEqual([github.repositoryIds.get('octo-org/app')])
    await expectSealedFor('dependabot-organization', 'dependabot-org:octo-org:TURSO_TOKEN')
  })
})

describe('environment secret', () => {
  it('percent-encodes the environment name as one path segment: prod/eu west -> prod%2Feu%20west', async () => {
    await storeSecret(VALUE, { repository: 'octo-org/app', environment: 'prod/eu west', secretName: 'TURSO_TOKEN' }, options())
    expect(calls()).toEqual([
      'GET /repos/octo-org/app/environments/prod%2Feu%20west/secrets/public-key',
      'PUT /repos/octo-org/app/environments/prod%2Feu%20west/secrets/TURSO_TOKEN'
    ])
    await expectSealedFor('environment', 'env:octo-org/app:prod/eu west:TURSO_TOKEN')
  })
})

describe('prepareSecret checks everything before there is a value', () => {
  it('reads the key and resolves the IDs; store then sends only the PUT', async () => {
    const prepared = await prepareSecret(
      { organization: 'octo-org', visibility: 'selected', selectedRepositories: ['octo-org/api'], secretName: 'TURSO_TOKEN' },
      options()
    )
    expect(calls()).toEqual(['GET /orgs/octo-org/actions/secrets/public-key', 'GET /repos/octo-org/api'])
    expect(prepared.location).toBe('organization octo-org (visible to selected repositories: octo-org/api)')
    await prepared.store(VALUE)
    expect(calls().slice(2)).toEqual(['PUT /orgs/octo-org/actions/secrets/TURSO_TOKEN'])
    await expectSealedFor('organization', 'org:octo-org:TURSO_TOKEN')
  })

  it('a selected repository that does not exist fails in prepare, naming it and secret-repositories', async () => {
    const error = await failure(
      prepareSecret(
        { organization: 'octo-org', visibility: 'selected', selectedRepositories: ['octo-org/api', 'octo-org/gone'], secretName: 'TURSO_TOKEN' },
        options()
      )
    )
    expect(error.status).toBe(404)
    expect(error.message).toContain('looking up the ID of repository octo-org/gone (secret-repositories) failed: Not Found (HTTP 404)')
    expect(error.message).toContain('Check that octo-org/gone (listed in secret-repositories) exists')
    expect(calls()).not.toContainEqual(expect.stringMatching(/^PUT /))
  })

  it('a selected repository the token may not read (403) names the repository and the access it needs', async () => {
    github.failNext(
      { status: 200, body: { key_id: github.keys.organization.keyId, key: Buffer.from(github.keys.organization.keyPair.publicKey).toString('base64') } },
      { status: 403, body: { message: 'Resource not accessible by integration' } }
    )
    const error = await failure(
      prepareSecret({ organization: 'octo-org', visibility: 'selected', selectedRepositories: ['octo-org/api'], secretName: 'TURSO_TOKEN' }, options())
    )
    expect(error.status).toBe(403)
    expect(error.message).toContain('looking up the ID of repository octo-org/api (secret-repositories) failed: Resource not accessible by integration (HTTP 403)')
    expect(error.message).toContain('"Metadata: Read-only" on it')
    expect(error.message).not.toContain('Secrets: Read and write')
    expect(calls()).toEqual(['GET /orgs/octo-org/actions/secrets/public-key', 'GET /repos/octo-org/api'])
  })

  it('an organization the token cannot reach fails in prepare, before any value', async () => {
    const error = await failure(prepareSecret({ organization: 'other-org', secretName: 'TURSO_TOKEN' }, options()))
    expect(error.status).toBe(404)
    expect(error.message).toContain('Could not write secret TURSO_TOKEN to organization other-org')
    expect(error.message).toContain('check both the name other-org and the token permissions')
    expect(calls()).toEqual(['GET /orgs/other-org/actions/secrets/public-key'])
  })
})

describe('the error names the permission each destination needs', () => {
  it.each<[string, SecretScopeName, SecretTarget, string[]]>([
    ['repository', 'repository', { repository: 'octo-org/app', secretName: 'T' }, ['"Secrets: Read and write" on octo-org/app', 'permission-secrets: write', '`repo` scope']],
    [
      'environment',
      'environment',
      { repository: 'octo-org/app', environment: 'production', secretName: 'T' },
      ['"Secrets: Read and write" and "Environments: Read and write"', 'permission-environments: write']
    ],
    [
      'organization',
      'organization',
      { organization: 'octo-org', secretName: 'T' },
      ["an organization admin's token", 'organization permission "Secrets: Read and write"', '`admin:org`', 'permission-organization-secrets: write']
    ],
    [
      'repository Dependabot',
      'dependabot-repository',
      { type: 'dependabot', repository: 'octo-org/app', secretName: 'T' },
      ['"Dependabot secrets: Read and write" on octo-org/app', 'permission-dependabot-secrets: write']
    ],
    [
      'organization Dependabot',
      'dependabot-organization',
      { type: 'dependabot', organization: 'octo-org', secretName: 'T' },
      ["an organization admin's token", 'organization permission "Organization dependabot secrets: Read and write"', '`admin:org`']
    ]
  ])('%s', async (_label, scope, target, expected) => {
    github.deniedScopes.add(scope)
    const error = await failure(storeSecret(VALUE, target, options()))
    expect(error.status).toBe(403)
    expect(error.message).toContain('reading its public key failed: Resource not accessible by personal access token (HTTP 403)')
    for (const text of expected) expect(error.message).toContain(text)
    expect(error.message).toContain('The default GITHUB_TOKEN cannot write secrets.')
    expect(github.secrets.size).toBe(0)
  })
})

describe('invalid destinations fail locally and send nothing', () => {
  it.each<[string, SecretTarget, string, RegExp]>([
    ['organization with repository', { organization: 'octo-org', repository: 'octo-org/app', secretName: 'T' }, 'secret-organization', /'secret-organization' and 'secret-repository' are both set/],
    ['organization with environment', { organization: 'octo-org', environment: 'production', secretName: 'T' }, 'secret-organization', /'secret-organization' and 'secret-environment' are both set/],
    ['Dependabot with environment', { type: 'dependabot', repository: 'octo-org/app', environment: 'production', secretName: 'T' }, 'secret-environment', /no Dependabot environment secrets/],
    ['selected without repositories', { organization: 'octo-org', visibility: 'selected', secretName: 'T' }, 'secret-repositories', /required with 'secret-visibility' selected/],
    ['selected with an empty list', { organization: 'octo-org', visibility: 'selected', selectedRepositories: [], secretName: 'T' }, 'secret-repositories', /required with 'secret-visibility' selected/],
    ['repositories without selected', { organization: 'octo-org', selectedRepositories: ['octo-org/app'], secretName: 'T' }, 'secret-repositories', /only with 'secret-visibility' selected \(it is 'private'\)/],
    ['an unknown visibility', { organization: 'octo-org', visibility: 'internal' as 'all', secretName: 'T' }, 'secret-visibility', /must be one of private, all, selected; got 'internal'/],
    ['an unknown type', { type: 'codespaces' as 'actions', repository: 'octo-org/app', secretName: 'T' }, 'secret-type', /must be one of actions, dependabot; got 'codespaces'/],
    ['a visibility without organization', { repository: 'octo-org/app', visibility: 'all', secretName: 'T' }, 'secret-visibility', /applies only to organization secrets/],
    ['repositories without organization', { repository: 'octo-org/app', selectedRepositories: ['octo-org/api'], secretName: 'T' }, 'secret-repositories', /applies only to organization secrets/],
    ['a repository of another owner', { organization: 'octo-org', visibility: 'selected', selectedRepositories: ['someone/tool'], secretName: 'T' }, 'secret-repositories', /someone\/tool does not belong to organization octo-org/],
    ['a malformed selected repository', { organization: 'octo-org', visibility: 'selected', selectedRepositories: ['octo-org'], secretName: 'T' }, 'secret-repositories', /expected exactly one \//],
    ['an organization name with an underscore', { organization: 'octo_org', secretName: 'T' }, 'secret-organization', /must be a GitHub organization name/],
    ['an organization name with a double hyphen', { organization: 'octo--org', secretName: 'T' }, 'secret-organization', /must be a GitHub organization name/],
    ['no repository and no organization', { secretName: 'T' }, 'secret-repository', /expected owner\/name/]
  ])('%s', async (_label, target, input, message) => {
    const error = await failure(storeSecret(VALUE, target, options()))
    expect(error.input).toBe(input)
    expect(error.message).toMatch(message)
    expect(github.requests).toEqual([])
  })
})

describe('the fake checks bodies as GitHub does (so the tests above can fail)', () => {
  const put = async (path: string, body: unknown): Promise<{ status: number; message?: string }> => {
    const response = await fetch(`${github.url}${path}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${github.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body)
    })
    const text = await response.text()
    return { status: response.status, message: text === '' ? undefined : (JSON.parse(text) as { message?: string }).message }
  }
  const sealed = { encrypted_value: 'AAAA', key_id: '' }

  it('an organization secret without visibility is refused', async () => {
    const answer = await put('/orgs/octo-org/actions/secrets/T', { ...sealed, key_id: github.keys.organization.keyId })
    expect(answer).toEqual({ status: 422, message: expect.stringContaining('"visibility" wasn\'t supplied') })
  })

  it('repository IDs are refused unless visibility is selected', async () => {
    const id = github.repositoryIds.get('octo-org/app')
    const answer = await put('/orgs/octo-org/actions/secrets/T', { ...sealed, key_id: github.keys.organization.keyId, visibility: 'private', selected_repository_ids: [id] })
    expect(answer.status).toBe(422)
  })

  it('a repository of another owner is refused as a selected repository', async () => {
    const id = github.repositoryIds.get('someone/tool')
    const answer = await put('/orgs/octo-org/dependabot/secrets/T', {
      ...sealed,
      key_id: github.keys['dependabot-organization'].keyId,
      visibility: 'selected',
      selected_repository_ids: [id]
    })
    expect(answer.status).toBe(422)
  })

  it("another store's key_id is refused", async () => {
    const answer = await put('/orgs/octo-org/dependabot/secrets/T', { ...sealed, key_id: github.keys.organization.keyId, visibility: 'private' })
    expect(answer).toEqual({ status: 422, message: 'Bad key_id' })
  })
})
