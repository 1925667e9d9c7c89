/**
 * What a rotation reports when it does not end cleanly, run in this process (dist-rotation.test.ts
 * covers the same cases through the bundle, which a mutation of src/ cannot reach): the unverified
 * replacement, the concurrent rotation, the partial rotation, and the preflight and log lines
 * around them. Each assertion pins a sentence a user acts on.
 */
import { describe, expect, it } from '@jest/globals'
import { rotateGroupOnSecretWrite, useEmulator } from './support/emulator.js'
import { useFakeGitHub } from './support/fake-github.js'
import { expectNoLeaks } from './support/leaks.js'
import { runAction } from './support/run-action.js'
import { errorLines } from './support/workflow-commands.js'

const emulator = useEmulator()
const github = useFakeGitHub()

const secretInputs = (): Record<string, string> => ({
  'secret-name': 'TURSO_AUTH_TOKEN',
  'github-token': github.token,
  'secret-repository': 'octo-org/app'
})

function rotateInputs(extra: Record<string, string> = {}): Record<string, string> {
  return { operation: 'rotate', 'api-url': emulator.url, 'api-token': emulator.apiToken, organization: 'acme', database: 'app-db', retries: '0', ...extra }
}

const apiCalls = (): string[] => emulator.requests.filter((request) => request.target === 'api').map((request) => `${request.method} ${request.path}`)
const summaryRow = (summary: string, label: string): string | undefined => summary.split('\n').find((line) => line.startsWith(`| ${label} | `))

describe('a replacement the database never accepts after the rotation', () => {
  it('is stored and exported, then the step fails with the rotation time and how to check the database', async () => {
    emulator.setAvailability({ afterRotation: [{ mode: '503', ms: 600_000 }] })
    const run = await runAction(rotateInputs({ verify: 'true', 'verify-timeout': '1', 'export-env': 'true', ...secretInputs() }), { GITHUB_API_URL: github.url })
    expect(run.exitCode).toBe(1)
    expect(github.secrets.size).toBe(1)
    expect(run.exported.TURSO_AUTH_TOKEN).toBe(run.outputs.token)
    const [error, ...more] = errorLines(run.stdout)
    expect(more).toEqual([])
    expect(error).toMatch(
      /^::error::The new token is set as the token output, stored in secret TURSO_AUTH_TOKEN in repository octo-org\/app and exported as TURSO_AUTH_TOKEN, but it is unverified: The database did not accept/
    )
    expect(error).toContain(`The old tokens were invalidated at ${run.outputs['rotated-at']}, so the replacement was delivered anyway`)
    expect(error).toContain('check its state with `turso db show app-db`, then run SELECT 1 with the new token (for example from a job that uses the secret). ')
    expect(error).not.toContain('the replacement was not completed')
    expect(error).toMatch(/re-run this step with operation: create-token and the same inputs \(do not rotate again\)\.$/)
    expect(run.stdout).toMatch(/^Database not ready for the new token \(HTTP 503\) on attempt 1; trying again in /m)
    // The loop waits between attempts on the real clock (backoff from 0.5 s): three or four in one
    // second on a quiet machine, fewer on a loaded one; never the hundreds of a loop that does not wait.
    const attempts = Number(/, (\d+) attempt\(s\)\)/u.exec(error)?.[1])
    expect(attempts).toBeGreaterThanOrEqual(1)
    expect(attempts).toBeLessThanOrEqual(5)
    expect(summaryRow(run.summary, 'Verified')).toBe('| Verified | no: delivered unverified, because the old tokens were already invalid |')
    expectNoLeaks(run, [emulator.apiToken, run.outputs.token, github.token])
  })

  it('of a group, exported only: names the group command and no secret', async () => {
    emulator.setAvailability({ afterRotation: [{ mode: '503', ms: 600_000 }] })
    const run = await runAction(rotateInputs({ database: '', group: 'default', verify: 'true', 'verify-timeout': '1', 'export-env': 'true' }))
    expect(run.exitCode).toBe(1)
    const [error] = errorLines(run.stdout)
    expect(error).toMatch(/^::error::The new token is set as the token output and exported as TURSO_AUTH_TOKEN, but it is unverified: /)
    expect(error).toContain('check its state with `turso group show default`, then run SELECT 1 with the new token. If it is still refused')
  })
})

describe('a concurrent rotation of the same group right after the secret is written', () => {
  it('fails naming what was delivered, and the summary records the refusal', async () => {
    github.beforeAnswer = rotateGroupOnSecretWrite(emulator)
    const run = await runAction(rotateInputs({ verify: 'true', ...secretInputs() }), { GITHUB_API_URL: github.url })
    expect(run.exitCode).toBe(1)
    const [error, ...more] = errorLines(run.stdout)
    expect(more).toEqual([])
    expect(error).toMatch(
      /^::error::The new token verified and was then set as the token output and stored in secret TURSO_AUTH_TOKEN in repository octo-org\/app, but the database refused it when checked again right after \(HTTP 401\): another rotation/
    )
    expect(error).not.toContain('the replacement was not completed')
    expect(error).toMatch(
      /has invalidated it, so what was delivered no longer works\. Re-run this step once the other rotation has finished, and give every workflow that rotates this group the same concurrency group \(for example `concurrency: turso-rotate-<organization>-<group>`\) so that rotations of one group never overlap\.$/
    )
    expect(summaryRow(run.summary, 'Re-checked after delivery')).toBe('| Re-checked after delivery | refused (HTTP 401) |')
    expectNoLeaks(run, [emulator.apiToken, run.outputs.token, github.token])
  })
})

