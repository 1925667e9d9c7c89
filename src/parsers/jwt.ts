import { Buffer } from 'node:buffer'
import { TextDecoder } from 'node:util'

// Three non-empty base64url segments: header.payload.signature (JWS compact form).
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/

/** True when the value has the compact JWS shape `header.payload.signature` (base64url, no padding). */
export function isJwtShaped(value: string): boolean {
  return JWT_SHAPE.test(value)
}

// Date's range: ±8.64e15 ms around the epoch (ECMA-262 "Time Values and Time Range").
const LARGEST_DATE_SECONDS = 8.64e12

/**
 * The `exp` claim of a minted token as a Date, or null when the token has no
 * `exp` (Turso omits it for tokens that never expire). The signature is not
 * checked: this only reads the expiry the API just put in a token it returned.
 *
 * Throws a plain Error, whose message never contains the token or any part of
 * it, when the value is not a JWT with a JSON-object payload or `exp` is not a
 * finite number of seconds that a Date can hold.
 */
export function expiresAtFromJwt(jwt: string): Date | null {
  if (!isJwtShaped(jwt)) {
    throw new Error('The token is not a JWT: expected three base64url parts separated by dots')
  }
  const payload = decodePayload(jwt.split('.')[1] ?? '')
  if (!Object.hasOwn(payload, 'exp')) return null
  const exp = payload['exp']
  if (typeof exp !== 'number' || !Number.isFinite(exp)) {
    throw new Error("The token's 'exp' claim is not a number of seconds")
  }
  if (Math.abs(exp) > LARGEST_DATE_SECONDS) {
    throw new Error("The token's 'exp' claim is outside the range of dates")
  }
  return new Date(exp * 1000)
}

function decodePayload(segment: string): Record<string, unknown> {
  // A base64 length of 4n+1 cannot come from any byte string.
  if (segment.length % 4 === 1) throw new Error('The token payload is not valid base64url')
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(segment, 'base64url'))
  } catch {
    throw new Error('The token payload is not UTF-8 text')
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    // JSON.parse's own message quotes the input, so it is not passed on.
    throw new Error('The token payload is not JSON')
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error('The token payload is not a JSON object')
  }
  return parsed as Record<string, unknown>
}
