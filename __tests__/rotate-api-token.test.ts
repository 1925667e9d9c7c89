/**
 * rotate-api-token against the emulator and the fake GitHub, in process: create the next
 * generation, validate it, store it, and only then revoke the previous generations; and every
 * way that can go wrong, each leaving exactly one working token in the secret's place.
 */
import { describe, expect, it } from '@jest/globals'
import { apiTokensOf, useEmulator } from './support/emulator.js'
import { useFakeGitHub } from './support/fake-github.js'
import { expectNoLeaks } from './support/leaks.js'
import { runAction } from './support/run-action.js'
import { errorLines } from './support/workflow-commands.js'

const emulator = useEmulator()
const { createToken, validates, listedNames } = apiTokensOf(emulator)
const github = useFakeGitHub()

const SECRET_KEY = 'repo:octo-org/app:TURSO_API_TOKEN'
let counter = 0

/** A fresh base token of octo restricted to acme, plus the decoys and an older generation. */
async function generations(): Promise<{ base: string; token: string; older: string; decoys: string[] }> {
  const base = `ci-bot${++counter}`
  const token = await createToken(base)
  const older = `${base}-20250101T000000Z`
  await createToken(older)
  const decoys = [`${base}-other`, `${base}x`, `${base}-20250101T000000`, `x${base}`]
  for (const decoy of decoys) await createToken(decoy)
  emulator.clearRequests()
  github.secrets.delete(SECRET_KEY)
  return { base, token, older, decoys }
}

function inputs(apiToken: string, base: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    operation: 'rotate-api-token',
    'api-url': emulator.url,
    'api-token': apiToken,
    organization: 'acme',
    'token-name': base,
    'secret-name': 'TURSO_API_TOKEN',
    'secret-repository': 'octo-org/app',
    'github-token': github.token,
    retries: '0',
    ...extra
  }
}

const rotate = async (apiToken: string, base: string, extra: Record<string, string> = {}) =>
  runAction(inputs(apiToken, base, extra), { GITHUB_API_URL: github.url })

const apiCalls = (): string[] => emulator.requests.map((request) => `${request.method} ${request.path}`)

describe('rotate-api-token', () => {
  it('creates <name>-<stamp>, validates it, stores it, then revokes exactly the previous generations', async () => {
    const { base, token, older, decoys } = await generations()
    let deletesBeforePut = -1
    github.beforeAnswer = (request) => {
      if (request.method === 'PUT') deletesBeforePut = emulator.requests.filter((r) => r.method === 'DELETE').length
    }
    const before = new Date()
    const run = await rotate(token, base, { 'export-env': 'true' })
    expect(errorLines(run.stdout)).toEqual([])
    expect(run.exitCode).toBe(0)

    const newName = run.outputs['token-name']
    expect(newName).toMatch(new RegExp(`^${base}-\\d{8}T\\d{6}Z$`))
    const stamp = newName.slice(base.length + 1)
    const stampTime = Date.parse(`${stamp.slice(0, 4)}-${stamp.slice(4, 6)}-${stamp.slice(6, 8)}T${stamp.slice(9, 11)}:${stamp.slice(11, 13)}:${stamp.slice(13, 15)}Z`)
    expect(stampTime).toBeGreaterThanOrEqual(Math.floor(before.getTime() / 1000) * 1000)
    expect(stampTime).toBeLessThanOrEqual(Date.now())

    expect(apiCalls()).toEqual([
      `POST /v1/auth/api-tokens/${newName}`,
      'GET /v1/auth/validate',
      'GET /v1/auth/api-tokens',
      `DELETE /v1/auth/api-tokens/${base}`,
      `DELETE /v1/auth/api-tokens/${older}`
    ])
    expect(emulator.requests[0].body).toBe('{"organization":"acme"}')
    expect(emulator.requests[0].headers.authorization).toBe(`Bearer ${token}`)
    // Everything after the create uses the new token: the old one may be among those revoked.
    for (const request of emulator.requests.slice(1)) expect(request.headers.authorization).toBe(`Bearer ${run.outputs.token}`)
    expect(deletesBeforePut).toBe(0)
    expect(github.requests.map((request) => request.method)).toEqual(['GET', 'PUT'])

    expect(await github.decrypt(github.secrets.get(SECRET_KEY)?.encrypted_value as string)).toBe(run.outputs.token)
    expect(await validates(run.outputs.token)).toBe(true)
    expect(await validates(token)).toBe(false)
    const names = await listedNames()
    for (const decoy of decoys) expect(names).toContain(decoy)
    expect(names).not.toContain(base)
    expect(names).not.toContain(older)
    expect(run.outputs['revoked-tokens']).toBe(`${base},${older}`)
    expect(run.outputs['token-id']).toMatch(/^[A-Za-z0-9_-]+$/)
    expect(run.exported).toEqual({ TURSO_API_TOKEN: run.outputs.token })
    expect(run.stdout).toContain(`Revoked the previous generations: ${base}, ${older}\n`)
    expect(run.stdout).not.toContain('::warning::')
    expect(run.stdout).toContain(`Created API token '${newName}' (ID ${run.outputs['token-id']}), restricted to organization 'acme'\n`)
    expect(run.summary).toContain(`| Revoked | \`${base}\`, \`${older}\` |`)
    expect(run.summary).toContain(`| Target | API token generations '${base}', restricted to organization 'acme' |`)
    expectNoLeaks(run, [token, run.outputs.token, github.token, emulator.apiToken])
  })

  it('the next rotation revokes the generation the last one made', async () => {
    const { base, token } = await generations()
    const first = await rotate(token, base)
    expect(first.exitCode).toBe(0)
    // Two generations created in the same second would share a name.
    await new Promise((resolve) => setTimeout(resolve, 1100))
    emulator.clearRequests()
    const second = await rotate(first.outputs.token, base)
    expect(second.exitCode).toBe(0)
    expect(second.outputs['revoked-tokens']).toBe(first.outputs['token-name'])
    expect(await validates(first.outputs.token)).toBe(false)
    expect(await validates(second.outputs.token)).toBe(true)
  })

  it('with no previous generation listed: says so, and revoked-tokens is empty', async () => {
    const base = `fresh${++counter}`
    const run = await rotate(emulator.apiToken, base)
    expect(run.exitCode).toBe(0)
    expect(run.outputs['revoked-tokens']).toBe('')
    expect(run.stdout).toContain(`No previous generation of '${base}' was listed: nothing to revoke`)
    expect(run.summary).toContain('| Revoked | none listed |')
    expect(await validates(emulator.apiToken)).toBe(true)
  })
})

