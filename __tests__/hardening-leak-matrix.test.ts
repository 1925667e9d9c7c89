/**
 * The leak matrix: one table drives every success and failure path, in-process and (for a few
 * rows) through dist/index.js as a child process, and each run is checked for the contract's
 * "never": the API token, every JWT the run saw and the GitHub token appear in stdout, stderr,
 * the summary and annotations only on their own `::add-mask::` line, which comes first.
 * On top of the named secrets, anything shaped like a JWT outside a mask line counts as a leak.
 */
import { describe, expect } from '@jest/globals'
import type { Fault } from '../emulator/server.js'
import { runBundledAction, type ActionRun } from '../scripts/lib/runner.js'
import { useEmulator } from './support/emulator.js'
import { useFakeGitHub, type CannedResponse } from './support/fake-github.js'
import { expectNoLeaks } from './support/leaks.js'
import { runAction } from './support/run-action.js'
import { errorLines } from './support/workflow-commands.js'

const emulator = useEmulator()
const github = useFakeGitHub()

const MINT_PATH = '/v1/organizations/acme/databases/app-db/auth/tokens'
const LOOKUP_PATH = '/v1/organizations/acme/databases/app-db'
const WRONG_API_TOKEN = 'turso-api-token-revoked-9c1d2e3f4a5b'
const WRONG_GITHUB_TOKEN = 'ghp_wrongGitHubTokenForTheFake00000000'
const b64url = (text: string): string => Buffer.from(text).toString('base64url')
/** A JWT the emulator never minted, handed out by a canned 200. */
const CANNED_JWT = `${b64url('{"alg":"EdDSA","typ":"JWT"}')}.${b64url('{"a":"rw","iat":1767225600,"id":"leak-matrix"}')}.${b64url('signature-bytes')}`
const JWT_SHAPED = /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/

interface Row {
  /** Inputs over a valid create-token for acme/app-db. */
  inputs?: Record<string, string | ((context: { apiToken: string; githubToken: string }) => string)>
  /** Uses the fake GitHub: secret-name, github-token and GITHUB_API_URL are set. */
  secret?: 'valid-token' | 'wrong-token'
  faults?: Fault[]
  githubAnswers?: CannedResponse[]
  dist?: boolean
  exitCode: 0 | 1
  /** Text the ::error:: (or, on success, a ::warning::) must hold: proof the row took the path it names. */
  says?: string
}

const secretInputs = { 'secret-name': 'TURSO_AUTH_TOKEN', 'secret-repository': 'octo-org/app' }
const echo = (text: string): string => JSON.stringify({ error: text })

