import { describe, it, expect } from '@jest/globals'
import { ECHO_LIMIT, InputError, echoValue, hasControlCharacter, invalidInput } from '../src/parsers/input-error.js'

describe('InputError', () => {
  it('is an Error that carries the input name', () => {
    const error = new InputError('expiration', 'bad')
    expect(error).toBeInstanceOf(Error)
    expect(error.name).toBe('InputError')
    expect(error.input).toBe('expiration')
    expect(error.message).toBe('bad')
  })

  it('invalidInput builds the standard message', () => {
    expect(invalidInput('retries', 'a whole number', 'x').message).toBe("Input 'retries' must be a whole number; got 'x'")
    expect(invalidInput('retries', 'a whole number', 'x', 'why').message).toBe("Input 'retries' must be a whole number; got 'x' (why)")
  })
})

describe('echoValue', () => {
  it.each<[string, string]>([
    ['plain', 'plain'],
    ['', ''],
    ['a\nb', 'a\\nb'],
    ['a\r\nb', 'a\\r\\nb'],
    ['a\tb', 'a\\tb'],
    ['\u0000', '\\x00'],
    ['\u001b[31m', '\\x1b[31m'],
    ['\u007f', '\\x7f'],
    ['\u0085', '\\x85'],
    ['\u2028\u2029', '\\u2028\\u2029'],
    ['\u202eevil', '\\u202eevil'],
    ['\u2066x\u2069', '\\u2066x\\u2069'],
    ['\ufeffbom', '\\ufeffbom'],
    ['né 名前 🔑', 'né 名前 🔑'],
    ['%0A::error::x', '%0A: :error: :x'], // no newline; and the markers of a command are broken all the same
    ['[::1]:8080', '[::1]:8080'] // one `::` cannot make a command, so an IPv6 address reads as itself
  ])('%j -> %j', (value, echoed) => {
    expect(echoValue(value)).toBe(echoed)
  })

  it('truncates to the limit without splitting a surrogate pair', () => {
    expect(echoValue('x'.repeat(ECHO_LIMIT))).toBe('x'.repeat(ECHO_LIMIT))
    expect(echoValue('x'.repeat(ECHO_LIMIT + 1))).toBe(`${'x'.repeat(ECHO_LIMIT)}…`)
    expect(echoValue('🔑'.repeat(ECHO_LIMIT + 5))).toBe(`${'🔑'.repeat(ECHO_LIMIT)}…`)
  })

  it('escapes after truncating, so an escape is never cut in half', () => {
    expect(echoValue(`${'x'.repeat(ECHO_LIMIT - 1)}\n${'y'.repeat(10)}`)).toBe(`${'x'.repeat(ECHO_LIMIT - 1)}\\n…`)
  })

  it.each([
    'eyJhbGciOiJFZERTQSJ9.eyJleHAiOjF9.c2lnbmF0dXJl',
    'token=eyJhbGciOiJFZERTQSJ9.eyJleHAiOjF9.c2lnbmF0dXJl',
    'ghp_abcdefghijklmnopqrstuvwxyz0123456789',
    'github_pat_11ABCDEFG0123456789_abcdefghijklmnop'
  ])('never echoes a credential-looking value: %#', (value) => {
    const echoed = echoValue(value)
    expect(echoed).toContain('<redacted>')
    expect(echoed).not.toContain('c2lnbmF0dXJl')
    expect(echoed).not.toContain('abcdefghijklmnop')
  })
})

describe('hasControlCharacter', () => {
  it.each<[string, boolean]>([
    ['plain text', false],
    ['名前 🔑', false],
    ['a\tb', true],
    ['a\nb', true],
    ['\u0085', true],
    ['\u2028', true],
    ['\u202e', true],
    ['\u200f', true]
  ])('%j -> %j', (value, found) => {
    expect(hasControlCharacter(value)).toBe(found)
  })
})
