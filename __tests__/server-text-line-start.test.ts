/**
 * A single `::` cannot make a workflow command by itself, so the sanitiser keeps it (IPv6
 * addresses, Rust paths); but at the start of a line it is half of one: whatever the action
 * prints after the server's text on that line (an address such as `[::1]`, a second server
 * string) could supply the second `::`. So a line-leading `::`, after any amount of
 * whitespace, is always broken.
 */
import { describe, expect, it } from '@jest/globals'
import { printableLine, serverText } from '../src/runner/server-text.js'
import { commandLines } from './support/workflow-commands.js'

const OUR_TEXT_AFTER = ' (while connecting to [::1]:8080)'

describe('a server text that starts with a single `::`', () => {
  it.each(['::warning', ' ::warning', '   ::warning', '\t::warning', '\u00a0::warning'])('%j is broken by serverText', (hostile) => {
    const shown = serverText(hostile)
    expect(shown).toBe(': :warning')
    expect(commandLines(`${shown}${OUR_TEXT_AFTER}`)).toEqual([])
  })

  it.each(['::warning', ' ::warning', '   ::warning', '\u3000::warning'])('%j is broken by printableLine, whatever whitespace leads', (hostile) => {
    const line = printableLine(hostile)
    expect(line).toBe(hostile.replace('::', ': :'))
    expect(commandLines(`${line}${OUR_TEXT_AFTER}`)).toEqual([])
  })

  it('the same `::` later in the text is kept, as it cannot start a command', () => {
    expect(serverText('see ::warning')).toBe('see ::warning')
    expect(printableLine('see ::warning')).toBe('see ::warning')
  })
})
