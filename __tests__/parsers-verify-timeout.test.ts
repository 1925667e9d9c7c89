import { describe, expect, it } from '@jest/globals'
import { parseVerifyTimeoutSeconds } from '../src/parsers/scalars.js'
import { rejection } from './support/rejection.js'

describe('parseVerifyTimeoutSeconds', () => {
  it.each<[string, number]>([
    ['60', 60],
    ['0', 0],
    ['7.5', 7.5],
    ['.5', 0.5],
    [' 8 ', 8],
    ['3600', 3600]
  ])('%j -> %j', (value, seconds) => {
    expect(parseVerifyTimeoutSeconds(value)).toBe(seconds)
  })

  it.each<[string, RegExp]>([
    ['', /got ''$/],
    ['-1', /got '-1'$/],
    ['60s', /got '60s'$/],
    ['1e3', /got '1e3'$/],
    ['NaN', /got 'NaN'$/],
    ['3600.5', /too long/],
    ['86400', /too long/]
  ])('rejects %j naming the input and the accepted forms', (value, detail) => {
    const error = rejection(() => parseVerifyTimeoutSeconds(value))
    expect(error.input).toBe('verify-timeout')
    expect(error.message).toMatch(/^Input 'verify-timeout' must be a number of seconds from 0 to 3600, such as 60 or 7\.5 \(0 tries once\); got '/)
    expect(error.message).toMatch(detail)
  })
})