describe('a replacement that cannot be minted after the rotation', () => {
  it('ends its error with the recovery advice', async () => {
    emulator.addFault({ method: 'POST', path: '/v1/organizations/acme/databases/app-db/auth/tokens', status: 503, body: '{"error":"service unavailable"}', times: 5, skip: 1 })
    const run = await runAction(rotateInputs(), { RUNNER_DEBUG: '1' })
    expect(run.exitCode).toBe(1)
    expect(errorLines(run.stdout)[0]).toMatch(
      /To recover, re-run this step with operation: create-token and the same inputs \(do not rotate again\); until then, clients using the old tokens are refused\.$/
    )
    // With debug logging on, the stack a maintainer reads names the kind of failure.
    expect(run.stdout).toMatch(/^::debug::PartialRotationError: The old tokens are already invalid/m)
    expectNoLeaks(run, [emulator.apiToken])
  })
})

describe('rotate with mint: false', () => {
  it('says no replacement was minted, and the summary records what was invalidated', async () => {
    const run = await runAction(rotateInputs({ mint: 'false' }))
    expect(run.exitCode).toBe(0)
    expect(run.stdout).toContain('mint is false: no replacement token was minted')
    expect(summaryRow(run.summary, 'Invalidated')).toMatch(/^\| Invalidated \| every token of group 'default' \(database 'app-db' belongs to it/)
  })

  it('of a group: lists the group (to name its databases), then the rotate request alone, and no warning', async () => {
    const run = await runAction(rotateInputs({ database: '', group: 'default', mint: 'false' }))
    expect(run.exitCode).toBe(0)
    expect(apiCalls()).toEqual(['GET /v1/organizations/acme/databases', 'POST /v1/organizations/acme/groups/default/auth/rotate'])
    expect(run.stdout).not.toContain('::warning::')
  })

  it('when the lookup fails: names the database, since its group is unknown', async () => {
    emulator.addFault({ method: 'GET', path: '/v1/organizations/acme/databases/app-db', status: 403, body: '{"error":"forbidden"}' })
    const run = await runAction(rotateInputs({ mint: 'false' }))
    expect(run.exitCode).toBe(0)
    expect(run.stdout).toMatch(/^Invalidated every token of database 'app-db' in organization 'acme' at \d{4}-/m)
    // Its group is unknown, so no group is listed.
    expect(apiCalls()).toEqual(['GET /v1/organizations/acme/databases/app-db', 'POST /v1/organizations/acme/databases/app-db/auth/rotate'])
  })
})

describe('a misspelled attach-databases entry before a rotation', () => {
  it('stops before the rotate request, naming the entry', async () => {
    const run = await runAction(rotateInputs({ 'attach-databases': 'analytics, analytcs' }))
    expect(run.exitCode).toBe(1)
    expect(apiCalls()).not.toContain('POST /v1/organizations/acme/databases/app-db/auth/rotate')
    expect(errorLines(run.stdout)[0]).toMatch(/^::error::Nothing was rotated: the old tokens still work\. Before rotating, checking attach-databases entry 'analytcs' failed: /)
  })
})

describe('the check after delivery', () => {
  it('passes: the summary says the token was re-checked and where it was stored', async () => {
    const run = await runAction(rotateInputs({ verify: 'true', ...secretInputs() }), { GITHUB_API_URL: github.url })
    expect(run.exitCode).toBe(0)
    expect(summaryRow(run.summary, 'Re-checked after delivery')).toBe('| Re-checked after delivery | still accepted |')
    expect(summaryRow(run.summary, 'Stored as secret')).toBe('| Stored as secret | `TURSO_AUTH_TOKEN` in repository octo-org/app |')
  })

  it('that cannot finish (the database answers 503) only warns: the token was verified before it was stored', async () => {
    github.beforeAnswer = (request) => {
      if (request.method === 'PUT') emulator.addFault({ target: 'libsql', path: '/v2/pipeline', status: 503, times: 1000 })
    }
    const run = await runAction(rotateInputs({ verify: 'true', 'verify-timeout': '1', ...secretInputs() }), { GITHUB_API_URL: github.url })
    expect(run.exitCode).toBe(0)
    expect(errorLines(run.stdout)).toEqual([])
    expect(run.stdout).toMatch(/^::warning::The new token verified before it was stored, but the check after storing it could not finish: /m)
    // The re-check's own waits are logged too.
    const stored = run.stdout.indexOf('Stored the token in secret')
    expect(run.stdout.indexOf('Database not ready for the new token (HTTP 503)', stored)).toBeGreaterThan(stored)
  })
})

describe('a replacement refused with 401 while the new signing key spreads', () => {
  it('is waited for after a rotation, and verified', async () => {
    emulator.setAvailability({ afterRotation: [{ mode: '401', ms: 700 }] })
    const run = await runAction(rotateInputs({ verify: 'true', 'verify-timeout': '20' }))
    expect(run.exitCode).toBe(0)
    expect(run.stdout).toMatch(/^Database not ready for the new token \(HTTP 401: the new signing key may not have reached the database yet\)/m)
  })

  it('unverified and only set as the output: says so in one phrase', async () => {
    emulator.setAvailability({ afterRotation: [{ mode: '503', ms: 600_000 }] })
    const run = await runAction(rotateInputs({ verify: 'true', 'verify-timeout': '1' }))
    expect(run.exitCode).toBe(1)
    expect(errorLines(run.stdout)[0]).toMatch(/^::error::The new token is set as the token output, but it is unverified: /)
  })
})
