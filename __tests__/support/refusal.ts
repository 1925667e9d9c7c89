import { expect } from '@jest/globals'
import type { Emulator } from '../../emulator/server.js'
import type { FakeGitHub } from './fake-github.js'
import { expectNoLeaks } from './leaks.js'
import type { InProcessRun } from './run-action.js'
import { errorLines } from './workflow-commands.js'

/**
 * Refused before any request: exit 1, one `::error::` naming `'input'` and holding `says`, nothing
 * sent to the emulator or the fake GitHub, no outputs, and neither side's token leaked.
 */
export function expectRefusedBeforeRequests(run: InProcessRun, input: string, says: string, { emulator, github }: { emulator: Emulator; github: FakeGitHub }): void {
  expect(run.exitCode).toBe(1)
  const errors = errorLines(run.stdout)
  expect(errors).toHaveLength(1)
  expect(errors[0]).toContain(`'${input}'`)
  expect(errors[0]).toContain(says)
  expect(emulator.requests).toEqual([])
  expect(github.requests).toEqual([])
  expect(run.outputs).toEqual({})
  expectNoLeaks(run, [emulator.apiToken, github.token])
}
