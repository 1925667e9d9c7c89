import { describe, expect, it } from '@jest/globals'
import { API_TOKEN_SCOPES, parseScopes } from '../src/parsers/scopes.js'
import { rejection } from './support/rejection.js'

describe('parseScopes with a group', () => {
  it.each([
    ['read', ['read']],
    ['db:mint-token, group:mint-token', ['db:mint-token', 'group:mint-token']],
    ['read\ndb:mint-token\r\ndb:rotate-creds', ['read', 'db:mint-token', 'db:rotate-creds']],
    [' read ,, read,\n db:create ', ['read', 'db:create']],
    ['read-only', ['read-only']],
    ['full-access,read', ['full-access', 'read']],
    [API_TOKEN_SCOPES.join('\n'), [...API_TOKEN_SCOPES]]
  ])('%j -> %j', (value, scopes) => {
    expect(parseScopes(value, 'staging')).toEqual(scopes)
  })

  it('lists the eleven accepted values, presets last, as openapi.json does', () => {
    expect(API_TOKEN_SCOPES).toEqual([
      'read', 'db:create', 'db:delete', 'db:configure', 'db:mint-token', 'db:rotate-creds',
      'group:configure', 'group:mint-token', 'group:rotate-creds', 'read-only', 'full-access'
    ])
  })

  it.each([
    ['', "it is required with 'group': a token pinned to group 'staging' needs at least one scope"],
    [' ,\n ', "it is required with 'group'"],
    ['read,mint-token', "'mint-token' is not a scope"],
    ['db:mint', "'db:mint' is not a scope"],
    ['READ', "write 'read' in lowercase"],
    ['Group:Rotate-Creds', "write 'group:rotate-creds' in lowercase"],
    ['read\n::error::x', "': :error: :x' is not a scope"]
  ])('%j is refused: %s', (value, reason) => {
    const error = rejection(() => parseScopes(value, 'staging'))
    expect(error.input).toBe('scopes')
    expect(error.message).toMatch(/^Input 'scopes' must be scopes separated by newlines or commas, from read, db:create, db:delete, db:configure, db:mint-token, db:rotate-creds, group:configure, group:mint-token, group:rotate-creds, read-only, full-access; got '/)
    expect(error.message).toContain(reason)
  })

  it('never lets a refused entry start a workflow command', () => {
    const error = rejection(() => parseScopes('read\n::warning::x', 'staging'))
    expect(error.message).not.toMatch(/(^|\n)::/)
  })
})

describe('parseScopes without a group', () => {
  it('an empty value is an organization-scoped token: no scopes', () => {
    expect(parseScopes('', null)).toEqual([])
    expect(parseScopes(' \n, ', null)).toEqual([])
  })

  it('any scope is refused, naming group', () => {
    const error = rejection(() => parseScopes('read', null))
    expect(error.input).toBe('scopes')
    expect(error.message).toBe("Input 'scopes' must be empty without a group; got 'read' (scopes restrict a group-scoped token: set input 'group' too, or remove scopes for an organization-scoped token)")
  })
})
