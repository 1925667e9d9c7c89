/**
 * The rotation rules that keep a group alive (contract: "Rotation is destructive"), in process so
 * a mutant of src/ meets them: an unknown outcome still delivers a replacement; a token that may
 * rotate but not mint never rotates; the databases that lose their tokens are named first; a
 * database whose configuration rules out verify is refused before anything is minted or rotated.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import { useEmulator } from './support/emulator.js'
import { useFakeGitHub } from './support/fake-github.js'
import { expectNoLeaks } from './support/leaks.js'
import { runAction } from './support/run-action.js'
import { errorLines } from './support/workflow-commands.js'

const emulator = useEmulator()
const github = useFakeGitHub()

const DB_ROTATE = '/v1/organizations/acme/databases/app-db/auth/rotate'
const DB_TOKENS = '/v1/organizations/acme/databases/app-db/auth/tokens'
const SECRET_KEY = 'repo:octo-org/app:TURSO_AUTH_TOKEN'

function rotateInputs(extra: Record<string, string> = {}): Record<string, string> {
  return { operation: 'rotate', 'api-url': emulator.url, 'api-token': emulator.apiToken, organization: 'acme', database: 'app-db', retries: '0', ...extra }
}

const secretInputs = (): Record<string, string> => ({
  'secret-name': 'TURSO_AUTH_TOKEN',
  'github-token': github.token,
  'secret-repository': 'octo-org/app'
})

const apiCalls = (): string[] => emulator.requests.filter((request) => request.target === 'api').map((request) => `${request.method} ${request.path}`)
const summaryRow = (summary: string, label: string): string | undefined => summary.split('\n').find((line) => line.startsWith(`| ${label} | `))

async function api(method: string, path: string, body?: unknown, token = emulator.apiToken): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${emulator.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body)
  })
  const text = await response.text()
  return { status: response.status, json: text === '' ? undefined : JSON.parse(text) }
}

/** A token of the default group minted before the run (the rotation must kill it, or leave it). */
async function tokenBefore(): Promise<string> {
  const { json } = await api('POST', DB_TOKENS)
  emulator.clearRequests()
  return (json as { jwt: string }).jwt
}

async function storedSecret(): Promise<string | undefined> {
  const stored = github.secrets.get(SECRET_KEY)
  return stored === undefined ? undefined : github.decrypt(stored.encrypted_value)
}

