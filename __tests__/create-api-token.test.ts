/**
 * create-api-token against the emulator, in process: the exact request (never without a body),
 * the outputs, validation with the new token, delivery, and what Turso's refusals turn into.
 */
import { describe, expect, it } from '@jest/globals'
import { useEmulator } from './support/emulator.js'
import { useFakeGitHub } from './support/fake-github.js'
import { expectNoLeaks } from './support/leaks.js'
import { runAction } from './support/run-action.js'

const emulator = useEmulator()
const github = useFakeGitHub()

const ALICE_TOKEN = 'eyJhbGciOiJFZERTQSIsInR5cCI6IkpXVCJ9.eyJpYXQiOjE3NzUwODgwMDAsImlkIjoiZW11VG9rMDAwNGFMaUNlTGFQdDBwUSJ9.KC9VGLgQIpnwrCwoe3P7K7QqkFc1e7Okx9eyFiF0_CWg7Jts3-nguCaf_pqD71bkgAa_up01KOzDwPMKRL3S1Q'

function inputs(extra: Record<string, string> = {}): Record<string, string> {
  return { operation: 'create-api-token', 'api-url': emulator.url, 'api-token': emulator.apiToken, organization: 'acme', ...extra }
}

const apiCalls = (): string[] => emulator.requests.map((request) => `${request.method} ${request.path}`)

async function listedToken(name: string, bearer = emulator.apiToken): Promise<Record<string, unknown> | undefined> {
  const response = await fetch(`${emulator.url}/v1/auth/api-tokens`, { headers: { authorization: `Bearer ${bearer}` } })
  const { tokens } = (await response.json()) as { tokens: Array<Record<string, unknown>> }
  return tokens.find((token) => token.name === name)
}

async function validates(token: string): Promise<boolean> {
  return (await fetch(`${emulator.url}/v1/auth/validate`, { headers: { authorization: `Bearer ${token}` } })).status === 200
}

describe('create-api-token restricted to an organization', () => {
  it('posts {"organization"} and sets token, token-name and token-id, the token masked first', async () => {
    const run = await runAction(inputs({ 'token-name': 'ci-org' }))
    expect(run.exitCode).toBe(0)
    expect(apiCalls()).toEqual(['POST /v1/auth/api-tokens/ci-org'])
    expect(emulator.requests[0].body).toBe('{"organization":"acme"}')
    expect(emulator.requests[0].headers['content-type']).toBe('application/json')
    const listed = await listedToken('ci-org')
    expect(listed).toMatchObject({ name: 'ci-org', organization: 'acme' })
    expect(listed).not.toHaveProperty('group')
    expect(run.outputs).toEqual({ token: run.outputs.token, 'token-name': 'ci-org', 'token-id': listed?.id })
    expect(await validates(run.outputs.token)).toBe(true)
    expect(run.maskedBeforeFiles.get(run.outputs.token)).toBe(true)
    expect(run.stdout).toContain(`Created API token 'ci-org' (ID ${listed?.id as string}), restricted to organization 'acme'\n`)
    expect(run.summary).toContain("| Target | API token 'ci-org', restricted to organization 'acme' |")
    expect(run.summary).toContain(`| API token | \`ci-org\` (ID ${listed?.id as string}) |`)
    expect(run.exported).toEqual({})
    expectNoLeaks(run, [emulator.apiToken, run.outputs.token])
  })
})

describe('create-api-token pinned to a group', () => {
  it('posts organization, group and the scopes as written', async () => {
    const run = await runAction(inputs({ 'token-name': 'ci-group', group: 'staging', scopes: 'read\ndb:mint-token, group:mint-token' }))
    expect(run.exitCode).toBe(0)
    expect(JSON.parse(emulator.requests[0].body)).toEqual({ organization: 'acme', group: 'staging', scopes: ['read', 'db:mint-token', 'group:mint-token'] })
    expect(await listedToken('ci-group')).toMatchObject({ organization: 'acme', group: 'staging', scopes: ['read', 'db:mint-token', 'group:mint-token'] })
    expect(run.summary).toContain("restricted to group 'staging' of organization 'acme' (scopes read, db:mint-token, group:mint-token)")
  })

  it('a preset is sent as a preset: Turso expands it', async () => {
    const run = await runAction(inputs({ 'token-name': 'ci-preset', group: 'staging', scopes: 'read-only' }))
    expect(run.exitCode).toBe(0)
    expect(JSON.parse(emulator.requests[0].body)).toEqual({ organization: 'acme', group: 'staging', scopes: ['read-only'] })
    expect(await listedToken('ci-preset')).toMatchObject({ scopes: ['read'] })
  })
})

