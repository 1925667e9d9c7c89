/**
 * A cancelled job (the runner sends SIGINT, then SIGTERM) mid-run: the step says what it has done
 * so far, writes the summary, and exits non-zero. In process (process.exit replaced, the signal
 * emitted to the run's listeners) so a mutant of src/ meets it; dist-cancellation.test.ts kills
 * the bundle for real.
 */
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { describeProgress, watchForCancellation } from '../src/runner/cancellation.js'
import { newReport, type Report } from '../src/runner/report.js'
import { useEmulator } from './support/emulator.js'
import { useFakeGitHub } from './support/fake-github.js'
import { expectNoLeaks } from './support/leaks.js'
import { runAction } from './support/run-action.js'
import { errorLines } from './support/workflow-commands.js'

const emulator = useEmulator()
const github = useFakeGitHub()

const DB_ROTATE = '/v1/organizations/acme/databases/app-db/auth/rotate'

function rotateInputs(extra: Record<string, string> = {}): Record<string, string> {
  return { operation: 'rotate', 'api-url': emulator.url, 'api-token': emulator.apiToken, organization: 'acme', database: 'app-db', retries: '0', ...extra }
}

let exits: number[]
beforeEach(() => {
  exits = []
  jest.spyOn(process, 'exit').mockImplementation(((code?: number) => {
    exits.push(code ?? 0)
  }) as typeof process.exit)
})
afterEach(() => {
  jest.restoreAllMocks()
})

