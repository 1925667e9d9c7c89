import { describe, it, expect } from '@jest/globals'
import { Buffer } from 'node:buffer'
import { expiresAtFromJwt, isJwtShaped } from '../src/parsers/jwt.js'

const HEADER = Buffer.from(JSON.stringify({ alg: 'EdDSA', typ: 'JWT' })).toString('base64url')
const SIGNATURE = 'c2lnbmF0dXJlLWJ5dGVz'

function jwtWithPayload(payload: string): string {
  return `${HEADER}.${Buffer.from(payload).toString('base64url')}.${SIGNATURE}`
}

function jwt(claims: Record<string, unknown>): string {
  return jwtWithPayload(JSON.stringify(claims))
}

describe('isJwtShaped', () => {
  it.each<[string, boolean]>([
    [jwt({ exp: 1 }), true],
    ['a.b.c', true],
    ['eyJhbGciOiJFZERTQSJ9.eyJpZCI6IngifQ.sig_-', true],
    ['a.b.', false], // unsigned tokens are not what Turso returns
    ['.b.c', false],
    ['a..c', false],
    ['a.b', false],
    ['a.b.c.d', false],
    ['a.b.c=', false], // base64url has no padding
    ['a.b+.c', false],
    ['a.b/.c', false],
    [' a.b.c', false],
    ['a.b.c\n', false],
    ['', false]
  ])('%j -> %j', (value, shaped) => {
    expect(isJwtShaped(value)).toBe(shaped)
  })
})

describe('expiresAtFromJwt', () => {
  it.each<[Record<string, unknown>, string | null]>([
    [{ exp: 1_767_225_600, iat: 1_767_139_200, a: 'rw' }, '2026-01-01T00:00:00.000Z'],
    [{ exp: 0 }, '1970-01-01T00:00:00.000Z'],
    [{ exp: 1_767_225_600.5 }, '2026-01-01T00:00:00.500Z'], // NumericDate may carry a fraction
    [{ exp: 253_402_300_800 }, '+010000-01-01T00:00:00.000Z'],
    [{ iat: 1_767_139_200, a: 'ro' }, null], // 'never' tokens have no exp
    [{}, null]
  ])('%j -> %j', (claims, iso) => {
    const expiresAt = expiresAtFromJwt(jwt(claims))
    expect(expiresAt === null ? null : expiresAt.toISOString()).toBe(iso)
  })

  const SECRET_PART = 'c2VjcmV0LXBheWxvYWQ'

  it.each<[string, string, RegExp]>([
    ['not a JWT', 'not-a-token', /not a JWT/],
    ['two parts', `${HEADER}.${SECRET_PART}`, /not a JWT/],
    ['empty', '', /not a JWT/],
    ['payload of impossible base64 length', `${HEADER}.${SECRET_PART}ab.${SIGNATURE}`, /not valid base64url/],
    ['payload not UTF-8', `${HEADER}.${Buffer.from([0xff, 0xfe, 0x7b]).toString('base64url')}.${SIGNATURE}`, /not UTF-8/],
    ['payload not JSON', `${HEADER}.${SECRET_PART}.${SIGNATURE}`, /not JSON$/],
    ['payload a JSON array', jwtWithPayload('[1,2]'), /not a JSON object/],
    ['payload JSON null', jwtWithPayload('null'), /not a JSON object/],
    ['payload a JSON number', jwtWithPayload('1767225600'), /not a JSON object/],
    ['exp a string', jwt({ exp: '1767225600' }), /'exp' claim is not a number/],
    ['exp null', jwt({ exp: null }), /'exp' claim is not a number/],
    ['exp an object', jwt({ exp: { seconds: 1 } }), /'exp' claim is not a number/],
    ['exp huge', jwtWithPayload('{"exp":1e300}'), /outside the range/],
    ['exp overflowing to Infinity', jwtWithPayload('{"exp":1e400}'), /'exp' claim is not a number/]
  ])('throws for %s, without echoing the token', (_case, token, reason) => {
    let message = ''
    try {
      expiresAtFromJwt(token)
    } catch (error) {
      expect(error).toBeInstanceOf(Error)
      message = (error as Error).message
    }
    expect(message).toMatch(reason)
    for (const part of [token, HEADER, SECRET_PART, SIGNATURE, 'secret-payload']) {
      if (part !== '') expect(message).not.toContain(part)
    }
  })
})
