/** The emulator's go-str2duration v2 parser (Go's time.ParseDuration plus `d` and `w`). */
import { describe, expect, it } from '@jest/globals'
import { parseGoDuration } from '../emulator/duration.js'

const S = 1_000_000_000n
const H = 3600n * S

describe('parseGoDuration accepts what go-str2duration v2 accepts', () => {
  it.each<[string, bigint]>([
    ['0', 0n],
    ['+0', 0n],
    ['-0', 0n],
    ['1d', 24n * H],
    ['2w', 336n * H],
    ['2w1d30m', 360n * H + 30n * 60n * S],
    ['1w2d6h3ns', 222n * H + 3n],
    ['7d3h2m1s', 171n * H + 121n * S],
    ['1.5h', 5400n * S],
    ['.5s', 500_000_000n],
    ['5.s', 5n * S],
    ['1us', 1000n],
    ['1\u00b5s', 1000n],
    ['1\u03bcs', 1000n],
    ['1ms', 1_000_000n],
    ['1h1h', 2n * H],
    ['30m12h', 12n * H + 30n * 60n * S],
    ['-1m', -60n * S],
    ['1.0000000001s', S],
    ['9223372036854775807ns', 9223372036854775807n],
    ['-9223372036854775808ns', -9223372036854775808n],
    ['2562047h', 2562047n * H],
    ['106751d', 106751n * 24n * H]
  ])('%p is %p ns', (input, expected) => {
    expect(parseGoDuration(input)).toEqual({ ok: true, nanoseconds: expected })
  })
})

describe('parseGoDuration rejects what go-str2duration v2 rejects', () => {
  it.each([
    '',
    '-',
    '+',
    '1',
    '1.5',
    '1x',
    'd',
    '1D',
    '1H',
    '.s',
    '.',
    ' 1d',
    '1d ',
    '1h-1m',
    'never',
    '1y',
    '9223372036854775808ns',
    '106752d',
    '2562048h'
  ])('%p', (input) => {
    expect(parseGoDuration(input).ok).toBe(false)
  })

  it('names the problem like Go does', () => {
    expect(parseGoDuration('1')).toEqual({ ok: false, error: 'time: missing unit in duration "1"' })
    expect(parseGoDuration('1y')).toEqual({ ok: false, error: 'time: unknown unit "y" in duration "1y"' })
    expect(parseGoDuration('x')).toEqual({ ok: false, error: 'time: invalid duration "x"' })
  })
})