describe('a rotate request whose answer is lost on every attempt (Turso applied it)', () => {
  it('still mints, verifies, stores and exports the replacement, then fails saying the old tokens may be invalid', async () => {
    const old = await tokenBefore()
    github.secrets.clear()
    emulator.addFault({ method: 'POST', path: DB_ROTATE, dropResponse: true, times: 2 })
    const run = await runAction(rotateInputs({ retries: '1', verify: 'true', 'export-env': 'true', ...secretInputs() }), { GITHUB_API_URL: github.url })
    expect(run.exitCode).toBe(1)
    // Both attempts reached Turso and were applied; neither answer came back.
    expect(apiCalls().filter((call) => call === `POST ${DB_ROTATE}`)).toHaveLength(2)
    expect(emulator.verifyDatabaseToken(old, 'app-db', 'acme').valid).toBe(false)
    // The replacement works and is where it should be.
    expect(emulator.verifyDatabaseToken(run.outputs.token, 'app-db', 'acme').valid).toBe(true)
    expect(await storedSecret()).toBe(run.outputs.token)
    expect(run.exported.TURSO_AUTH_TOKEN).toBe(run.outputs.token)
    // rotated-at is the time the invalidation succeeded: unknown here.
    expect(run.outputs['rotated-at']).toBeUndefined()
    const [error, ...more] = errorLines(run.stdout)
    expect(more).toEqual([])
    expect(error).toMatch(
      /^::error::The request to invalidate every token of group 'default' \(database 'app-db' belongs to it.*\) was sent at \d{4}-\d\d-\d\dT[\d:.]+Z but got no clear answer \(POST http:\/\/127\.0\.0\.1:\d+\/v1\/organizations\/acme\/databases\/app-db\/auth\/rotate failed after 2 attempts: connection reset\), so Turso may have applied it: the old tokens may already be invalid\. /
    )
    expect(error).toContain(
      'The replacement is set as the token output, stored in secret TURSO_AUTH_TOKEN in repository octo-org/app and exported as TURSO_AUTH_TOKEN, so clients that use it keep working either way. '
    )
    expect(error).toMatch(/Do not rotate again: check whether an old token still works \(run SELECT 1 with it\) to learn whether the rotation happened\.$/)
    expect(run.stdout).toMatch(/^::warning::The rotate request got no clear answer \(.*connection reset\): Turso may have applied it, so the old tokens may already be invalid\. Minting and delivering the replacement anyway\.$/m)
    expect(summaryRow(run.summary, 'Rotate request')).toMatch(/^\| Rotate request \| sent at \d{4}-.*Z, no clear answer \(.*connection reset\) \|$/)
    expect(summaryRow(run.summary, 'Invalidated')).toBeUndefined()
    expectNoLeaks(run, [emulator.apiToken, old, run.outputs.token, github.token])
  })

  it('with mint: false: fails saying nothing was minted and how to tell', async () => {
    emulator.addFault({ method: 'POST', path: DB_ROTATE, dropResponse: true })
    const run = await runAction(rotateInputs({ mint: 'false' }))
    expect(run.exitCode).toBe(1)
    expect(run.outputs).toEqual({})
    expect(errorLines(run.stdout)[0]).toMatch(
      /the old tokens may already be invalid\. mint is false, so no replacement was minted\. Check whether an old token still works \(run SELECT 1 with it\); if it is refused, mint new tokens with operation: create-token\.$/
    )
  })

  it('when the replacement then cannot be minted: says both, and how to recover', async () => {
    emulator.addFault(
      { method: 'POST', path: DB_ROTATE, dropResponse: true },
      { method: 'POST', path: DB_TOKENS, status: 503, body: '{"error":"service unavailable"}', skip: 1 }
    )
    const run = await runAction(rotateInputs())
    expect(run.exitCode).toBe(1)
    expect(run.outputs.token).toBeUndefined()
    expect(errorLines(run.stdout)[0]).toMatch(
      /so Turso may have applied it: the old tokens may already be invalid\. And the replacement was not completed: Could not create a token .*service unavailable.* To recover, re-run this step with operation: create-token and the same inputs \(do not rotate again\)/
    )
  })

  it('when the replacement cannot be verified: delivered anyway, and the error says both', async () => {
    emulator.addFault({ method: 'POST', path: DB_ROTATE, dropResponse: true })
    emulator.addFault({ target: 'libsql', path: '/v2/pipeline', status: 503, times: 1000 })
    const run = await runAction(rotateInputs({ verify: 'true', 'verify-timeout': '1', 'export-env': 'true' }))
    expect(run.exitCode).toBe(1)
    expect(run.exported.TURSO_AUTH_TOKEN).toBe(run.outputs.token)
    const [error, ...more] = errorLines(run.stdout)
    expect(more).toEqual([])
    expect(error).toMatch(/the old tokens may already be invalid\. The new token is set as the token output and exported as TURSO_AUTH_TOKEN, but it is unverified: /)
    // Unknown, not certain: the error never claims the old tokens were invalidated.
    expect(error).toMatch(/The request to invalidate the old tokens was sent at \S+Z and may have been applied, so the replacement was delivered anyway/)
    expect(error).not.toContain('The old tokens were invalidated at')
  })
})

