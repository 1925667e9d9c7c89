/**
 * Every string a server supplies, pushed through every field the action prints, for all three
 * operations: what a runner reads from stdout must hold no workflow command but the action's
 * own, no line may carry an injected command even as text, and no raw control, line-break or
 * bidi character may reach the log, the summary or an output. Issue 10, item 4: a database
 * `group` holding `\n::stop-commands::…` must not stop the `::add-mask::` of the token minted next.
 */
import { beforeAll, describe, expect, it } from '@jest/globals'
import type { Fault } from '../emulator/server.js'
import { runBundledAction, type ActionRun } from '../scripts/lib/runner.js'
import { useEmulator } from './support/emulator.js'
import { useFakeGitHub, type CannedResponse } from './support/fake-github.js'
import { expectNoLeaks } from './support/leaks.js'
import { runAction } from './support/run-action.js'
import { OWN_COMMANDS, commandOf, runnerLines } from './support/workflow-commands.js'

const emulator = useEmulator()
const github = useFakeGitHub()

const LOOKUP_PATH = '/v1/organizations/acme/databases/app-db'
const MINT_PATH = `${LOOKUP_PATH}/auth/tokens`
const ROTATE_PATH = `${LOOKUP_PATH}/auth/rotate`
const LIST_PATH = '/v1/organizations/acme/databases'

/** Each ends in `pwned`, so an injected command is easy to find however it was mangled. */
const INJECTIONS: Record<string, string> = {
  'a line break, then ::stop-commands::': '\n::stop-commands::pwned',
  'CR LF, then ::set-env': '\r\n::set-env name=PWNED::pwned',
  'a lone CR, then ::add-mask::': '\r::add-mask::pwned',
  'a percent-encoded line break, then ::warning::': '%0A::warning::pwned',
  'U+2028, then ::notice::': '\u2028::notice::pwned',
  'bidi overrides around ::error::': '\u202e::error::pwned\u202c\u2066',
  'the old ##[ form': '##[set-env name=PWNED;]pwned'
}
/** Every injection in one string, for the runs of dist/index.js. */
const ALL_AT_ONCE = Object.values(INJECTIONS).join(' ')

// C0 (but the \n that ends each line), DEL, C1, line/paragraph separators, bidi controls, BOM.
// eslint-disable-next-line no-control-regex
const RAW_UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069\ufeff]/u
const INJECTED_TEXT = /::[A-Za-z-]+( [^:]*)?::pwned|##\[/

/**
 * The runner's view of the step: the only commands in stdout are the action's own, none of them
 * carries the injection as its command, no line holds an injected command even as text, and
 * nothing unsafe reached stdout, the summary or an output.
 */
function expectNothingInjected(run: ActionRun): void {
  const lines = runnerLines(run.stdout)
  const commands = lines.flatMap((line) => {
    const command = commandOf(line)
    return command === undefined ? [] : [{ line, name: command.name }]
  })
  expect(commands.filter(({ name }) => !OWN_COMMANDS.has(name))).toEqual([])
  expect(lines.filter((line) => INJECTED_TEXT.test(line))).toEqual([])
  expect(run.stdout.replace(/\n/g, '')).not.toMatch(RAW_UNSAFE)
  expect(run.stderr).not.toMatch(INJECTED_TEXT)
  expect(run.summary.replace(/\n/g, '')).not.toMatch(RAW_UNSAFE)
  expect(run.summary).not.toMatch(INJECTED_TEXT)
  for (const value of [...Object.values(run.outputs), ...Object.values(run.exported)]) {
    expect(value).not.toMatch(RAW_UNSAFE)
    expect(value).not.toMatch(INJECTED_TEXT)
  }
}

/**
 * Replays stdout as a runner would: `::stop-commands::<end>` turns command processing off until
 * `::<end>::`. The mask of `secret` must be a command that runs, before any line that mentions it.
 */
function expectMaskTakesEffect(run: ActionRun, secret: string): void {
  let stoppedUntil: string | undefined
  for (const line of runnerLines(run.stdout)) {
    if (stoppedUntil !== undefined) {
      if (line.trim() === `::${stoppedUntil}::`) stoppedUntil = undefined
      expect(line).not.toContain(secret)
      continue
    }
    const command = commandOf(line)
    if (command?.name === 'stop-commands') stoppedUntil = command.data
    if (command?.name === 'add-mask' && command.data === secret) return
    expect(line).not.toContain(secret)
  }
  throw new Error('the token was never masked by a command the runner would run')
}

/** Where a hostile string goes in, and what the log must show to prove that path was taken. */
interface Case {
  inputs: Record<string, string>
  faults?: (hostile: string) => Fault[]
  githubAnswers?: (hostile: string) => CannedResponse[]
  /** Text of ours, around the server's, that the log must hold. */
  says: string
  /** The field is refused, not printed: its text must not appear at all. */
  refused?: boolean
  exitCode?: 0 | 1
}