const matrix: Record<string, Row> = {
  // Successes.
  'create-token, database': { exitCode: 0 },
  'create-token, group of an organization': { inputs: { database: '', group: 'default' }, exitCode: 0 },
  'create-token, group of the user account': { inputs: { organization: '', database: '', group: 'default' }, exitCode: 0 },
  'create-token, every mint option': { inputs: { expiration: '1h', 'read-only': 'true', permissions: 'all:data_read', 'attach-databases': 'analytics' }, exitCode: 0 },
  'create-token, exported to the job': { inputs: { 'export-env': 'true' }, exitCode: 0 },
  'create-token, verified on the database': { inputs: { verify: 'true' }, exitCode: 0 },
  'create-token, stored as a GitHub secret': { secret: 'valid-token', exitCode: 0 },
  'create-token, API token from TURSO_API_TOKEN': { inputs: { 'api-token': '' }, exitCode: 0 },
  'rotate, database, mint, verify, store, export': { inputs: { operation: 'rotate', verify: 'true', 'export-env': 'true' }, secret: 'valid-token', exitCode: 0 },
  'rotate, group, mint: false': { inputs: { operation: 'rotate', database: '', group: 'default', mint: 'false' }, exitCode: 0 },
  'revoke': { inputs: { operation: 'revoke', database: '', organization: '', 'token-name': 'ci-deployer' }, exitCode: 0 },
  'dry-run, create-token': { inputs: { 'dry-run': 'true' }, exitCode: 0 },
  'dry-run, rotate with a secret': { inputs: { operation: 'rotate', 'dry-run': 'true' }, secret: 'valid-token', exitCode: 0 },
  'dry-run, revoke': { inputs: { operation: 'revoke', database: '', organization: '', 'token-name': 'ci-deployer', 'dry-run': 'true' }, exitCode: 0 },
  'create-api-token, group-scoped, validated, exported and stored': {
    inputs: { operation: 'create-api-token', database: '', group: 'staging', scopes: 'read', 'token-name': 'leak-create', verify: 'true', 'export-env': 'true' },
    secret: 'valid-token',
    exitCode: 0
  },
  'rotate-api-token, validated, stored and exported': {
    inputs: { operation: 'rotate-api-token', database: '', 'token-name': 'leak-rotate', 'export-env': 'true' },
    secret: 'valid-token',
    exitCode: 0
  },
  'rotate-api-token, the new token refused by validate and withdrawn': {
    inputs: { operation: 'rotate-api-token', database: '', 'token-name': 'leak-withdrawn' },
    faults: [{ method: 'GET', path: '/v1/auth/validate', status: 401, body: echo('token <api-token> is not valid') }],
    secret: 'valid-token',
    exitCode: 1,
    says: 'The new token'
  },

  // Turso answers with an error.
  'HTTP 400': { faults: [{ method: 'POST', path: MINT_PATH, status: 400, body: echo('Invalid expiration format') }], exitCode: 1 },
  'HTTP 401, wrong API token': { inputs: { 'api-token': WRONG_API_TOKEN }, exitCode: 1 },
  'HTTP 401 on rotate, wrong API token': { inputs: { operation: 'rotate', 'api-token': WRONG_API_TOKEN }, exitCode: 1 },
  'HTTP 403, restricted token': { inputs: { 'api-token': 'emulator-api-token-0003' }, exitCode: 1 },
  'HTTP 404, unknown database': { inputs: { database: 'no-such-db' }, exitCode: 1 },
  'HTTP 404, unknown token name': { inputs: { operation: 'revoke', database: '', organization: '', 'token-name': 'no-such-token' }, exitCode: 1 },
  'HTTP 409': { faults: [{ method: 'POST', path: MINT_PATH, status: 409, body: echo('conflict') }], exitCode: 1 },
  'HTTP 429 until the retries run out': { inputs: { retries: '1' }, faults: [{ method: 'POST', path: MINT_PATH, status: 429, headers: { 'retry-after': '0' }, times: 5 }], exitCode: 1 },
  'HTTP 500': { faults: [{ method: 'POST', path: MINT_PATH, status: 500, body: echo('internal error') }], exitCode: 1 },
  'HTTP 503 until the retries run out': { inputs: { retries: '1' }, faults: [{ method: 'POST', path: MINT_PATH, status: 503, headers: { 'retry-after': '0' }, times: 5 }], exitCode: 1 },
  'HTTP 503 on rotate after the invalidation (partial rotation)': {
    inputs: { operation: 'rotate' },
    faults: [{ method: 'POST', path: MINT_PATH, status: 503, body: echo('unavailable') }],
    exitCode: 1
  },

  // No answer.
  'network: connection refused': { inputs: { 'api-url': 'http://127.0.0.1:1' }, exitCode: 1 },
  'network: connection reset': { faults: [{ method: 'POST', path: MINT_PATH, reset: true }], exitCode: 1 },
  'network: timeout': { inputs: { timeout: '0.2' }, faults: [{ method: 'POST', path: MINT_PATH, delayMs: 5000 }], exitCode: 1 },

  // Hostile answers.
  'an error that echoes the API token': {
    inputs: { 'api-token': WRONG_API_TOKEN },
    faults: [{ method: 'POST', path: MINT_PATH, status: 401, body: echo(`token ${WRONG_API_TOKEN} expired; header was Bearer ${WRONG_API_TOKEN}`) }],
    exitCode: 1,
    says: 'token *** expired; header was Bearer ***'
  },
  'a lookup error that echoes the minted JWT': {
    faults: [
      { method: 'POST', path: MINT_PATH, status: 200, body: JSON.stringify({ jwt: CANNED_JWT }) },
      { method: 'GET', path: LOOKUP_PATH, status: 500, body: `minted ${CANNED_JWT} for you` }
    ],
    exitCode: 0,
    says: 'minted *** for you'
  },
  'a 200 whose jwt is not a JWT': { faults: [{ method: 'POST', path: MINT_PATH, status: 200, body: JSON.stringify({ jwt: 'hello-not-a-jwt' }) }], exitCode: 1, says: 'the jwt field is not a usable token' },
  'a 200 whose jwt has an unreadable payload': { faults: [{ method: 'POST', path: MINT_PATH, status: 200, body: JSON.stringify({ jwt: `${CANNED_JWT.split('.')[0]}.${b64url('nope')}.sig` }) }], exitCode: 1 },
  'an oversized 200': { faults: [{ method: 'POST', path: MINT_PATH, status: 200, body: JSON.stringify({ jwt: CANNED_JWT, pad: 'x'.repeat(1.2 * 1024 * 1024) }) }], exitCode: 1 },
  'verify refused by the database, which echoes the token': {
    inputs: { verify: 'true' },
    faults: [
      { method: 'POST', path: MINT_PATH, status: 200, body: JSON.stringify({ jwt: CANNED_JWT }) },
      { target: 'libsql', status: 401, body: JSON.stringify({ message: `token ${CANNED_JWT} rejected` }), times: 5 }
    ],
    exitCode: 1,
    says: 'rejected by the database (HTTP 401): token *** rejected'
  },

  // Invalid inputs, with secrets pasted where they do not belong.
  'the API token pasted into expiration': { inputs: { expiration: ({ apiToken }) => apiToken }, exitCode: 1, says: "Input 'expiration'" },
  'the GitHub token pasted into database': { inputs: { database: ({ githubToken }) => githubToken }, secret: 'valid-token', exitCode: 1, says: "Input 'database'" },
  'the API token pasted into api-url as user info': { inputs: { 'api-url': ({ apiToken }) => `https://user:${apiToken}@api.turso.tech` }, exitCode: 1, says: "Input 'api-url'" },
  'an unknown operation': { inputs: { operation: 'mint' }, exitCode: 1 },

  // Storing the secret fails.
  'GitHub refuses the github-token': { secret: 'wrong-token', exitCode: 1, says: 'github-token' },
  'GitHub answers 500s that echo the github-token': {
    inputs: { retries: '1' },
    secret: 'valid-token',
    githubAnswers: [
      { status: 500, body: { message: `server error for token ${'<github-token>'}` }, headers: { 'retry-after': '0' } },
      { status: 500, body: { message: `server error for token ${'<github-token>'}` }, headers: { 'retry-after': '0' } }
    ],
    exitCode: 1,
    says: 'server error for token ***'
  },
  'GitHub drops the connection': { inputs: { retries: '0' }, secret: 'valid-token', githubAnswers: [{ status: 0, dropConnection: true }], exitCode: 1 },
  'the secret repository does not exist': { inputs: { 'secret-repository': 'octo-org/gone' }, secret: 'valid-token', exitCode: 1 },
  'rotate, then storing fails (partial rotation)': { inputs: { operation: 'rotate' }, secret: 'wrong-token', exitCode: 1 },
  'create-token, stored as an organization secret for selected repositories': {
    inputs: { 'secret-repository': '', 'secret-organization': 'octo-org', 'secret-visibility': 'selected', 'secret-repositories': 'octo-org/app' },
    secret: 'valid-token',
    exitCode: 0
  },
  'create-token, stored as a Dependabot secret': { inputs: { 'secret-type': 'dependabot' }, secret: 'valid-token', exitCode: 0 },
  'a selected repository GitHub does not know': {
    inputs: { 'secret-repository': '', 'secret-organization': 'octo-org', 'secret-visibility': 'selected', 'secret-repositories': 'octo-org/gone' },
    secret: 'valid-token',
    exitCode: 1,
    says: 'octo-org/gone'
  },
  'the GitHub token pasted into secret-repositories': {
    inputs: { 'secret-repository': '', 'secret-organization': 'octo-org', 'secret-visibility': 'selected', 'secret-repositories': ({ githubToken }) => githubToken },
    secret: 'valid-token',
    exitCode: 1,
    says: "'secret-repositories'"
  },

  // The bundled action, as a child process.
  'dist: create-token with export and secret': { dist: true, inputs: { 'export-env': 'true' }, secret: 'valid-token', exitCode: 0 },
  'dist: wrong API token': { dist: true, inputs: { 'api-token': WRONG_API_TOKEN }, exitCode: 1 },
  'dist: an error that echoes the API token': { dist: true, faults: [{ method: 'POST', path: MINT_PATH, status: 400, body: echo(`bad ${'<api-token>'} ${'x'.repeat(300)}`) }], exitCode: 1, says: 'HTTP 400: bad ***' },
  'dist: a 200 whose jwt is not a JWT': { dist: true, faults: [{ method: 'POST', path: MINT_PATH, status: 200, body: JSON.stringify({ jwt: 'hello-not-a-jwt' }) }], exitCode: 1, says: 'the jwt field is not a usable token' },
  'dist: dry-run': { dist: true, inputs: { 'dry-run': 'true' }, exitCode: 0 },
  'dist: rotate-api-token': { dist: true, inputs: { operation: 'rotate-api-token', database: '', 'token-name': 'leak-dist', 'export-env': 'true' }, secret: 'valid-token', exitCode: 0 },
  'dist: GitHub refuses the github-token': { dist: true, secret: 'wrong-token', exitCode: 1 }
}

