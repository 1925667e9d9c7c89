/**
 * Issue 18, item 17: `https://[::1]:443` printed as `https://[: :1]:443` once a message held a
 * second `::` (a second address, a socket's `:::0`). A `::` that is not at the start of the text
 * and is not followed by a command's shape cannot begin a workflow command on a line it does not
 * start, so it is kept; the shape of a command anywhere still breaks every marker (the injection
 * tests in server-text.test.ts and server-text-injection.test.ts hold).
 */
import { describe, expect, it } from '@jest/globals'
import { printableLine, serverText } from '../src/runner/server-text.js'
import { useEmulator } from './support/emulator.js'
import { runAction } from './support/run-action.js'
import { commandLines, errorLines, OWN_COMMANDS } from './support/workflow-commands.js'

describe('addresses keep their `::`', () => {
  it.each([
    'POST https://[::1]:443/v1/organizations failed: connect ECONNREFUSED ::1:443',
    'connect EADDRNOTAVAIL ::1:443 - Local (:::0)',
    'listener [::1]:8080 refused client [::ffff:10.0.0.1]:5100',
    'fe80::ab then fe80::cd and fe80::1%eth0',
    'from 2001:db8::8a2e:370:7334 via [::1]',
    'client [::ffff:10.0.0.1]:5100 via [::1]:8080'
  ])('%j', (text) => {
    expect(serverText(text)).toBe(text)
    expect(printableLine(text)).toBe(text)
  })
})

describe('a command shape anywhere still breaks every marker, addresses included', () => {
  it.each([
    ['[::1]:443 ::stop-commands::pwn', '[: :1]:443 : :stop-commands: :pwn'],
    ['[::1] ::set-env name=X::y', '[: :1] : :set-env name=X: :y'],
    ['[::1] ::warning file=a,line=1::x', '[: :1] : :warning file=a,line=1: :x'],
    ['x ::add-mask::', 'x : :add-mask: :'],
    ['x ::_a::', 'x : :_a: :'],
    // A name that starts with hex digits is still a name: only one to four of them and a blank is an address's group.
    ['[::1] ::debug file=x::y', '[: :1] : :debug file=x: :y'],
    ['x ::warning title=two words::y', 'x : :warning title=two words: :y'],
    ['::1', ': :1']
  ])('%j', (text, shown) => {
    expect(serverText(text)).toBe(shown)
    expect(printableLine(text)).toBe(shown)
  })
})

describe('through the action: a Turso error that names IPv6 addresses', () => {
  const emulator = useEmulator()

  it('reaches ::error:: with the addresses as Turso wrote them, and no command but the action’s own', async () => {
    emulator.addFault({ method: 'POST', status: 400, body: JSON.stringify({ error: 'origin https://[::1]:443 is not allowed for client ::1' }) })
    const run = await runAction({ operation: 'create-token', 'api-url': emulator.url, 'api-token': emulator.apiToken, organization: 'acme', database: 'app-db' })
    expect(run.exitCode).toBe(1)
    expect(errorLines(run.stdout)).toEqual([
      expect.stringContaining('Turso answered HTTP 400: origin https://[::1]:443 is not allowed for client ::1. ')
    ])
    expect(commandLines(run.stdout).filter(({ name }) => !OWN_COMMANDS.has(name))).toEqual([])
  })
})