describe('a rotate request answered 5xx until the retries run out', () => {
  it('counts as done: the replacement is minted and output, and the error gives the status and message', async () => {
    emulator.addFault({ method: 'POST', path: DB_ROTATE, status: 500, body: '{"error":"upstream unavailable"}' })
    const run = await runAction(rotateInputs())
    expect(run.exitCode).toBe(1)
    expect(apiCalls().slice(-2)).toEqual([`POST ${DB_ROTATE}`, `POST ${DB_TOKENS}`])
    expect(emulator.verifyDatabaseToken(run.outputs.token, 'app-db', 'acme').valid).toBe(true)
    expect(errorLines(run.stdout)[0]).toMatch(/but got no clear answer \(HTTP 500: upstream unavailable\), so Turso may have applied it/)
  })

  it('an empty 5xx body: the status alone', async () => {
    emulator.addFault({ method: 'POST', path: DB_ROTATE, status: 504, body: '' })
    const run = await runAction(rotateInputs({ mint: 'false' }))
    expect(run.exitCode).toBe(1)
    expect(errorLines(run.stdout)[0]).toMatch(/but got no clear answer \(HTTP 504\), so Turso may have applied it/)
  })

  it('after retries: says how many attempts the status answered', async () => {
    emulator.addFault({ method: 'POST', path: DB_ROTATE, status: 502, times: 2 })
    const run = await runAction(rotateInputs({ retries: '1' }))
    expect(run.exitCode).toBe(1)
    expect(errorLines(run.stdout)[0]).toMatch(/no clear answer \(HTTP 502 to the last of 2 attempts: Bad Gateway\)/)
  })
})

describe('a rotate request refused with a 4xx', () => {
  it('is a clear answer: nothing was rotated, nothing minted after it, and the summary says so', async () => {
    const old = await tokenBefore()
    emulator.addFault({ method: 'POST', path: DB_ROTATE, status: 403, body: '{"error":"forbidden"}' })
    const run = await runAction(rotateInputs())
    expect(run.exitCode).toBe(1)
    expect(apiCalls()[apiCalls().length - 1]).toBe(`POST ${DB_ROTATE}`)
    expect(run.outputs).toEqual({})
    expect(emulator.verifyDatabaseToken(old, 'app-db', 'acme').valid).toBe(true)
    expect(errorLines(run.stdout)[0]).toMatch(/^::error::Could not invalidate the tokens of database 'app-db' in organization 'acme'\. Turso answered HTTP 403: forbidden\./)
    expect(run.stdout).not.toContain('no clear answer')
    expect(summaryRow(run.summary, 'Rotate request')).toBe('| Rotate request | refused: nothing was rotated |')
  })
})

describe('the line before the rotate request', () => {
  it('says what is about to be invalidated, before the request is sent', async () => {
    const run = await runAction(rotateInputs())
    expect(run.exitCode).toBe(0)
    expect(run.stdout).toMatch(/^Invalidating every token of group 'default' \(database 'app-db' belongs to it, .*\) now$/m)
    expect(run.stdout.indexOf('Invalidating every token')).toBeLessThan(run.stdout.indexOf('Invalidated every token'))
  })
})

describe('a scoped API token that may rotate but not mint', () => {
  it('is caught by the throw-away mint: nothing is rotated, and the error names the check', async () => {
    const old = await tokenBefore()
    const created = await api('POST', `/v1/auth/api-tokens/rotate-only-${Date.now()}`, { organization: 'acme', group: 'default', scopes: ['read', 'db:rotate-creds'] })
    expect(created.status).toBe(200)
    const scoped = (created.json as { token: string }).token
    emulator.clearRequests()
    const run = await runAction(rotateInputs({ 'api-token': scoped }))
    expect(run.exitCode).toBe(1)
    expect(apiCalls()).not.toContain(`POST ${DB_ROTATE}`)
    expect(apiCalls()[apiCalls().length - 1]).toBe(`POST ${DB_TOKENS}`)
    expect(emulator.requests[emulator.requests.length - 1].query).toEqual({ expiration: '1s', authorization: 'full-access' })
    expect(emulator.verifyDatabaseToken(old, 'app-db', 'acme').valid).toBe(true)
    // Turso's own 403 wording is not asserted: only that it came from the throw-away mint.
    expect(errorLines(run.stdout)[0]).toMatch(
      /^::error::Nothing was rotated: the old tokens still work\. Before rotating, minting a throw-away token \(expiring in 1s\) to prove api-token may mint the replacement failed: Could not create a token for database 'app-db' in organization 'acme'\. Turso answered HTTP 403/
    )
    expect(run.outputs).toEqual({})
    expectNoLeaks(run, [emulator.apiToken, scoped, old])
  })

  it('with mint: false: no throw-away mint, since nothing will be minted', async () => {
    const run = await runAction(rotateInputs({ mint: 'false' }))
    expect(run.exitCode).toBe(0)
    expect(apiCalls()).not.toContain(`POST ${DB_TOKENS}`)
  })
})

