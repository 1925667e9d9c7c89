import { describe, it, expect } from '@jest/globals'
import { parseBoolean, parseOperation, parseRepository, parseRetries, parseTimeoutSeconds } from '../src/parsers/scalars.js'
import { rejection } from './support/rejection.js'

describe('parseBoolean (the getBooleanInput spellings)', () => {
  it.each<[string, boolean]>([
    ['true', true],
    ['True', true],
    ['TRUE', true],
    [' true ', true],
    ['false', false],
    ['False', false],
    ['FALSE', false],
    ['false\n', false]
  ])('%j -> %j', (value, result) => {
    expect(parseBoolean('dry-run', value)).toBe(result)
  })

  it.each(['', 'yes', 'no', 'on', 'off', '1', '0', 'tRUE', 'y', 't', 'true false', 'truee'])('rejects %j', (value) => {
    const error = rejection(() => parseBoolean('verify', value))
    expect(error.input).toBe('verify')
    expect(error.message).toBe(`Input 'verify' must be a boolean: true | True | TRUE | false | False | FALSE; got '${value}'`)
  })
})

describe('parseRetries', () => {
  it.each<[string, number]>([
    ['0', 0],
    ['3', 3],
    [' 10 ', 10],
    ['007', 7]
  ])('%j -> %j', (value, retries) => {
    expect(parseRetries(value)).toBe(retries)
  })

  it.each<[string, RegExp]>([
    ['', /got ''$/],
    ['11', /too many/],
    ['100', /too many/],
    ['-1', /got '-1'$/],
    ['+1', /got '\+1'$/],
    ['1.5', /got '1\.5'$/],
    ['1e1', /got '1e1'$/],
    ['three', /got 'three'$/],
    ['Infinity', /got 'Infinity'$/],
    ['0x3', /got '0x3'$/]
  ])('rejects %j', (value, detail) => {
    const error = rejection(() => parseRetries(value))
    expect(error.input).toBe('retries')
    expect(error.message).toMatch(/^Input 'retries' must be a whole number from 0 to 10; got '/)
    expect(error.message).toMatch(detail)
  })
})

describe('parseTimeoutSeconds', () => {
  it.each<[string, number]>([
    ['30', 30],
    ['1', 1],
    ['600', 600],
    ['2.5', 2.5],
    ['.5', 0.5],
    ['0.001', 0.001],
    [' 45 ', 45],
    ['600.0', 600]
  ])('%j -> %j', (value, seconds) => {
    expect(parseTimeoutSeconds(value)).toBe(seconds)
  })

  it.each<[string, RegExp]>([
    ['', /got ''$/],
    ['0', /would fail every request/],
    ['0.0', /would fail every request/],
    ['600.5', /too long/],
    ['601', /too long/],
    ['-5', /got '-5'$/],
    ['30s', /got '30s'$/],
    ['1e3', /got '1e3'$/],
    ['Infinity', /got 'Infinity'$/],
    ['NaN', /got 'NaN'$/],
    ['5.', /got '5\.'$/]
  ])('rejects %j', (value, detail) => {
    const error = rejection(() => parseTimeoutSeconds(value))
    expect(error.input).toBe('timeout')
    expect(error.message).toMatch(/^Input 'timeout' must be a number of seconds above 0 and at most 600, such as 30 or 2\.5; got '/)
    expect(error.message).toMatch(detail)
  })
})

describe('parseOperation', () => {
  it.each<[string, string]>([
    ['create-token', 'create-token'],
    ['rotate', 'rotate'],
    ['revoke', 'revoke'],
    ['  rotate\n', 'rotate']
  ])('%j -> %j', (value, operation) => {
    expect(parseOperation(value)).toBe(operation)
  })

  it.each<[string, RegExp]>([
    ['', /got '' \(it is required\)$/],
    ['Rotate', /write it in lowercase: rotate/],
    ['CREATE-TOKEN', /write it in lowercase: create-token/],
    ['create_token', /got 'create_token'$/],
    ['create', /got 'create'$/],
    ['mint', /got 'mint'$/],
    ['invalidate', /got 'invalidate'$/],
    ['rotate,revoke', /got 'rotate,revoke'$/]
  ])('rejects %j, listing the five', (value, detail) => {
    const error = rejection(() => parseOperation(value))
    expect(error.input).toBe('operation')
    expect(error.message).toMatch(/^Input 'operation' must be one of create-token, rotate, revoke, create-api-token, rotate-api-token; got '/)
    expect(error.message).toMatch(detail)
  })
})

describe('parseRepository', () => {
  it.each<[string, string]>([
    ['octo-org/app', 'octo-org/app'],
    [' Octo-Org/My.App_2 ', 'Octo-Org/My.App_2'],
    ['a/b', 'a/b'],
    ['user/.github', 'user/.github'],
    ['x/...', 'x/...'],
    [`${'o'.repeat(39)}/${'r'.repeat(100)}`, `${'o'.repeat(39)}/${'r'.repeat(100)}`]
  ])('%j -> %j', (value, repository) => {
    expect(parseRepository(value)).toBe(repository)
  })

  it.each<[string, RegExp]>([
    ['', /GITHUB_REPOSITORY is not set/],
    ['app', /exactly one \//],
    ['a/b/c', /exactly one \//],
    ['https://github.com/octo/app', /exactly one \//],
    ['/app', /the owner/],
    ['-octo/app', /the owner/],
    ['octo_org/app', /the owner/],
    [`${'o'.repeat(40)}/app`, /the owner/],
    ['octo/', /the name/],
    ['octo/my app', /the name/],
    ['octo/.', /the name/],
    ['octo/..', /the name/],
    [`octo/${'r'.repeat(101)}`, /the name/],
    ['octo/app.git', /leave out '\.git': octo\/app/]
  ])('rejects %j', (value, reason) => {
    const error = rejection(() => parseRepository(value))
    expect(error.input).toBe('secret-repository')
    expect(error.message).toMatch(/^Input 'secret-repository' must be a GitHub repository as owner\/name, such as octo-org\/app; got '/)
    expect(error.message).toMatch(reason)
  })
})