describe('create-api-token with verify and export-env', () => {
  it('validates with the new token itself, then exports TURSO_API_TOKEN', async () => {
    const run = await runAction(inputs({ 'token-name': 'ci-verified', verify: 'true', 'export-env': 'true' }))
    expect(run.exitCode).toBe(0)
    expect(apiCalls()).toEqual(['POST /v1/auth/api-tokens/ci-verified', 'GET /v1/auth/validate'])
    expect(emulator.requests[0].headers.authorization).toBe(`Bearer ${emulator.apiToken}`)
    expect(emulator.requests[1].headers.authorization).toBe(`Bearer ${run.outputs.token}`)
    expect(run.stdout).toContain("Validated the new API token 'ci-verified' with GET /v1/auth/validate: it works and never expires\n")
    expect(run.summary).toContain('| Validated | yes, never expires |')
    expect(run.exported).toEqual({ TURSO_API_TOKEN: run.outputs.token })
    expect(run.stdout).toContain('Exported TURSO_API_TOKEN to the following steps of this job')
    expect(run.summary).toContain('| Exported | `TURSO_API_TOKEN` |')
    expectNoLeaks(run, [emulator.apiToken, run.outputs.token])
  })

  it('reads an exp from validate as the expiry time', async () => {
    emulator.addFault({ method: 'GET', path: '/v1/auth/validate', status: 200, body: '{"exp":1800000000}' })
    const run = await runAction(inputs({ 'token-name': 'ci-expiring', verify: 'true' }))
    expect(run.exitCode).toBe(0)
    expect(run.stdout).toContain('it works and expires 2027-01-15T08:00:00.000Z\n')
  })

  it('a token that does not validate is neither stored nor exported', async () => {
    emulator.addFault({ method: 'GET', path: '/v1/auth/validate', status: 401, body: '{"error":"Authentication required"}' })
    const run = await runAction(
      inputs({ 'token-name': 'ci-unvalidated', verify: 'true', 'export-env': 'true', 'secret-name': 'TURSO_API_TOKEN', 'github-token': github.token, 'secret-repository': 'octo-org/app' }),
      { GITHUB_API_URL: github.url }
    )
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toMatch(/^::error::Could not validate the API token with GET \/v1\/auth\/validate\. Turso answered HTTP 401: Authentication required\./m)
    expect(run.exported).toEqual({})
    expect(github.secrets.has('repo:octo-org/app:TURSO_API_TOKEN')).toBe(false)
    expectNoLeaks(run, [emulator.apiToken, run.outputs.token, github.token])
  })

  it('an exp that is not a number is not a documented answer', async () => {
    emulator.addFault({ method: 'GET', path: '/v1/auth/validate', status: 200, body: '{"exp":"soon"}' })
    const run = await runAction(inputs({ 'token-name': 'ci-bad-exp', verify: 'true' }))
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toContain('::error::Could not validate the API token with GET /v1/auth/validate: the answer has no usable exp field.')
  })
})

describe('create-api-token into a GitHub secret', () => {
  it("reads the secret's public key before creating the token, then stores the token sealed", async () => {
    const order: string[] = []
    github.beforeAnswer = (request) => {
      order.push(`github ${request.method} after ${emulator.requests.length} Turso request(s)`)
    }
    emulator.clearRequests()
    const run = await runAction(
      inputs({ 'token-name': 'ci-stored', 'secret-name': 'TURSO_API_TOKEN', 'github-token': github.token, 'secret-repository': 'octo-org/app' }),
      { GITHUB_API_URL: github.url }
    )
    expect(run.exitCode).toBe(0)
    const stored = github.secrets.get('repo:octo-org/app:TURSO_API_TOKEN')
    expect(stored).toBeDefined()
    expect(await github.decrypt(stored?.encrypted_value as string)).toBe(run.outputs.token)
    expect(github.requests.map((request) => request.method)).toEqual(['GET', 'PUT'])
    expect(order).toEqual(['github GET after 0 Turso request(s)', 'github PUT after 1 Turso request(s)'])
    expect(run.stdout).toContain('Stored the token in secret TURSO_API_TOKEN in repository octo-org/app')
    // One row per destination, written by the fan-out: not a second one from the operation.
    expect(run.summary.split('| Stored as secret |')).toHaveLength(2)
    expect(run.summary).toContain('| Stored as secret | `TURSO_API_TOKEN` in repository octo-org/app |')
    expectNoLeaks(run, [emulator.apiToken, run.outputs.token, github.token])
  })

  it('a github-token that cannot read the key fails before any token exists', async () => {
    github.deniedScopes.add('repository')
    const run = await runAction(
      inputs({ 'token-name': 'ci-never', 'secret-name': 'TURSO_API_TOKEN', 'github-token': github.token, 'secret-repository': 'octo-org/app' }),
      { GITHUB_API_URL: github.url }
    )
    expect(run.exitCode).toBe(1)
    expect(emulator.requests).toEqual([])
    expect(await listedToken('ci-never')).toBeUndefined()
  })
})