describe('the throw-away token', () => {
  it('is masked, never output or printed, and dead after the rotation', async () => {
    const run = await runAction(rotateInputs({ 'export-env': 'true' }))
    expect(run.exitCode).toBe(0)
    const masked = run.stdout.split('\n').filter((line) => line.startsWith('::add-mask::')).map((line) => line.slice('::add-mask::'.length))
    const throwAway = masked.filter((value) => value !== emulator.apiToken && value !== run.outputs.token)
    expect(throwAway).toHaveLength(1)
    expect(Object.values(run.outputs)).not.toContain(throwAway[0])
    expect(Object.values(run.exported)).not.toContain(throwAway[0])
    expect(emulator.verifyDatabaseToken(throwAway[0], 'app-db', 'acme').valid).toBe(false)
    expect(run.stdout).toContain("Checked before rotating: api-token may mint tokens for database 'app-db' in organization 'acme' (a throw-away token, never output; the rotation invalidates it)")
    expectNoLeaks(run, [emulator.apiToken, throwAway[0], run.outputs.token])
  })
})

describe('the databases whose tokens die', () => {
  it('a database outside groups: only itself, and no list', async () => {
    const hostname = emulator.hostnameOf('app-db', 'acme')
    emulator.addFault({ method: 'GET', path: '/v1/organizations/acme/databases/app-db', status: 200, body: JSON.stringify({ database: { Name: 'app-db', Hostname: hostname } }) })
    const run = await runAction(rotateInputs({ mint: 'false' }))
    expect(run.exitCode).toBe(0)
    expect(apiCalls()).toEqual(['GET /v1/organizations/acme/databases/app-db', `POST ${DB_ROTATE}`])
    expect(run.stdout).toContain("Rotating invalidates the tokens of 1 database: 'app-db'\n")
    expect(summaryRow(run.summary, 'Databases affected')).toBe("| Databases affected | 'app-db' |")
  })

  it('a group: named in the log and the summary before the request, so even when the rotation fails', async () => {
    emulator.addFault({ method: 'POST', path: '/v1/organizations/acme/groups/default/auth/rotate', status: 404, body: '{"error":"group not found"}' })
    const run = await runAction(rotateInputs({ database: '', group: 'default' }))
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toContain("Rotating invalidates the tokens of 2 databases: 'app-db', 'analytics'\n")
    expect(summaryRow(run.summary, 'Databases affected')).toBe("| Databases affected | 'app-db', 'analytics' |")
  })

  it.each([['with', {}], ['with mint: false and', { mint: 'false' }]])('a list that fails only warns %s a database target (nothing needs it), and the rotation goes on', async (_label, extra) => {
    emulator.addFault({ method: 'GET', path: '/v1/organizations/acme/databases', status: 500, body: '{"error":"boom"}' })
    const run = await runAction(rotateInputs(extra))
    expect(run.exitCode).toBe(0)
    expect(run.stdout).toMatch(/^::warning::Could not list the databases of group 'default' before rotating, so they are not named: .*boom/m)
    expect(run.stdout).not.toContain('Rotating invalidates')
    expect(summaryRow(run.summary, 'Databases affected')).toBeUndefined()
  })

  it('a group whose list fails: not named, and no claim that it cannot be listed', async () => {
    emulator.addFault({ method: 'GET', path: '/v1/organizations/acme/databases', status: 500, body: '{"error":"boom"}' })
    const run = await runAction(rotateInputs({ database: '', group: 'default', mint: 'false' }))
    expect(run.exitCode).toBe(0)
    expect(run.stdout).toMatch(/^::warning::Could not list the databases of group 'default' before rotating/m)
    expect(run.stdout).not.toContain('Rotating invalidates')
  })

  it('a group without databases: says so', async () => {
    emulator.addFault({ method: 'GET', path: '/v1/organizations/acme/databases', status: 200, body: '{"databases":[]}' })
    const run = await runAction(rotateInputs({ database: '', group: 'staging', mint: 'false' }))
    expect(run.exitCode).toBe(0)
    expect(run.stdout).toContain('Rotating invalidates the tokens of 0 databases: no database\n')
  })

  it('the database lookup that fails before a rotation with a mint: stops it, naming the lookup', async () => {
    emulator.addFault({ method: 'GET', path: '/v1/organizations/acme/databases/app-db', status: 403, body: '{"error":"forbidden"}' })
    const run = await runAction(rotateInputs())
    expect(run.exitCode).toBe(1)
    expect(apiCalls()).toEqual(['GET /v1/organizations/acme/databases/app-db'])
    expect(errorLines(run.stdout)[0]).toMatch(/^::error::Nothing was rotated: the old tokens still work\. Before rotating, the database lookup \(its address is needed for database-url, verify and export-env\) failed: /)
  })

  it('a group with verify: a list that fails stops the step before rotating (the token is verified on one of them)', async () => {
    emulator.addFault({ method: 'GET', path: '/v1/organizations/acme/databases', status: 500, body: '{"error":"boom"}' })
    const run = await runAction(rotateInputs({ database: '', group: 'default', verify: 'true' }))
    expect(run.exitCode).toBe(1)
    expect(apiCalls()).toEqual(['GET /v1/organizations/acme/databases'])
    expect(errorLines(run.stdout)[0]).toMatch(/^::error::Nothing was rotated: the old tokens still work\. Before rotating, listing the databases of group 'default' failed: .*boom/)
  })
})