const createToken = { operation: 'create-token', organization: 'acme', database: 'app-db' }
const rotate = { operation: 'rotate', organization: 'acme', database: 'app-db' }
const revoke = { operation: 'revoke', 'token-name': 'ci-deployer' }
const secretInputs = { 'secret-name': 'TURSO_AUTH_TOKEN', 'secret-repository': 'octo-org/app' }
const apiError = (text: string): string => JSON.stringify({ error: text })

/** The real answer of the database lookup, so a case can change one field and keep a working Hostname. */
let realDatabase: Record<string, unknown>
beforeAll(async () => {
  const response = await fetch(`${emulator.url}${LOOKUP_PATH}`, { headers: { authorization: `Bearer ${emulator.apiToken}` } })
  realDatabase = ((await response.json()) as { database: Record<string, unknown> }).database
})
const lookupAnswering = (database: Record<string, unknown>): Fault => ({
  method: 'GET',
  path: LOOKUP_PATH,
  status: 200,
  body: JSON.stringify({ database: { ...realDatabase, ...database } })
})
/** A Hrana pipeline answer whose SELECT 1 failed with this message and code. */
const hranaError = (message: string): string =>
  JSON.stringify({ baton: null, base_url: null, results: [{ type: 'error', error: { message, code: `SQLITE_ERROR${message}` } }, { type: 'ok', response: { type: 'close' } }] })

const CASES: Record<string, Case> = {
  // create-token
  'create-token: the API error body (`error` field)': {
    inputs: createToken,
    faults: (hostile) => [{ method: 'POST', path: MINT_PATH, status: 400, body: apiError(`bad request ${hostile}`) }],
    says: "::error::Could not create a token for database 'app-db' in organization 'acme'. Turso answered HTTP 400: bad request",
    exitCode: 1
  },
  'create-token: an API error page that is not JSON': {
    inputs: createToken,
    faults: (hostile) => [{ method: 'POST', path: MINT_PATH, status: 500, body: `<h1>oops</h1>${hostile}` }],
    says: 'Turso answered HTTP 500: <h1>oops</h1>',
    exitCode: 1
  },
  'create-token: the database lookup error body': {
    inputs: createToken,
    faults: (hostile) => [{ method: 'GET', path: LOOKUP_PATH, status: 500, body: apiError(`lookup broke ${hostile}`) }],
    says: '::warning::The token was minted, but database-url is empty',
    exitCode: 0
  },
  'create-token: the database Hostname (refused by the host check, never printed)': {
    inputs: createToken,
    faults: (hostile) => [lookupAnswering({ Hostname: `db.example${hostile}` })],
    says: "the answer's database.Hostname is not a host name",
    refused: true,
    exitCode: 0
  },
  'create-token: a database list entry Hostname (group + verify; refused, never printed or dialled)': {
    inputs: { ...createToken, database: '', group: 'default', verify: 'true' },
    faults: (hostile) => [{ method: 'GET', path: LIST_PATH, status: 200, body: JSON.stringify({ databases: [{ Name: 'x', Hostname: `db.example${hostile}`, group: 'default' }] }) }],
    says: 'a database.Hostname in the answer is not a host name',
    refused: true,
    exitCode: 1
  },
  'create-token: the database list error body': {
    inputs: { ...createToken, database: '', group: 'default', verify: 'true' },
    faults: (hostile) => [{ method: 'GET', path: LIST_PATH, status: 403, body: apiError(`no listing ${hostile}`) }],
    says: 'Turso answered HTTP 403: no listing',
    exitCode: 1
  },
  'create-token: the libSQL error body of a refused token': {
    inputs: { ...createToken, verify: 'true' },
    faults: (hostile) => [{ target: 'libsql', status: 401, body: JSON.stringify({ error: `Unauthorized: ${hostile}` }), times: 50 }],
    says: 'Unauthorized:',
    exitCode: 1
  },
  'create-token: a libSQL statement error (message and code)': {
    inputs: { ...createToken, verify: 'true' },
    faults: (hostile) => [{ target: 'libsql', status: 200, body: hranaError(`SQLite error ${hostile}`), times: 50 }],
    says: 'SELECT 1 failed on the database: SQLite error',
    exitCode: 1
  },
  'create-token: a GitHub error message, in the retry line and the error': {
    inputs: { ...createToken, ...secretInputs, retries: '1' },
    githubAnswers: (hostile) => [
      { status: 500, body: { message: `GitHub is down ${hostile}` }, headers: { 'retry-after': '0' } },
      { status: 500, body: { message: `GitHub is down ${hostile}` }, headers: { 'retry-after': '0' } }
    ],
    says: 'GitHub is down',
    exitCode: 1
  },

  // rotate
  "rotate: the database's group (issue 10, item 4), printed before the new token exists": {
    inputs: rotate,
    faults: (hostile) => [lookupAnswering({ group: `default${hostile}` })],
    says: "Invalidated every token of group 'default",
    exitCode: 0
  },
  'rotate: the database lookup error body, before rotating': {
    inputs: rotate,
    faults: (hostile) => [{ method: 'GET', path: LOOKUP_PATH, status: 500, body: apiError(`lookup broke ${hostile}`) }],
    says: 'lookup broke'
  },
  'rotate: the rotate error body': {
    inputs: rotate,
    faults: (hostile) => [{ method: 'POST', path: ROTATE_PATH, status: 400, body: apiError(`cannot rotate ${hostile}`) }],
    says: 'Turso answered HTTP 400: cannot rotate',
    exitCode: 1
  },
  'rotate: the mint error body after the rotation': {
    inputs: rotate,
    faults: (hostile) => [{ method: 'POST', path: MINT_PATH, status: 400, body: apiError(`cannot mint ${hostile}`) }],
    says: 'Turso answered HTTP 400: cannot mint',
    exitCode: 1
  },
  'rotate: a libSQL error when verifying the replacement': {
    inputs: { ...rotate, verify: 'true' },
    faults: (hostile) => [{ target: 'libsql', status: 200, body: hranaError(`SQLite error ${hostile}`), times: 50 }],
    says: 'SQLite error'
  },
  'rotate: a GitHub error message when storing the replacement': {
    inputs: { ...rotate, ...secretInputs },
    githubAnswers: (hostile) => [{ status: 403, body: { message: `Resource not accessible ${hostile}` } }],
    says: 'Resource not accessible',
    exitCode: 1
  },

  // revoke
  'revoke: the revoked token name (refused, the name sent is printed)': {
    inputs: revoke,
    faults: (hostile) => [{ method: 'DELETE', status: 200, body: JSON.stringify({ token: `ci-deployer${hostile}` }) }],
    says: "Revoked API token 'ci-deployer'",
    refused: true,
    exitCode: 0
  },
  'revoke: the API error body': {
    inputs: revoke,
    faults: (hostile) => [{ method: 'DELETE', status: 403, body: apiError(`not yours ${hostile}`) }],
    says: 'Turso answered HTTP 403: not yours',
    exitCode: 1
  }
}

