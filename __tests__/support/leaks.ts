import { expect } from '@jest/globals'
import type { ActionRun } from '../../scripts/lib/runner.js'
import type { InProcessRun } from './run-action.js'

/**
 * Asserts the contract's "never": each secret appears in stdout/stderr only on its own
 * `::add-mask::` line, which comes before any other line, and never in the summary; in the
 * files, only where it was asked for (outputs and env), after its mask.
 */
export function expectNoLeaks(run: ActionRun | InProcessRun, secrets: string[]): void {
  for (const secret of secrets.filter((value) => value !== '')) {
    const lines = (run.stdout + '\n' + run.stderr).split('\n')
    const leaking = lines.filter((line) => line.includes(secret) && line !== `::add-mask::${secret}`)
    expect(leaking.map((line) => line.replace(secret, '<SECRET>'))).toEqual([])
    expect(run.summary.includes(secret)).toBe(false)
    const appearsInFiles = Object.values(run.outputs).concat(Object.values(run.exported)).some((value) => value.includes(secret))
    if (appearsInFiles) {
      expect(lines).toContain(`::add-mask::${secret}`)
      if ('maskedBeforeFiles' in run) expect(run.maskedBeforeFiles.get(secret)).toBe(true)
    }
  }
}