describe('verify on a database whose configuration shuts the runner out', () => {
  async function configure(body: Record<string, unknown>): Promise<void> {
    expect((await api('PATCH', '/v1/organizations/acme/databases/app-db/configuration', body)).status).toBe(200)
    emulator.clearRequests()
  }
  afterEach(async () => {
    await configure({ allowed_ips: [], allowed_aws_vpc_ids: [], block_reads: false, block_writes: false })
  })

  it.each<[string, Record<string, unknown>, RegExp]>([
    ['allowed_ips', { allowed_ips: ['203.0.113.7', '10.0.0.0/8'] }, /it accepts connections only from allowed_ips \(203\.0\.113\.7, 10\.0\.0\.0\/8\)/],
    [
      'allowed_aws_vpc_ids',
      { allowed_aws_vpc_ids: ['vpce-0fe6c8807461bba49', 'vpce-1a'] },
      /it accepts connections only through allowed_aws_vpc_ids \(vpce-0fe6c8807461bba49, vpce-1a\)/
    ],
    ['block_reads', { block_reads: true }, /it blocks reads \(block_reads\)/]
  ])('%s: refused before anything is minted or rotated, naming verify', async (_label, configuration, reason) => {
    const old = await tokenBefore()
    await configure(configuration)
    const run = await runAction(rotateInputs({ verify: 'true' }))
    expect(run.exitCode).toBe(1)
    expect(apiCalls()).toEqual([
      'GET /v1/organizations/acme/databases/app-db',
      'GET /v1/organizations/acme/databases',
      'GET /v1/organizations/acme/databases/app-db/configuration'
    ])
    expect(emulator.verifyDatabaseToken(old, 'app-db', 'acme').valid).toBe(true)
    const [error] = errorLines(run.stdout)
    expect(error).toMatch(/^::error::Nothing was rotated: the old tokens still work\. Before rotating, checking the configuration of database 'app-db' for verify failed: verify cannot succeed on database 'app-db': /)
    expect(error).toMatch(reason)
    expect(error).toMatch(/so the runner's SELECT 1 would be refused\. Set verify: false \(and check the token from where the database accepts connections\), or lift the restriction in the database's configuration\.$/)
  })

  it('a group: the configuration of the database it is verified on', async () => {
    await configure({ block_reads: true, allowed_ips: ['203.0.113.7'] })
    const run = await runAction(rotateInputs({ database: '', group: 'default', verify: 'true' }))
    expect(run.exitCode).toBe(1)
    expect(apiCalls()).toEqual(['GET /v1/organizations/acme/databases', 'GET /v1/organizations/acme/databases/app-db/configuration'])
    expect(errorLines(run.stdout)[0]).toContain('allowed_ips (203.0.113.7); it blocks reads (block_reads), so')
  })

  it('block_writes: rotates, and verify checks reads only, saying so', async () => {
    await configure({ block_writes: true })
    const run = await runAction(rotateInputs({ verify: 'true' }))
    expect(run.exitCode).toBe(0)
    expect(run.stdout).toContain("Database 'app-db' blocks writes (block_writes), so verify checks reads only: the write check is skipped\n")
    expect(run.stdout).toMatch(/^Verified the new token on .*: read access works$/m)
    const bodies = emulator.requests.filter((request) => request.target === 'libsql').map((request) => request.body)
    expect(bodies.some((body) => body.includes('BEGIN IMMEDIATE'))).toBe(false)
  })

  it('a configuration that cannot be read stops the rotation', async () => {
    emulator.addFault({ method: 'GET', path: '/v1/organizations/acme/databases/app-db/configuration', status: 500, body: '{"error":"boom"}' })
    const run = await runAction(rotateInputs({ verify: 'true' }))
    expect(run.exitCode).toBe(1)
    expect(apiCalls()).not.toContain(`POST ${DB_ROTATE}`)
    expect(errorLines(run.stdout)[0]).toMatch(/^::error::Nothing was rotated: .*checking the configuration of database 'app-db' for verify failed: Could not read the configuration of database 'app-db' in organization 'acme'\. Turso answered HTTP 500: boom/)
  })

  it.each([
    ['{"allowed_ips":"203.0.113.7"}', "the answer's allowed_ips is not a list of strings"],
    ['{"allowed_aws_vpc_ids":[1]}', "the answer's allowed_aws_vpc_ids is not a list of strings"],
    ['{"block_reads":"yes"}', "the answer's block_reads is not true or false"],
    ['[]', 'the answer is not a JSON object']
  ])('an answer that is not Turso\'s (%s) stops the rotation', async (body, problem) => {
    emulator.addFault({ method: 'GET', path: '/v1/organizations/acme/databases/app-db/configuration', status: 200, body })
    const run = await runAction(rotateInputs({ verify: 'true' }))
    expect(run.exitCode).toBe(1)
    expect(errorLines(run.stdout)[0]).toContain(problem)
  })

  it('an answer without the new fields counts as unrestricted', async () => {
    emulator.addFault({ method: 'GET', path: '/v1/organizations/acme/databases/app-db/configuration', status: 200, body: '{"size_limit":"0","block_reads":null}' })
    const run = await runAction(rotateInputs({ verify: 'true' }))
    expect(run.exitCode).toBe(0)
    expect(run.stdout).toMatch(/: read and write access works$/m)
    expect(run.stdout).not.toContain('blocks writes')
  })

  it('create-token: refused before minting', async () => {
    await configure({ allowed_ips: ['203.0.113.7'] })
    const run = await runAction(rotateInputs({ operation: 'create-token', verify: 'true' }), { RUNNER_DEBUG: '1' })
    expect(run.exitCode).toBe(1)
    expect(apiCalls()).toEqual(['GET /v1/organizations/acme/databases/app-db/configuration'])
    // The stack a maintainer reads with debug logging on names the kind of failure.
    expect(run.stdout).toMatch(/^::debug::UnverifiableDatabaseError: Nothing was minted/m)
    expect(errorLines(run.stdout)[0]).toMatch(/^::error::Nothing was minted: verify cannot succeed on database 'app-db': it accepts connections only from allowed_ips \(203\.0\.113\.7\)/)
  })

  it('create-token: a configuration that cannot be read only warns, and verify decides', async () => {
    emulator.addFault({ method: 'GET', path: '/v1/organizations/acme/databases/app-db/configuration', status: 500, body: '{"error":"boom"}' })
    const run = await runAction(rotateInputs({ operation: 'create-token', verify: 'true' }))
    expect(run.exitCode).toBe(0)
    expect(run.stdout).toMatch(/^::warning::Could not read the configuration of database 'app-db' before minting; verify will tell: .*boom/m)
  })

  it('create-token with block_writes: reads only', async () => {
    await configure({ block_writes: true })
    const run = await runAction(rotateInputs({ operation: 'create-token', verify: 'true' }))
    expect(run.exitCode).toBe(0)
    expect(run.stdout).toMatch(/^Verified the new token on .*: read access works$/m)
  })
})