describe("create-api-token refused by Turso", () => {
  it('a name already taken: 409, nothing set, and what to do about it', async () => {
    const run = await runAction(inputs({ 'token-name': 'emulator' }))
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toMatch(/^::error::Could not create the API token 'emulator' restricted to organization 'acme'\. Turso answered HTTP 409: an API token named emulator already exists\. /m)
    expect(run.stdout).toContain(
      "already exists. An API token named 'emulator' already exists for this account (names are unique per user): choose another token-name, or revoke that token first. " +
        'If an earlier attempt of this run lost its answer, that attempt created it and its value is lost: revoke it and re-run.'
    )
    expect(run.outputs).toEqual({})
  })

  it("a member's token may not create a group-scoped token: the 403 says who may", async () => {
    const run = await runAction(inputs({ 'api-token': ALICE_TOKEN, 'token-name': 'alice-group', group: 'staging', scopes: 'read' }))
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toContain("Turso answered HTTP 403: forbidden. A group-scoped token can be created only by an admin or owner of the organization, and an API token restricted to an organization or group may not create tokens outside it")
    expectNoLeaks(run, [ALICE_TOKEN])
  })

  it('an organization-scoped token may not create a token for another organization', async () => {
    const run = await runAction(inputs({ 'api-token': 'emulator-api-token-0002', 'token-name': 'elsewhere', organization: 'octo' }))
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toContain('Turso answered HTTP 403: forbidden.')
    expect(await listedToken('elsewhere')).toBeUndefined()
  })
})

describe('create-api-token with an answer that is not the documented one', () => {
  it('masks the token in the answer even when the rest of it is unusable', async () => {
    const leaked = 'eyJhbGciOiJFZERTQSJ9.eyJpZCI6ImxlYWsifQ.c2lnbmF0dXJlLXRoYXQtbXVzdC1uZXZlci1wcmludA'
    emulator.addFault({ method: 'POST', path: '/v1/auth/api-tokens/ci-garbled', status: 200, body: JSON.stringify({ name: 'ci-garbled', id: 'not an id!', token: leaked }) })
    const run = await runAction(inputs({ 'token-name': 'ci-garbled' }))
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toContain(`::add-mask::${leaked}`)
    expect(run.stdout).toContain("::error::Could not create the API token 'ci-garbled' restricted to organization 'acme': the answer has no usable id field.")
    expect(run.outputs).toEqual({})
    expectNoLeaks(run, [emulator.apiToken, leaked])
  })

  it.each([
    ['no token field', { name: 'x', id: 'abc' }, 'the answer has no token field'],
    ['an empty token', { name: 'x', id: 'abc', token: '' }, 'the answer has no token field'],
    ['a token too short to be one', { name: 'x', id: 'abc', token: 'short' }, 'the token field is not a usable API token'],
    ['a token with a space', { name: 'x', id: 'abc', token: 'eyJhbGciOi JFZERTQSJ9.payload' }, 'the token field is not a usable API token'],
    ['no id', { name: 'x', token: 'eyJhbGciOiJFZERTQSJ9.eyJpZCI6IngifQ.sig' }, 'the answer has no usable id field']
  ])('%s is refused', async (_what, body, problem) => {
    emulator.addFault({ method: 'POST', path: '/v1/auth/api-tokens/ci-odd', status: 200, body: JSON.stringify(body) })
    const run = await runAction(inputs({ 'token-name': 'ci-odd' }))
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toContain(`: ${problem}.`)
    expect(run.outputs).toEqual({})
  })

  it('an unprintable name in the answer falls back to the name sent', async () => {
    emulator.addFault({ method: 'POST', path: '/v1/auth/api-tokens/ci-named', status: 200, body: JSON.stringify({ name: 'x\n::warning::y', id: 'abcDEF123', token: 'eyJhbGciOiJFZERTQSJ9.eyJpZCI6IngifQ.sig' }) })
    const run = await runAction(inputs({ 'token-name': 'ci-named' }))
    expect(run.exitCode).toBe(0)
    expect(run.outputs['token-name']).toBe('ci-named')
    expect(run.outputs['token-id']).toBe('abcDEF123')
  })

  it("the answer's own name is the output when it is printable", async () => {
    emulator.addFault({ method: 'POST', path: '/v1/auth/api-tokens/ci-renamed', status: 200, body: JSON.stringify({ name: 'ci-renamed-by-turso', id: 'abcDEF124', token: 'eyJhbGciOiJFZERTQSJ9.eyJpZCI6InkifQ.sig' }) })
    const run = await runAction(inputs({ 'token-name': 'ci-renamed' }))
    expect(run.exitCode).toBe(0)
    expect(run.outputs['token-name']).toBe('ci-renamed-by-turso')
  })
})
