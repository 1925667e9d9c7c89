/**
 * The reason in parentheses is what a user reads to fix expiration or permissions: each case pins
 * the whole reason, so a hint that appears where it does not apply, or a cut-off echo, fails here.
 */
import { describe, it, expect } from '@jest/globals'
import { compactDuration, parseExpiration, parseGoDuration } from '../src/parsers/duration.js'
import { parsePermissions } from '../src/parsers/permissions.js'
import { rejection } from './support/rejection.js'

const UNITS = 'units: ns, us, µs, ms, s, m, h, d, w'

function reason(run: () => unknown): string {
  const message = rejection(run).message
  const match = /\((.*)\)$/su.exec(message)
  if (match === null) throw new Error(`no reason in parentheses: ${message}`)
  return match[1]
}

describe('expiration: the reason names the mistake and only the hints that apply', () => {
  it.each([
    ['an unknown unit gets no year hint', '5x', `unknown unit 'x'; ${UNITS}`],
    ['a year unit is pointed to weeks or days', '5y', `unknown unit 'y'; ${UNITS}; there is no year unit, use 52w or 365d`],
    ['a capitalised unit is pointed to its lowercase', '5H', `unknown unit 'H'; ${UNITS}; units are case-sensitive, write 'h'`],
    ['text without a number echoes only its first 8 characters', 'abcdefghijklmnop', "expected a number before 'abcdefgh'"],
    ['a decimal without a unit asks for one', '1.25', `a number needs a unit, e.g. 1.25h or 1.25d; ${UNITS}`],
    ['a decimal with a trailing dot asks for a unit', '3.', `a number needs a unit, e.g. 3.h or 3.d; ${UNITS}`],
    ['a leading-dot decimal asks for a unit', '.25', `a number needs a unit, e.g. .25h or .25d; ${UNITS}`]
  ])('%s (%s)', (_case, value, expected) => {
    expect(reason(() => parseExpiration(value))).toBe(expected)
  })

  it('the Go port says why an empty duration is refused', () => {
    expect(() => parseGoDuration('')).toThrow(/^empty duration$/u)
  })

  it('a fraction longer than int64 stops gaining precision where Go does, without failing', () => {
    // 922337203685477580 is the last prefix that can take another digit; the 9 after it overflows.
    expect(parseGoDuration('.92233720368547758099999h')).toBe(parseGoDuration('.92233720368547758h'))
    // 18 nines kept, then float64 as in Go: 0.999999999999999999 rounds to 1.
    expect(parseGoDuration(`1.${'9'.repeat(400)}s`)).toBe(2_000_000_000n)
  })
})

describe('expiration written in words or with spaces: the reason gives the compact form to paste', () => {
  it.each([
    ['2 weeks', "no spaces inside: write '2w'"],
    ['2weeks', "write '2w'"],
    ['2 Weeks', "no spaces inside: write '2w'"],
    ['1 hour 30 minutes', "no spaces inside: write '1h30m'"],
    ['90mins', "write '90m'"],
    ['1.5 days', "no spaces inside: write '1.5d'"],
    ['10 secs', "no spaces inside: write '10s'"],
    ['250 milliseconds 1 second', "no spaces inside: write '250ms1s'"],
    ['3 hrs', "no spaces inside: write '3h'"],
    ['1 wk', "no spaces inside: write '1w'"],
    ['1h 30m', "no spaces inside: write '1h30m'"],
    ['2 fortnights', 'no spaces inside: write the parts together, e.g. 1h30m'],
    ['2weeks3x', `unknown unit 'weeks'; ${UNITS}; write 'w' for weeks`]
  ])('%s -> %s', (value, expected) => {
    expect(reason(() => parseExpiration(value))).toBe(expected)
  })

  it.each([
    ['2 weeks', '2w'],
    ['1.25 days', '1.25d'],
    ['1. hours', '1.h'],
    ['.5hr', '.5h'],
    ['.25 hours', '.25h'],
    ['1h30mins', '1h30m'],
    ['1h30m', undefined],
    ['', undefined],
    ['2 fortnights', undefined],
    ['weeks', undefined]
  ])('compactDuration(%j) is %j', (text, compact) => {
    expect(compactDuration(text)).toBe(compact)
  })

  it('a valid compact duration is not second-guessed', () => {
    expect(parseExpiration('2w')).toEqual({ kind: 'duration', text: '2w' })
    expect(parseExpiration('1h30m')).toEqual({ kind: 'duration', text: '1h30m' })
  })
})

describe('permissions: an unknown action lists the valid ones and nothing more', () => {
  it('a plain unknown action ends with the list', () => {
    expect(reason(() => parsePermissions('all:read'))).toBe(
      "line 1: unknown action 'read'; valid actions: data_read, data_add, data_update, data_delete, schema_add, schema_update, schema_delete"
    )
  })
})
