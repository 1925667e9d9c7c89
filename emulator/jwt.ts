/**
 * Ed25519 ("EdDSA") JSON Web Tokens with node:crypto only — the algorithm Turso signs
 * database and group auth tokens with, and the only one libsql-server accepts.
 */
import { generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto'

export interface SigningKey {
  privateKey: KeyObject
  publicKey: KeyObject
}

export type JwtClaims = Record<string, unknown>

export function generateSigningKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519')
  return { privateKey, publicKey }
}

function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url')
}

export function signJwt(claims: JwtClaims, key: SigningKey): string {
  const header = base64url(JSON.stringify({ alg: 'EdDSA', typ: 'JWT' }))
  const payload = base64url(JSON.stringify(claims))
  const signature = sign(null, Buffer.from(`${header}.${payload}`), key.privateKey)
  return `${header}.${payload}.${base64url(signature)}`
}

export type DecodedJwt =
  | { ok: true; header: Record<string, unknown>; claims: JwtClaims; signingInput: string; signature: Buffer }
  | { ok: false }

const BASE64URL = /^[A-Za-z0-9_-]*$/

function parseJsonObject(segment: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'))
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

/** Splits and parses a compact JWS without checking its signature. */
export function decodeJwt(token: string): DecodedJwt {
  const parts = token.split('.')
  if (parts.length !== 3 || !parts.every((part) => BASE64URL.test(part))) return { ok: false }
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string]
  const header = parseJsonObject(headerPart)
  const claims = parseJsonObject(payloadPart)
  if (header === undefined || claims === undefined) return { ok: false }
  return { ok: true, header, claims, signingInput: `${headerPart}.${payloadPart}`, signature: Buffer.from(signaturePart, 'base64url') }
}

/** True when the token is an EdDSA JWS whose signature matches `publicKey`. */
export function hasValidSignature(decoded: Extract<DecodedJwt, { ok: true }>, publicKey: KeyObject): boolean {
  if (decoded.header.alg !== 'EdDSA') return false
  try {
    return verify(null, Buffer.from(decoded.signingInput), publicKey, decoded.signature)
  } catch {
    return false
  }
}
