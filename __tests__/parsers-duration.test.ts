import { describe, it, expect } from '@jest/globals'
import { parseExpiration, parseGoDuration } from '../src/parsers/duration.js'
import { InputError } from '../src/parsers/input-error.js'
import { rejection } from './support/rejection.js'

const NS = 1n
const US = 1_000n
const MS = 1_000_000n
const S = 1_000_000_000n
const M = 60n * S
const H = 60n * M
const D = 24n * H
const W = 7n * D
const MAX_INT64 = (1n << 63n) - 1n

const rejectionOf = (value: string): InputError => rejection(() => parseExpiration(value))

describe('parseGoDuration mirrors go-str2duration v2 ParseDuration', () => {
  // Cases from go-str2duration v2.1.0 str2duration_test.go and Go's time.ParseDuration tests.
  it.each<[string, bigint]>([
    ['0', 0n],
    ['1h', H],
    ['1m', M],
    ['1s', S],
    ['1ms', MS],
    ['1µs', US], // U+00B5
    ['1μs', US], // U+03BC
    ['1us', US],
    ['1ns', NS],
    ['4.000000001s', 4n * S + NS],
    ['1h0m4.000000001s', H + 4n * S + NS],
    ['1h1m0.01s', 61n * M + 10n * MS],
    ['1h1m0.123456789s', 61n * M + 123_456_789n],
    ['1.00002ms', MS + 20n],
    ['1.00000002s', S + 20n],
    ['693ns', 693n],
    ['10s1us693ns', 10n * S + US + 693n],
    ['1ms1ns', MS + NS],
    ['60h8ms', 60n * H + 8n * MS],
    ['96h63s', 96n * H + 63n * S],
    ['2d3s96ns', 2n * D + 3n * S + 96n],
    ['1w2d3s96ns', W + 2n * D + 3n * S + 96n],
    ['1w2d3s3µs96ns', W + 2n * D + 3n * S + 3n * US + 96n],
    ['0s', 0n],
    ['0h0m', 0n],
    ['1.h', H],
    ['.5h', 30n * M],
    ['1.5h', 90n * M],
    ['1s1s', 2n * S], // units may repeat
    ['1s1h', H + S], // in any order
    ['0.3333333333333333333h', 20n * M], // float64 fraction, as in Go
    ['0.830103483285477580700h', 49n * M + 48n * S + 372_539_827n],
    ['0.100000000000000000000h', 6n * M], // fraction digits past int64 are ignored
    ['9223372036854775807ns', MAX_INT64],
    ['9223372036854775.807us', MAX_INT64],
    ['9223372036.854775807s', MAX_INT64],
    ['2562047h47m16.854775807s', MAX_INT64],
    ['15250w1d23h47m16s854ms775us807ns', MAX_INT64]
  ])('%j = %p ns', (text, nanoseconds) => {
    expect(parseGoDuration(text)).toBe(nanoseconds)
  })

  it.each([
    '',
    '1',
    '00',
    '1h30',
    '.',
    '.s',
    'h',
    '1.2.3h',
    '1y',
    '1H',
    '1sec',
    '9223372036854775808ns',
    '9223372036854775.808us',
    '9223372036854ms775us808ns',
    '15250w1d23h47m16s854ms775us808ns',
    '99999999999999999999h',
    '100000000000000000000ns'
  ])('rejects %j', (text) => {
    expect(() => parseGoDuration(text)).toThrow()
  })
})

