import { describe, expect, it } from '@jest/globals'
import { SERVER_TEXT_LIMIT, escapeUnsafeCharacters, hasUnsafeCharacter, printableLine, serverText } from '../src/runner/server-text.js'
import { commandLines, commandOf } from './support/workflow-commands.js'

/** What servers have been seen (or could be made) to send, to break out of the line they are printed in. */
const HOSTILE = [
  '\n::stop-commands::pwn',
  'default\n::stop-commands::pwn',
  '\r\n::set-env name=X::y',
  'x\r::add-mask::y',
  '%0A::warning::x',
  '%0D%0A::error::x',
  'a\u2028::notice::x',
  'a\u2029::notice::x',
  'a\u0085::notice::x',
  '::stop-commands::pwn',
  '  ::stop-commands::pwn',
  '\u00a0\u3000::stop-commands::pwn',
  '\ufeff::stop-commands::pwn',
  ':::stop-commands::pwn',
  '::::',
  'prefix ::set-output name=token::pwn',
  '##[set-env name=X;]y',
  '#####[add-mask]y',
  '\u202egnp.exe\u202c',
  '\u2066isolated\u2069 \u200f\u061c',
  '\u001b[31mred\u001b[0m\u0007'
]

describe('serverText: whatever a server sends, no line it is printed in can become a workflow command', () => {
  // Printed at the start of a line, after text of ours, or alone: the runner must see no command in any of them.
  it.each(HOSTILE)('%j', (hostile) => {
    const shown = serverText(hostile)
    for (const line of [shown, `  ${shown}`, `Invalidated every token of group '${shown}'`, `${shown} ${shown}`]) {
      expect(commandLines(line)).toEqual([])
    }
    expect(hasUnsafeCharacter(shown)).toBe(false)
    // No injected command survives even as text inside a line.
    expect(shown).not.toMatch(/::[a-z-]+( [^:]*)?::|##\[/)
  })

  it('turns each run of line breaks and controls into one space and trims the ends', () => {
    expect(serverText('bad request\r\n\r\n  details\u2028more\u0007')).toBe('bad request   details more')
    expect(serverText('\n\t x \u202e')).toBe('x')
    expect(serverText('\u0000\u2028\u2029')).toBe('')
  })

  it('breaks the markers of a command so it reads, but never runs: `::` -> `: :`, `##[` -> `# #[`', () => {
    expect(serverText('\n::stop-commands::pwn')).toBe(': :stop-commands: :pwn')
    expect(serverText('%0A::warning::x')).toBe('%0A: :warning: :x')
    expect(serverText(':::a::')).toBe(': : :a: :')
    expect(serverText('see ##[set-env name=X;]y')).toBe('see # #[set-env name=X;]y')
  })

  it('keeps a single `::` (it cannot make a command), so IPv6 addresses and Rust paths in one piece read as themselves', () => {
    expect(serverText('connect ECONNREFUSED [::1]:8080')).toBe('connect ECONNREFUSED [::1]:8080')
    expect(serverText('Unauthorized: `The JWT is invalid`')).toBe('Unauthorized: `The JWT is invalid`')
  })

  it('leaves printable text alone: accents, CJK, emoji, quotes, percent signs', () => {
    for (const text of ["database 'app-db' not found", 'né 名前 🔑', '100% done', 'a%0Ab', '<html>']) expect(serverText(text)).toBe(text)
  })

  it(`cuts at ${SERVER_TEXT_LIMIT} characters by default, or at maxLength, never inside a surrogate pair`, () => {
    expect(serverText('x'.repeat(SERVER_TEXT_LIMIT))).toBe('x'.repeat(SERVER_TEXT_LIMIT))
    expect(serverText('x'.repeat(SERVER_TEXT_LIMIT + 1))).toBe(`${'x'.repeat(SERVER_TEXT_LIMIT)}…`)
    expect(serverText('🔑'.repeat(20), 10)).toBe(`${'🔑'.repeat(10)}…`)
    expect(serverText('a\n'.repeat(1000), 7)).toBe('a a a a…')
  })

  it('breaks the markers even when the cut falls between them', () => {
    const shown = serverText(`${'x'.repeat(9)}::stop-commands::pwn`, 10)
    expect(shown).toBe(`${'x'.repeat(9)}:…`)
    expect(commandLines(shown)).toEqual([])
  })
})

describe('printableLine: the entry’s last line of defence for whole messages', () => {
  it('keeps a message whole (no cut) and on one line', () => {
    const long = `Minted a token ${'x'.repeat(2 * SERVER_TEXT_LIMIT)}`
    expect(printableLine(long)).toBe(long)
    expect(printableLine("group 'a\n::stop-commands::pwn'")).toBe("group 'a : :stop-commands: :pwn'")
  })

  it.each(HOSTILE)('%j cannot become a command line', (hostile) => {
    expect(commandLines(printableLine(hostile))).toEqual([])
    expect(commandLines(printableLine(`prefix ${hostile}`))).toEqual([])
  })
})

describe('escapeUnsafeCharacters: the same rule, written as visible escapes (for echoing a rejected input)', () => {
  it.each<[string, string]>([
    ['a\nb', 'a\\nb'],
    ['\r\n::set-env name=X::y', '\\r\\n: :set-env name=X: :y'],
    ['\u0007\u0085\u2028\u202e\ufeff', '\\x07\\x85\\u2028\\u202e\\ufeff'],
    ['[::1]', '[::1]']
  ])('%j -> %j', (text, escaped) => {
    expect(escapeUnsafeCharacters(text)).toBe(escaped)
  })
})

describe('hasUnsafeCharacter', () => {
  it.each<[string, boolean]>([
    ['plain text', false],
    ['名前 🔑', false],
    ['::stop-commands::x', false],
    ['a\tb', true],
    ['\u007f', true],
    ['\u009b', true],
    ['\u2029', true],
    ['\u2067', true],
    ['\u061c', true],
    ['\ufeff', true]
  ])('%j -> %j', (text, unsafe) => {
    expect(hasUnsafeCharacter(text)).toBe(unsafe)
  })
})

describe('the runner model the tests rely on (actions/runner ActionCommand.TryParseV2/TryParse)', () => {
  it.each<[string, string | undefined]>([
    ['::add-mask::x', 'add-mask'],
    ['   ::stop-commands::tok', 'stop-commands'],
    ['\u00a0::warning file=a::x', 'warning'],
    ['::1', undefined],
    ['x ::warning::y', undefined],
    ['x ##[set-env name=A;]b', 'set-env'],
    ['plain', undefined]
  ])('%j -> %j', (line, name) => {
    expect(commandOf(line)?.name).toBe(name)
  })

  it('splits stdout where a runner or log viewer breaks lines', () => {
    expect(commandLines('a\r::x::1\n::y::2\u2028::z::3\r\n::w::4').map(({ name }) => name)).toEqual(['x', 'y', 'z', 'w'])
  })
})