async function waitFor(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition(); waited += 10) {
    if (waited > 5000) throw new Error('timed out waiting for the run to get there')
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

const sent = (path: string): boolean => emulator.requests.some((request) => request.method === 'POST' && request.path === path)
/** The summary the cancellation wrote: the first table (in process the run goes on after it and appends another). */
const firstSummary = (summary: string): string => summary.split('### Turso auth token').filter((part) => part !== '')[0] ?? ''

describe('SIGTERM while the rotate request waits for its answer', () => {
  it('prints what was sent, writes the summary with it, and exits 143', async () => {
    emulator.addFault({ method: 'POST', path: DB_ROTATE, delayMs: 400 })
    const running = runAction(rotateInputs())
    await waitFor(() => sent(DB_ROTATE))
    process.emit('SIGTERM')
    const run = await running
    await waitFor(() => exits.length > 0)
    expect(exits).toEqual([143])
    expect(run.stdout).toMatch(/^Invalidating every token of group 'default' .* now$/m)
    const [error] = errorLines(run.stdout)
    expect(error).toMatch(
      /^::error::The step was cancelled \(SIGTERM\) before it finished\. The rotate request was sent at \d{4}-\d\d-\d\dT[\d:.]+Z, no answer yet, so the old tokens may already be invalid\. No replacement was minted\. To deliver a working token, re-run this step with operation: create-token and the same inputs \(do not rotate again\)\.$/
    )
    const summary = firstSummary(run.summary)
    expect(summary).toContain('| Result | ❌ failed |')
    expect(summary).toContain('**Error:** The step was cancelled (SIGTERM) before it finished. The rotate request was sent at ')
    expect(summary).toMatch(/\| Rotate request \| sent at .*, no answer yet \|/)
    expectNoLeaks(run, [emulator.apiToken])
  })
})

describe('SIGINT before anything was sent', () => {
  it('says nothing was rotated, and exits 130', async () => {
    emulator.addFault({ method: 'GET', path: '/v1/organizations/acme/databases/app-db', delayMs: 300 })
    const running = runAction(rotateInputs())
    await waitFor(() => emulator.requests.length > 0)
    process.emit('SIGINT')
    // The runner follows with SIGTERM: reported once.
    process.emit('SIGTERM')
    const run = await running
    expect(exits).toEqual([130])
    const cancelled = errorLines(run.stdout).filter((line) => line.includes('cancelled'))
    expect(cancelled).toEqual([
      '::error::The step was cancelled (SIGINT) before it finished. Nothing was rotated: the rotate request was not sent, and the old tokens still work. No token was minted.'
    ])
  })
})

describe('SIGTERM while the replacement is being stored', () => {
  it('says the tokens are invalid, the replacement was minted but not stored, and what to do', async () => {
    let release: () => void = () => undefined
    github.beforeAnswer = (request) => (request.method === 'PUT' ? new Promise<void>((resolve) => (release = resolve)) : undefined)
    const running = runAction(rotateInputs({ 'secret-name': 'TURSO_AUTH_TOKEN', 'github-token': github.token, 'secret-repository': 'octo-org/app' }), {
      GITHUB_API_URL: github.url
    })
    await waitFor(() => github.requests.some((request) => request.method === 'PUT'))
    process.emit('SIGTERM')
    await waitFor(() => exits.length > 0)
    release()
    const run = await running
    expect(exits).toEqual([143])
    const [error] = errorLines(run.stdout)
    expect(error).toMatch(/^::error::The step was cancelled \(SIGTERM\) before it finished\. The old tokens are invalid: the rotation of every token of group 'default' .* at \d{4}-.*Z succeeded\. /)
    expect(error).toMatch(
      /A replacement was minted \(full-access, never expires\) and set as the token output; it was not stored as a secret\. To deliver a working token, re-run this step with operation: create-token and the same inputs \(do not rotate again\)\.$/
    )
    expectNoLeaks(run, [emulator.apiToken, run.outputs.token, github.token])
  })
})

describe('describeProgress', () => {
  const report = (operation: string, facts: Array<[string, string]>): Report => ({ ...newReport(operation), facts })

  it.each<[string, string, Array<[string, string]>, string]>([
    ['create-token, nothing yet', 'create-token', [], 'The step was cancelled (SIGTERM) before it finished. No token was minted.'],
    ['revoke', 'revoke', [], 'The step was cancelled (SIGTERM) before it finished. The job summary lists what it did so far.'],
    [
      'create-token, minted and exported',
      'create-token',
      [
        ['Token', 'read-only, expires 2026-12-05T00:00:00.000Z'],
        ['Exported', '`TURSO_AUTH_TOKEN`']
      ],
      'The step was cancelled (SIGTERM) before it finished. A token was minted (read-only, expires 2026-12-05T00:00:00.000Z) and set as the token output and exported (`TURSO_AUTH_TOKEN`); it was not stored as a secret.'
    ],
    [
      'rotate, everything delivered',
      'rotate',
      [
        ['Invalidated', "every token of group 'g' at T"],
        ['Token', 'full-access, never expires'],
        ['Stored as secret', '`S` in repository o/r']
      ],
      "The step was cancelled (SIGTERM) before it finished. The old tokens are invalid: the rotation of every token of group 'g' at T succeeded. A replacement was minted (full-access, never expires) and set as the token output and stored as a secret (`S` in repository o/r)."
    ],
    [
      'rotate, delivered everywhere',
      'rotate',
      [
        ['Invalidated', "every token of group 'g' at T"],
        ['Token', 'full-access, never expires'],
        ['Stored as secret', '`S` in repository o/r'],
        ['Exported', '`TURSO_AUTH_TOKEN`']
      ],
      "The step was cancelled (SIGTERM) before it finished. The old tokens are invalid: the rotation of every token of group 'g' at T succeeded. A replacement was minted (full-access, never expires) and set as the token output, stored as a secret (`S` in repository o/r) and exported (`TURSO_AUTH_TOKEN`)."
    ],
    [
      'rotate, secret-targets written in part',
      'rotate',
      [
        ['Invalidated', "every token of group 'g' at T"],
        ['Token', 'full-access, never expires'],
        ['Stored as secret', '`S` in repository o/r'],
        ['Stored as secret', '`S` in Dependabot secrets of repository o/r'],
        ['Not stored as secret', '`S` in repository o/s: HTTP 403']
      ],
      "The step was cancelled (SIGTERM) before it finished. The old tokens are invalid: the rotation of every token of group 'g' at T succeeded. A replacement was minted (full-access, never expires) and set as the token output and stored as a secret (`S` in repository o/r; `S` in Dependabot secrets of repository o/r). Not stored: `S` in repository o/s: HTTP 403."
    ],
    [
      'rotate, refused',
      'rotate',
      [['Rotate request', 'refused: nothing was rotated']],
      'The step was cancelled (SIGTERM) before it finished. The rotate request was refused: nothing was rotated; the old tokens still work. No token was minted.'
    ]
  ])('%s', (_label, operation, facts, expected) => {
    expect(describeProgress(report(operation, facts), 'SIGTERM')).toBe(expected)
  })
})

describe('watchForCancellation', () => {
  const hooks = (writeSummary: () => Promise<void>, exited: number[]): Parameters<typeof watchForCancellation>[0] => ({
    report: newReport('create-token'),
    writeSummary,
    printable: (message) => message,
    exit: (code) => exited.push(code)
  })

  it('exits even when the summary write hangs, after a short wait', async () => {
    const exited: number[] = []
    const watcher = watchForCancellation(hooks(() => new Promise<void>(() => undefined), exited))
    try {
      process.emit('SIGTERM')
      await waitFor(() => exited.length > 0)
      expect(exited).toEqual([143])
    } finally {
      watcher.dispose()
    }
  })

  it('stops listening once disposed: a finished run leaves no handler behind', async () => {
    const before = process.listenerCount('SIGTERM') + process.listenerCount('SIGINT')
    const exited: number[] = []
    const watcher = watchForCancellation(hooks(async () => undefined, exited))
    expect(process.listenerCount('SIGTERM') + process.listenerCount('SIGINT')).toBe(before + 2)
    watcher.dispose()
    expect(process.listenerCount('SIGTERM') + process.listenerCount('SIGINT')).toBe(before)
    await runAction(rotateInputs({ mint: 'false' }))
    expect(process.listenerCount('SIGTERM') + process.listenerCount('SIGINT')).toBe(before)
    expect(exited).toEqual([])
  })
})
