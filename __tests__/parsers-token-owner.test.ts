import { describe, expect, it } from '@jest/globals'
import { parseTokenOwner } from '../src/parsers/token-owner.js'
import { rejection } from './support/rejection.js'

describe('parseTokenOwner', () => {
  it.each([
    ['alice', 'alice'],
    ['  Alice-B.c_d9 ', 'Alice-B.c_d9'],
    ['a', 'a'],
    ['alice@example.com', 'alice@example.com'],
    ['a.b+ci@mail.example.co.uk', 'a.b+ci@mail.example.co.uk'],
    ['x'.repeat(64), 'x'.repeat(64)]
  ])('%j -> %j', (value, owner) => {
    expect(parseTokenOwner(value)).toBe(owner)
  })

  it.each([
    ['', 'it is empty'],
    ['   ', 'it is empty'],
    ['alice smith', "a username holds letters, digits, '.', '_' and '-'"],
    ['-alice', "a username holds letters"],
    ['alice.', "a username holds letters"],
    ['x'.repeat(65), 'a username holds letters'],
    ['alice\n::error::x', 'it contains a control character'],
    ['alice@', 'it is not an email address'],
    ['@example.com', 'it is not an email address'],
    ['a@b@c', 'it is not an email address'],
    ['al ice@example.com', 'it is not an email address'],
    [`${'x'.repeat(250)}@b.co`, 'characters is longer than 254']
  ])('%j is refused: %s', (value, reason) => {
    const error = rejection(() => parseTokenOwner(value))
    expect(error.input).toBe('token-owner')
    expect(error.message).toMatch(/^Input 'token-owner' must be the username or email of the organization member who minted the token/)
    expect(error.message).toContain(reason)
  })
})
