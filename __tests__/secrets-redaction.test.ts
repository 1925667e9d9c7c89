import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { forgetSecrets, redact, registerSecret, replaceSecrets } from '../src/runner/secrets.js'

/** What the runner would read on stdout (where `::add-mask::` goes) while `action` runs. */
function stdoutOf(action: () => void): string {
  const originalWrite = process.stdout.write.bind(process.stdout)
  let written = ''
  process.stdout.write = ((chunk: string | Uint8Array): boolean => {
    written += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString()
    return true
  }) as typeof process.stdout.write
  try {
    action()
  } finally {
    process.stdout.write = originalWrite
  }
  return written
}

beforeEach(() => forgetSecrets())
afterEach(() => forgetSecrets())

describe('a secret that contains another secret', () => {
  it('is starred whole when the shorter one was registered first', () => {
    stdoutOf(() => {
      registerSecret('ABC')
      registerSecret('ABCDEF')
    })
    expect(redact('x-ABCDEF-y and x-ABC-y')).toBe('x-***-y and x-***-y')
  })

  it('is starred whole when the longer one was registered first', () => {
    stdoutOf(() => {
      registerSecret('ABCDEF')
      registerSecret('ABC')
    })
    expect(redact('x-ABCDEF-y and x-ABC-y')).toBe('x-***-y and x-***-y')
  })

  it('is starred whole among several nested secrets, in any order', () => {
    const nested = ['AB', 'ABCDEFGH', 'ABCD', 'ABCDEF']
    for (const order of [nested, [...nested].reverse(), ['ABCD', 'AB', 'ABCDEFGH', 'ABCDEF']]) {
      expect(replaceSecrets('<ABCDEFGH|ABCDEF|ABCD|AB>', order)).toBe('<***|***|***|***>')
    }
  })
})

describe('an empty secret', () => {
  it('changes nothing in the text', () => {
    expect(replaceSecrets('token: abc', [''])).toBe('token: abc')
    expect(replaceSecrets('token: abc', ['', 'abc', ''])).toBe('token: ***')
  })

  it('is never announced with ::add-mask:: and never stars anything out', () => {
    const stdout = stdoutOf(() => registerSecret(''))
    expect(stdout).toBe('')
    expect(redact('nothing secret here')).toBe('nothing secret here')
  })
})

describe('registering secrets', () => {
  it('masks each value once, the moment it is registered', () => {
    const stdout = stdoutOf(() => {
      registerSecret('s3cr3t-value')
      registerSecret('s3cr3t-value')
      registerSecret('other-value')
    })
    expect(stdout.split('\n').filter((line) => line !== '')).toEqual(['::add-mask::s3cr3t-value', '::add-mask::other-value'])
    expect(redact('a s3cr3t-value, b other-value')).toBe('a ***, b ***')
  })

  it('forgets every secret between runs', () => {
    stdoutOf(() => registerSecret('s3cr3t-value'))
    forgetSecrets()
    expect(redact('s3cr3t-value')).toBe('s3cr3t-value')
    // Forgotten means registered anew: the next run announces its mask again.
    expect(stdoutOf(() => registerSecret('s3cr3t-value'))).toBe('::add-mask::s3cr3t-value\n')
  })
})