describe('parseExpiration', () => {
  it.each(['never', '  never  ', '', '   ', '\n'])('%j means no expiry', (value) => {
    expect(parseExpiration(value)).toEqual({ kind: 'never' })
  })

  it.each<[string, string, number]>([
    // The docs' examples.
    ['2w1d30m', '2w1d30m', (14 * 24 * 60 + 24 * 60 + 30) * 60_000],
    ['2w', '2w', 14 * 86_400_000],
    ['1d', '1d', 86_400_000],
    ['1w2d6h3ns', '1w2d6h3ns', (9 * 24 + 6) * 3_600_000 + 3e-6],
    ['7d3h2m1s', '7d3h2m1s', ((7 * 24 + 3) * 3600 + 2 * 60 + 1) * 1000],
    ['1.5h', '1.5h', 5_400_000],
    ['.5h', '.5h', 1_800_000],
    ['1.h', '1.h', 3_600_000],
    // The interface's examples and other forms.
    ['30m', '30m', 1_800_000],
    ['12h', '12h', 43_200_000],
    ['7d', '7d', 604_800_000],
    ['1s', '1s', 1000],
    ['1000ms', '1000ms', 1000],
    ['1000000us', '1000000us', 1000],
    ['90m30s', '90m30s', 5_430_000],
    ['30m1h', '30m1h', 5_400_000],
    ['1h1h', '1h1h', 7_200_000],
    ['0h1s', '0h1s', 1000],
    ['0.5m', '0.5m', 30_000],
    ['  12h\n', '12h', 43_200_000],
    ['52w', '52w', 52 * 604_800_000],
    ['15250w', '15250w', 15250 * 604_800_000]
  ])('%j is a duration forwarded as %j', (value, text, milliseconds) => {
    expect(parseExpiration(value)).toEqual({ kind: 'duration', text })
    // The value is forwarded as typed; the parse only validates it, and reads it as Go would.
    expect(Number(parseGoDuration(text)) / 1e6).toBeCloseTo(milliseconds, 6)
  })

  it.each<[string, RegExp]>([
    ['-1h', /cannot be negative/],
    ['+1h', /'\+' sign/],
    ['-0', /cannot be negative/],
    ['30', /needs a unit, e\.g\. 30h/],
    ['1.5', /needs a unit/],
    ['.5', /needs a unit/],
    ['0', /zero lifetime/],
    ['0s', /zero lifetime/],
    ['0h0m0s', /zero lifetime/],
    ['0.0h', /zero lifetime/],
    ['999ms', /shorter than 1s/],
    ['1ns', /shorter than 1s/],
    ['0.9s', /shorter than 1s/],
    ['1y', /unknown unit 'y'.*no year unit/],
    ['1H', /unknown unit 'H'.*case-sensitive, write 'h'/],
    ['1D', /case-sensitive, write 'd'/],
    ['1MS', /case-sensitive, write 'ms'/],
    ['1sec', /\(write '1s'\)$/],
    ['1hr', /\(write '1h'\)$/],
    ['1min', /\(write '1m'\)$/],
    ['1 h', /no spaces inside/],
    ['1h 30m', /no spaces inside/],
    ['1h\t30m', /no spaces inside/],
    ['1h\n30m', /no spaces inside/],
    ['none', /'none' is a Turso CLI word.*use 'never'/],
    ['None', /'none' is a Turso CLI word/],
    ['default', /'default' is a Turso CLI word.*use 'never'/],
    ['Never', /lowercase/],
    ['NEVER', /lowercase/],
    ['forever', /expected a number/],
    ['h', /expected a number/],
    ['1h30', /missing unit/],
    ['.h', /'\.' needs digits/],
    ['1..5h', /'\.' needs digits|missing unit/],
    ['1,5h', /unknown unit ','/],
    ['1_000h', /unknown unit '_'/],
    ['１h', /expected a number/], // full-width digit
    ['P1D', /expected a number/], // ISO 8601 is not this grammar
    ['9223372036854775808ns', /292 years/],
    ['300y', /unknown unit/],
    ['15251w', /292 years/],
    ['106752d', /292 years/],
    ['2562048h', /292 years/]
  ])('rejects %j', (value, reason) => {
    const error = rejectionOf(value)
    expect(error.input).toBe('expiration')
    expect(error.message).toMatch(/^Input 'expiration' must be a duration such as 30m, 12h, 7d, 1w2d6h3ns or 1\.5h, or 'never'; got '/)
    expect(error.message).toMatch(reason)
  })

  it('echoes a hostile value without newlines or raw control characters, truncated', () => {
    const error = rejectionOf(`1h\n::error::pwned${'x'.repeat(200)}`)
    expect(error.message).not.toMatch(/\n/)
    expect(error.message).toContain("got '1h\\n: :error: :pwned")
    expect(error.message).toContain('…')
    expect(error.message.length).toBeLessThan(300)
    expect(rejectionOf('\u001b[31m1h').message).toContain('\\x1b[31m1h')
  })
})
