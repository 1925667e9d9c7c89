/**
 * The entry's last line of defence: a server string that reached an operation's log functions
 * raw (a source someone forgot) still ends up on the line it was printed in, unable to start a
 * workflow command, in stdout, in the annotations and in the summary; the action's own
 * commands (mask, output) still work. The revoke operation is replaced by one that prints raw text.
 */
import { expect, it, jest } from '@jest/globals'
import type { OperationContext } from '../src/operations/context.js'
import { commandLines, OWN_COMMANDS } from './support/workflow-commands.js'

const RAW = 'from a server\n::stop-commands::pwned\r::add-mask::pwned\u2028::set-env name=X::pwned'

jest.unstable_mockModule('../src/operations/revoke.js', () => ({
  revoke: async (context: OperationContext): Promise<void> => {
    context.info(`info ${RAW}`)
    context.warning(`warning ${RAW}`)
    context.notice(`notice ${RAW}`)
    context.report.facts.push(['Fact', `fact ${RAW}`])
    context.setOutput('token-name', 'ci-deployer')
    throw new Error(`failure ${RAW}`)
  }
}))
const { runAction } = await import('./support/run-action.js')

it('keeps raw server text in the line it was printed in, and the action’s own commands working', async () => {
  const run = await runAction({ operation: 'revoke', 'api-url': 'http://127.0.0.1:1', 'api-token': 'api-token-for-the-entry-test', 'token-name': 'ci-deployer' })
  expect(run.exitCode).toBe(1)
  const commands = commandLines(run.stdout)
  expect(commands.filter(({ name }) => !OWN_COMMANDS.has(name))).toEqual([])
  expect(commands.map(({ line }) => line)).toEqual([
    '::add-mask::api-token-for-the-entry-test',
    '::warning::warning from a server : :stop-commands: :pwned : :add-mask: :pwned : :set-env name=X: :pwned',
    '::notice::notice from a server : :stop-commands: :pwned : :add-mask: :pwned : :set-env name=X: :pwned',
    '::error::failure from a server : :stop-commands: :pwned : :add-mask: :pwned : :set-env name=X: :pwned'
  ])
  expect(run.stdout).toContain('\ninfo from a server : :stop-commands: :pwned : :add-mask: :pwned : :set-env name=X: :pwned\n')
  expect(run.outputs).toEqual({ 'token-name': 'ci-deployer' })
  expect(run.summary).toContain('| Fact | fact from a server : :stop-commands: :pwned')
  expect(run.summary).toContain('**Error:** failure from a server : :stop-commands: :pwned')
  expect(run.summary).not.toMatch(/[\r\u2028]/u)
})
