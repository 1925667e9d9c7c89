/**
 * The API-token operations through the bundle, run as a child process exactly as the runner
 * runs it: a self-rotation into a GitHub secret, the same with the secret PUT refused, and
 * create-api-token exporting TURSO_API_TOKEN. Nothing may print a token in clear.
 */
import { describe, expect, it } from '@jest/globals'
import { runBundledAction } from '../scripts/lib/runner.js'
import { apiTokensOf, useEmulator } from './support/emulator.js'
import { useFakeGitHub } from './support/fake-github.js'
import { expectNoLeaks } from './support/leaks.js'

const emulator = useEmulator()
const { createToken, validates, listedNames } = apiTokensOf(emulator)
const github = useFakeGitHub()

const SECRET_KEY = 'repo:octo-org/app:TURSO_API_TOKEN'

function rotateInputs(base: string): Record<string, string> {
  return {
    operation: 'rotate-api-token',
    'api-url': emulator.url,
    organization: 'acme',
    'token-name': base,
    'secret-name': 'TURSO_API_TOKEN',
    'secret-repository': 'octo-org/app',
    'github-token': github.token,
    retries: '0'
  }
}

describe('dist/index.js: rotate-api-token', () => {
  it('stores the new generation, then revokes the previous ones and never another name', async () => {
    const token = await createToken('deploy')
    await createToken('deploy-20250101T000000Z')
    await createToken('deploy-other')
    await createToken('deployx')
    emulator.clearRequests()
    let deletesBeforePut = -1
    github.beforeAnswer = (request) => {
      if (request.method === 'PUT') deletesBeforePut = emulator.requests.filter((r) => r.method === 'DELETE').length
    }
    const run = await runBundledAction(rotateInputs('deploy'), { TURSO_API_TOKEN: token, GITHUB_API_URL: github.url })
    expect(run.stderr).toBe('')
    expect(run.exitCode).toBe(0)
    expect(deletesBeforePut).toBe(0)
    expect(run.outputs['revoked-tokens']).toBe('deploy,deploy-20250101T000000Z')
    expect(await github.decrypt(github.secrets.get(SECRET_KEY)?.encrypted_value as string)).toBe(run.outputs.token)
    expect(await validates(token)).toBe(false)
    expect(await validates(run.outputs.token)).toBe(true)
    const names = await listedNames()
    expect(names).toEqual(expect.arrayContaining(['deploy-other', 'deployx', run.outputs['token-name']]))
    expect(names).not.toContain('deploy')
    expectNoLeaks(run, [token, run.outputs.token, github.token, emulator.apiToken])
  })

  it('when the secret PUT fails: the new token is revoked and the old one still works', async () => {
    const token = await createToken('release')
    emulator.clearRequests()
    github.beforeAnswer = (request) => {
      if (request.method === 'GET') github.failNext({ status: 403, body: { message: 'Resource not accessible by personal access token' } })
    }
    const run = await runBundledAction(rotateInputs('release'), { TURSO_API_TOKEN: token, GITHUB_API_URL: github.url })
    expect(run.exitCode).toBe(1)
    const created = emulator.requests[0].path.split('/').pop() as string
    expect(created).toMatch(/^release-\d{8}T\d{6}Z$/)
    expect(emulator.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
      `POST /v1/auth/api-tokens/${created}`,
      'GET /v1/auth/validate',
      `DELETE /v1/auth/api-tokens/${created}`
    ])
    expect(await validates(token)).toBe(true)
    expect(await listedNames()).not.toContain(created)
    expect(run.stdout).toMatch(/^::error::Could not rotate the API token: .* the token passed as api-token still works\. Fix the cause and re-run\.$/m)
    // Withdrawn: no output, and the mask line is the only place the token appears.
    expect(run.outputs).toEqual({})
    const masks = run.stdout.split('\n').filter((line) => line.startsWith('::add-mask::')).map((line) => line.slice('::add-mask::'.length))
    expect(masks).toHaveLength(3) // api-token, github-token, the withdrawn token
    expectNoLeaks(run, [token, github.token, ...masks])
  })
})

describe('dist/index.js: create-api-token', () => {
  it('creates a group-scoped token, validates it, and exports TURSO_API_TOKEN', async () => {
    const run = await runBundledAction(
      { operation: 'create-api-token', 'api-url': emulator.url, organization: 'acme', group: 'staging', scopes: 'read\ndb:mint-token', 'token-name': 'staging-ci', verify: 'true', 'export-env': 'true' },
      { TURSO_API_TOKEN: emulator.apiToken }
    )
    expect(run.stderr).toBe('')
    expect(run.exitCode).toBe(0)
    expect(JSON.parse(emulator.requests[0].body)).toEqual({ organization: 'acme', group: 'staging', scopes: ['read', 'db:mint-token'] })
    expect(run.exported).toEqual({ TURSO_API_TOKEN: run.outputs.token })
    expect(Object.keys(run.outputs).sort()).toEqual(['token', 'token-id', 'token-name'])
    expect(await validates(run.outputs.token)).toBe(true)
    expectNoLeaks(run, [emulator.apiToken, run.outputs.token])
  })
})