async function runCase(testCase: Case, hostile: string, bundled = false): Promise<ActionRun> {
  const inputs: Record<string, string> = { 'api-url': emulator.url, 'api-token': emulator.apiToken, retries: '0', ...testCase.inputs }
  if (inputs['secret-name'] !== undefined) inputs['github-token'] = github.token
  for (const fault of testCase.faults?.(hostile) ?? []) emulator.addFault(fault)
  github.failNext(...(testCase.githubAnswers?.(hostile) ?? []))
  const env = { GITHUB_API_URL: github.url }
  return bundled ? runBundledAction(inputs, env) : runAction(inputs, env)
}

function expectCase(run: ActionRun, testCase: Case): void {
  expectNothingInjected(run)
  if (testCase.exitCode !== undefined) expect(run.exitCode).toBe(testCase.exitCode)
  expect(run.stdout).toContain(testCase.says)
  // What the server sent is either shown (made printable) or, for a refused field, not at all.
  if (testCase.refused === true) expect(run.stdout + run.summary).not.toContain('pwned')
  else expect(run.stdout).toContain('pwned')
  // No stack trace, and no secret but on its own mask line.
  expect(run.stdout + run.stderr).not.toMatch(/^\s+at /m)
  expectNoLeaks(run, [emulator.apiToken, github.token, run.outputs.token ?? ''])
  if (run.outputs.token !== undefined) expectMaskTakesEffect(run, run.outputs.token)
}

describe.each(Object.entries(CASES))('%s', (_label, testCase) => {
  it.each(Object.entries(INJECTIONS))('%s', async (_injection, hostile) => {
    expectCase(await runCase(testCase, hostile), testCase)
  })
})

describe('through dist/index.js, as the runner runs it: every injection at once', () => {
  it.each([
    'create-token: the API error body (`error` field)',
    'create-token: a libSQL statement error (message and code)',
    "rotate: the database's group (issue 10, item 4), printed before the new token exists",
    'rotate: a GitHub error message when storing the replacement',
    'revoke: the revoked token name (refused, the name sent is printed)',
    'revoke: the API error body'
  ])('%s', async (label) => {
    const testCase = CASES[label] as Case
    expectCase(await runCase(testCase, ALL_AT_ONCE, true), testCase)
  })
})

describe('issue 10, item 4, exactly as reported', () => {
  it("a group of 'default\\n::stop-commands::pwn': the rotation's line keeps it inline, and the new token's mask still runs", async () => {
    emulator.addFault(lookupAnswering({ group: 'default\n::stop-commands::pwn' }))
    const run = await runAction({ ...rotate, 'api-url': emulator.url, 'api-token': emulator.apiToken, retries: '0' })
    expect(run.exitCode).toBe(0)
    expect(run.stdout).toContain("Invalidated every token of group 'default : :stop-commands: :pwn' (database 'app-db' belongs to it")
    expect(runnerLines(run.stdout).map(commandOf).filter((command) => command?.name === 'stop-commands')).toEqual([])
    expectMaskTakesEffect(run, run.outputs.token as string)
    expect(run.summary).toContain("every token of group 'default : :stop-commands: :pwn'")
  })
})