describe('rotate-api-token when the secret cannot be written', () => {
  it('revokes the new token and leaves every previous generation working', async () => {
    const { base, token, older } = await generations()
    github.beforeAnswer = (request) => {
      if (request.method === 'GET') github.failNext({ status: 403, body: { message: 'Resource not accessible by personal access token' } })
    }
    const run = await rotate(token, base)
    expect(run.exitCode).toBe(1)
    const newName = emulator.requests[0].path.split('/').pop() as string
    expect(apiCalls()).toEqual([`POST /v1/auth/api-tokens/${newName}`, 'GET /v1/auth/validate', `DELETE /v1/auth/api-tokens/${newName}`])
    // The withdrawal uses the old token: the new one is about to go.
    expect(emulator.requests[2].headers.authorization).toBe(`Bearer ${token}`)
    expect(await validates(token)).toBe(true)
    const names = await listedNames()
    expect(names).toContain(base)
    expect(names).toContain(older)
    expect(names).not.toContain(newName)
    expect(github.secrets.has(SECRET_KEY)).toBe(false)
    const [error] = errorLines(run.stdout)
    expect(error).toMatch(/^::error::Could not rotate the API token: .*403.* The new token '[^']+' was revoked again and the previous generations were left untouched: the token passed as api-token still works\. Fix the cause and re-run\.$/)
    expect(errorLines(run.stdout)).toHaveLength(1)
    // A withdrawn token is no output: a later `if: always()` step must not pick it up.
    expect(run.outputs).toEqual({})
    expect(run.summary).toContain(`| Withdrawn | \`${newName}\` revoked again |`)
    expectNoLeaks(run, [token, run.outputs.token, github.token])
  })

  it('says so when the new token cannot be revoked either, naming it', async () => {
    const { base, token } = await generations()
    github.beforeAnswer = (request) => {
      if (request.method === 'GET') github.failNext({ status: 403, body: { message: 'Resource not accessible by personal access token' } })
    }
    emulator.addFault({ method: 'DELETE', path: /^\/v1\/auth\/api-tokens\//, status: 500, body: '{"error":"internal error"}', times: 5 })
    const run = await rotate(token, base)
    expect(run.exitCode).toBe(1)
    const newName = emulator.requests[0].path.split('/').pop() as string
    const [error] = errorLines(run.stdout)
    expect(error).toContain('The previous generations were left untouched, so the token passed as api-token still works, ')
    expect(error).toMatch(new RegExp(`but the new token '${newName}' \\(ID [A-Za-z0-9_-]+\\) could not be revoked either: Could not revoke the API token '${newName}'\\. Turso answered HTTP 500: internal error\\.`))
    expect(error).toContain(`Revoke it with \`turso auth api-tokens revoke ${newName}\`, then re-run.`)
    expect(await validates(token)).toBe(true)
  })
})

describe('rotate-api-token when only some secret-targets destinations are written', () => {
  it('keeps the new token (a destination holds it) and every previous generation, outputs the new token, and fails naming the one not written', async () => {
    const { base, token, older } = await generations()
    github.secrets.delete('repo:octo-org/api:TURSO_API_TOKEN')
    let puts = 0
    github.beforeAnswer = (request) => {
      if (request.method === 'PUT' && ++puts === 1) github.failNext({ status: 403, body: { message: 'Resource not accessible by personal access token' } })
    }
    const run = await rotate(token, base, { 'secret-repository': '', 'secret-targets': 'repository octo-org/app\nrepository octo-org/api' })
    expect(run.exitCode).toBe(1)
    const newName = emulator.requests[0].path.split('/').pop() as string
    // Created and validated; nothing revoked, neither the new token nor an old generation.
    expect(apiCalls()).toEqual([`POST /v1/auth/api-tokens/${newName}`, 'GET /v1/auth/validate'])
    const stored = github.secrets.get(SECRET_KEY)
    expect(stored).toBeDefined()
    expect(github.secrets.has('repo:octo-org/api:TURSO_API_TOKEN')).toBe(false)
    const newToken = await github.decrypt(stored?.encrypted_value ?? '')
    expect(await validates(newToken)).toBe(true)
    expect(await validates(token)).toBe(true)
    expect(await listedNames()).toEqual(expect.arrayContaining([base, older, newName]))
    expect(run.outputs.token).toBe(newToken)
    expect(run.outputs['token-name']).toBe(newName)
    const [error] = errorLines(run.stdout)
    expect(error).toContain(`The new API token '${newName}' works but is not stored everywhere: `)
    expect(error).toContain('Not written to repository octo-org/api')
    expect(error).toContain('neither the new token nor the previous generations of it were revoked')
    expect(run.summary).toContain('| Revoked | none: not every destination holds the new token |')
    expectNoLeaks(run, [token, newToken, github.token])
  })
})

describe('rotate-api-token when the new token does not validate', () => {
  it('revokes it before anything is stored', async () => {
    const { base, token, older } = await generations()
    emulator.addFault({ method: 'GET', path: '/v1/auth/validate', status: 401, body: '{"error":"Authentication required"}' })
    const run = await rotate(token, base)
    expect(run.exitCode).toBe(1)
    const newName = emulator.requests[0].path.split('/').pop() as string
    expect(apiCalls()).toEqual([`POST /v1/auth/api-tokens/${newName}`, 'GET /v1/auth/validate', `DELETE /v1/auth/api-tokens/${newName}`])
    expect(github.requests.map((request) => request.method)).toEqual(['GET'])
    expect(await validates(token)).toBe(true)
    expect(await listedNames()).toEqual(expect.arrayContaining([base, older]))
    expect(errorLines(run.stdout)[0]).toMatch(/^::error::Could not rotate the API token: Could not validate the API token with GET \/v1\/auth\/validate\. Turso answered HTTP 401/)
  })
})

describe('rotate-api-token when a previous generation cannot be revoked', () => {
  it('revokes the others, keeps the new token stored, and fails naming the one still live', async () => {
    const { base, token, older } = await generations()
    const oldest = `${base}-20240101T000000Z`
    await createToken(oldest)
    emulator.clearRequests()
    emulator.addFault({ method: 'DELETE', path: `/v1/auth/api-tokens/${base}`, status: 500, body: '{"error":"internal error"}', times: 5 })
    const run = await rotate(token, base)
    expect(run.exitCode).toBe(1)
    expect(apiCalls().slice(-4)).toEqual([`DELETE /v1/auth/api-tokens/${base}`, `DELETE /v1/auth/api-tokens/${older}`, `DELETE /v1/auth/api-tokens/${oldest}`, 'GET /v1/auth/api-tokens'])
    expect(errorLines(run.stdout)).toEqual([
      `::error::The new API token '${run.outputs['token-name']}' is stored and works, but a previous generation is still live: '${base}'. ` +
        `Could not revoke the API token '${base}'. Turso answered HTTP 500: internal error. Turso had a server error and the retries ran out: re-run the job later; see status.turso.tech. ` +
        'Revoke it with `turso auth api-tokens revoke <name>`, or re-run this step (the next run revokes every previous generation).'
    ])
    expect(run.outputs['revoked-tokens']).toBe(`${older},${oldest}`)
    expect(await github.decrypt(github.secrets.get(SECRET_KEY)?.encrypted_value as string)).toBe(run.outputs.token)
    expect(await validates(run.outputs.token)).toBe(true)
    const [error] = errorLines(run.stdout)
    expect(error).toContain(`::error::The new API token '${run.outputs['token-name']}' is stored and works, but a previous generation is still live: '${base}'. `)
    expect(error).toContain(`Could not revoke the API token '${base}'. Turso answered HTTP 500: internal error.`)
    expect(error).toContain('re-run this step (the next run revokes every previous generation)')
    expectNoLeaks(run, [token, run.outputs.token, github.token])
  })

  it('names every generation still live when several fail', async () => {
    const { base, token, older } = await generations()
    emulator.addFault({ method: 'DELETE', status: 500, body: '{"error":"internal error"}', times: 10 })
    const run = await rotate(token, base)
    expect(run.exitCode).toBe(1)
    expect(run.outputs['revoked-tokens']).toBe('')
    const failed = (name: string): string => `Could not revoke the API token '${name}'. Turso answered HTTP 500: internal error. Turso had a server error and the retries ran out: re-run the job later; see status.turso.tech.`
    expect(errorLines(run.stdout)).toEqual([
      `::error::The new API token '${run.outputs['token-name']}' is stored and works, but previous generations are still live: '${base}', '${older}'. ` +
        `${failed(base)} ${failed(older)} Revoke them with \`turso auth api-tokens revoke <name>\`, or re-run this step (the next run revokes every previous generation).`
    ])
  })

  it('counts a generation whose answer was lost as revoked once the list no longer holds it', async () => {
    const { base, token, older } = await generations()
    emulator.addFault({ method: 'DELETE', path: `/v1/auth/api-tokens/${base}`, dropResponse: true })
    const run = await rotate(token, base)
    expect(errorLines(run.stdout)).toEqual([])
    expect(run.exitCode).toBe(0)
    expect(run.outputs['revoked-tokens']).toBe(`${older},${base}`)
    expect(apiCalls().slice(-1)).toEqual(['GET /v1/auth/api-tokens'])
  })

  it('when the DELETE finds nothing (404) but the list still holds it: still live', async () => {
    const { base, token } = await generations()
    emulator.addFault({ method: 'DELETE', path: `/v1/auth/api-tokens/${base}`, status: 404, body: '{"error":"not found"}' })
    const run = await rotate(token, base)
    expect(run.exitCode).toBe(1)
    expect(errorLines(run.stdout)[0]).toContain(`a previous generation is still live: '${base}'`)
  })

  it('when the generations cannot be listed: none revoked, and says so', async () => {
    const { base, token } = await generations()
    emulator.addFault({ method: 'GET', path: '/v1/auth/api-tokens', status: 500, body: '{"error":"internal error"}', times: 5 })
    const run = await rotate(token, base)
    expect(run.exitCode).toBe(1)
    expect(errorLines(run.stdout)[0]).toMatch(
      new RegExp(`^::error::The new API token '${run.outputs['token-name']}' is stored and works, but the previous generations of '${base}' could not be listed, so none was revoked: Could not revoke the API token '${base}' \\(listing`)
    )
    expect(await validates(token)).toBe(true)
    expect(await validates(run.outputs.token)).toBe(true)
  })

  it('when the list fails again after a lost DELETE: every unsure generation counts as live', async () => {
    const { base, token, older } = await generations()
    emulator.addFault(
      { method: 'DELETE', path: `/v1/auth/api-tokens/${base}`, dropResponse: true },
      // Faults apply in order: the first listing only waits a moment, the second fails.
      { method: 'GET', path: '/v1/auth/api-tokens', delayMs: 1, times: 1 },
      { method: 'GET', path: '/v1/auth/api-tokens', status: 500, body: '{"error":"internal error"}', times: 1 }
    )
    const run = await rotate(token, base)
    expect(run.exitCode).toBe(1)
    expect(run.outputs['revoked-tokens']).toBe(older)
    expect(errorLines(run.stdout)[0]).toContain(`a previous generation is still live: '${base}'`)
  })
})

describe('rotate-api-token with entries of the list that cannot be used', () => {
  it('warns that they were left out, and revokes the usable generations', async () => {
    const { base, token } = await generations()
    const tokens = [
      { name: base, id: 'listedBase001' },
      { name: `${base}-20250101T000000Z\n::warning::x`, id: 'listedBad0001' },
      { name: `${base}-20230101T000000Z`, id: 'not an id' }
    ]
    emulator.addFault({ method: 'GET', path: '/v1/auth/api-tokens', status: 200, body: JSON.stringify({ tokens }) })
    const run = await rotate(token, base)
    expect(run.exitCode).toBe(0)
    expect(run.stdout).toContain("::warning::Left out 2 entries of Turso's token list with a name or ID that cannot be printed or sent back safely")
    expect(run.outputs['revoked-tokens']).toBe(base)
  })

  it('one entry left out: said in the singular', async () => {
    const { base, token } = await generations()
    emulator.addFault({ method: 'GET', path: '/v1/auth/api-tokens', status: 200, body: JSON.stringify({ tokens: [{ name: base, id: 'listedBase002' }, { name: 'odd', id: 'not an id' }] }) })
    const run = await rotate(token, base)
    expect(run.exitCode).toBe(0)
    expect(run.stdout).toContain("::warning::Left out 1 entry of Turso's token list")
  })
})

describe('rotate-api-token when the create fails', () => {
  it('a refusal changes nothing', async () => {
    const { base, token } = await generations()
    emulator.addFault({ method: 'POST', path: /^\/v1\/auth\/api-tokens\//, status: 400, body: '{"error":"bad request"}' })
    const run = await rotate(token, base)
    expect(run.exitCode).toBe(1)
    expect(apiCalls()).toHaveLength(1)
    expect(errorLines(run.stdout)[0]).toMatch(/^::error::Nothing was rotated: the token passed as api-token still works\. Could not create the API token '[^']+' restricted to organization 'acme'\. Turso answered HTTP 400: bad request\./)
    expect(github.requests.map((request) => request.method)).toEqual(['GET'])
    expect(run.outputs).toEqual({})
  })

  it('a 500 at the first attempt may have made the token: it is revoked by name', async () => {
    const { base, token } = await generations()
    emulator.addFault({ method: 'POST', path: /^\/v1\/auth\/api-tokens\//, status: 500, body: '{"error":"internal error"}' })
    const run = await rotate(token, base)
    expect(run.exitCode).toBe(1)
    const newName = emulator.requests[0].path.split('/').pop() as string
    expect(apiCalls()).toEqual([`POST /v1/auth/api-tokens/${newName}`, `DELETE /v1/auth/api-tokens/${newName}`])
    expect(errorLines(run.stdout)[0]).toMatch(/^::error::Nothing was rotated: the token passed as api-token still works\. Could not create the API token '[^']+' restricted to organization 'acme'\. Turso answered HTTP 500: internal error\./)
  })

  it('a lost answer then a retry that finds the name taken (409): that was this run, so it is revoked by name', async () => {
    const { base, token } = await generations()
    emulator.addFault({ method: 'POST', path: /^\/v1\/auth\/api-tokens\//, dropResponse: true, times: 1 })
    const run = await rotate(token, base, { retries: '1' })
    expect(run.exitCode).toBe(1)
    const newName = emulator.requests[0].path.split('/').pop() as string
    expect(apiCalls()).toEqual([`POST /v1/auth/api-tokens/${newName}`, `POST /v1/auth/api-tokens/${newName}`, `DELETE /v1/auth/api-tokens/${newName}`])
    expect(errorLines(run.stdout)[0]).toContain('Turso answered HTTP 409 to the last of 2 attempts')
    expect(await listedNames()).not.toContain(newName)
    expect(await validates(token)).toBe(true)
  })

  it('a lost answer: the token it may have made is revoked by name', async () => {
    const { base, token } = await generations()
    emulator.addFault({ method: 'POST', path: /^\/v1\/auth\/api-tokens\//, dropResponse: true })
    const run = await rotate(token, base)
    expect(run.exitCode).toBe(1)
    const newName = emulator.requests[0].path.split('/').pop() as string
    expect(apiCalls()).toEqual([`POST /v1/auth/api-tokens/${newName}`, `DELETE /v1/auth/api-tokens/${newName}`])
    expect(await listedNames()).not.toContain(newName)
    expect(await validates(token)).toBe(true)
    expect(errorLines(run.stdout)[0]).toMatch(/^::error::Nothing was rotated: the token passed as api-token still works\./)
  })
})