/** Placeholders in canned bodies, filled in once the tokens are known. */
function fill(text: string, apiToken: string, githubToken: string): string {
  return text.replaceAll('<api-token>', apiToken).replaceAll('<github-token>', githubToken)
}

describe('leak matrix: no secret anywhere but its own ::add-mask:: line', () => {
  it.each(Object.entries(matrix))('%s', async (_label, row) => {
    const githubToken = row.secret === 'wrong-token' ? WRONG_GITHUB_TOKEN : github.token
    const context = { apiToken: emulator.apiToken, githubToken }
    const inputs: Record<string, string> = {
      operation: 'create-token',
      'api-url': emulator.url,
      'api-token': emulator.apiToken,
      organization: 'acme',
      database: 'app-db',
      retries: '0',
      ...(row.secret !== undefined ? { ...secretInputs, 'github-token': githubToken } : {})
    }
    for (const [name, value] of Object.entries(row.inputs ?? {})) inputs[name] = typeof value === 'function' ? value(context) : value
    const env: Record<string, string> = { GITHUB_API_URL: github.url }
    if (inputs['api-token'] === '') env.TURSO_API_TOKEN = emulator.apiToken
    for (const fault of row.faults ?? []) emulator.addFault({ ...fault, body: fault.body === undefined ? undefined : fill(fault.body, inputs['api-token'], githubToken) })
    github.failNext(...(row.githubAnswers ?? []).map((answer) => ({ ...answer, body: JSON.parse(fill(JSON.stringify(answer.body ?? null), inputs['api-token'], githubToken)) as unknown })))

    const run: ActionRun = row.dist === true ? await runBundledAction(inputs, env) : await runAction(inputs, env)
    expect(run.exitCode).toBe(row.exitCode)

    const secrets = [emulator.apiToken, inputs['api-token'], CANNED_JWT, 'hello-not-a-jwt', run.outputs.token ?? '', run.exported.TURSO_AUTH_TOKEN ?? '', run.exported.TURSO_API_TOKEN ?? '']
    if (row.secret !== undefined) secrets.push(githubToken)
    expectNoLeaks(run, secrets)
    // Any JWT at all (one minted and lost on a failed path included) only on a mask line.
    const printed = (run.stdout + '\n' + run.stderr).split('\n').filter((line) => !line.startsWith('::add-mask::'))
    expect(printed.filter((line) => JWT_SHAPED.test(line))).toEqual([])
    expect(run.summary).not.toMatch(JWT_SHAPED)
    // The API token is masked before anything else is printed; a secret that arrives later (a
    // minted JWT) is masked before any line that mentions it.
    const lines = run.stdout.split('\n')
    expect(lines[0]).toBe(`::add-mask::${inputs['api-token'] || emulator.apiToken}`)
    lines.forEach((line, index) => {
      if (!line.startsWith('::add-mask::')) return
      const secret = line.slice('::add-mask::'.length)
      expect(lines.slice(0, index).filter((earlier) => earlier.includes(secret))).toEqual([])
    })
    expect(run.stdout + run.stderr).not.toMatch(/^\s+at /m)
    const errors = errorLines(run.stdout)
    expect(errors).toHaveLength(row.exitCode)
    if (row.says !== undefined) {
      const annotations = row.exitCode === 1 ? errors : run.stdout.split('\n').filter((line) => line.startsWith('::warning::'))
      expect(annotations.join('\n')).toContain(row.says)
    }
  })
})
