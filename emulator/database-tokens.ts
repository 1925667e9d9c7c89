/**
 * Minting and checking database/group auth tokens.
 *
 * Claims follow what libsql-server reads (libsql-server/src/auth/user_auth_strategies/jwt.rs):
 *   a    "rw" | "ro"           access level (missing means rw)
 *   id   database DbId (database tokens) or group uuid (group tokens)
 *   gid  group uuid, group tokens only (Turso sets it; the open-source server ignores it)
 *   iat  issue time, unix seconds
 *   exp  unix seconds, only when the expiration is not `never`
 *   p    {"roa": {"ns": [DbId...]}} when read-attach databases were requested. Turso lists
 *        database ids (not names) there, as tursodatabase/libsql issue #1581 shows.
 *   fgp  EMULATOR-SPECIFIC: the request's fine_grained_permissions, verbatim. Where Turso puts
 *        fine-grained permissions in the JWT is not documented; do not depend on this claim.
 * Real Turso group tokens have been seen with only {gid, iat} (libsql issue #1581); the emulator
 * adds `a` and `id` so both token kinds carry the same fields.
 */
import { decodeJwt, hasValidSignature, signJwt, type JwtClaims } from './jwt.js'
import type { DatabaseState, GroupState } from './state.js'

/** jsonwebtoken's default leeway, which libsql-server keeps: a token works until exp + 60 s. */
export const EXPIRY_LEEWAY_SECONDS = 60

export type Access = 'rw' | 'ro'

export interface FineGrainedRule {
  t: string[] | null
  a: string[]
}

export interface MintRequest {
  target: { kind: 'database'; database: DatabaseState } | { kind: 'group'; group: GroupState }
  access: Access
  /** Lifetime in nanoseconds; null for `never`. */
  lifetimeNanoseconds: bigint | null
  readAttach: DatabaseState[]
  fineGrained?: FineGrainedRule[]
}

export function mintDatabaseToken(request: MintRequest, nowMs: number): string {
  const nowNanoseconds = BigInt(Math.floor(nowMs)) * 1_000_000n
  const group = request.target.kind === 'database' ? request.target.database.group : request.target.group
  const claims: JwtClaims = { a: request.access }
  if (request.lifetimeNanoseconds !== null) {
    // Go: time.Now().Add(d).Unix() — floor division toward negative infinity.
    const expNanoseconds = nowNanoseconds + request.lifetimeNanoseconds
    const seconds = expNanoseconds / 1_000_000_000n
    claims.exp = Number(expNanoseconds < 0n && expNanoseconds % 1_000_000_000n !== 0n ? seconds - 1n : seconds)
  }
  if (request.fineGrained !== undefined) claims.fgp = request.fineGrained
  if (request.target.kind === 'group') claims.gid = request.target.group.seed.uuid
  claims.iat = Math.floor(nowMs / 1000)
  claims.id = request.target.kind === 'database' ? request.target.database.seed.id : request.target.group.seed.uuid
  if (request.readAttach.length > 0) claims.p = { roa: { ns: request.readAttach.map((db) => db.seed.id) } }
  return signJwt(claims, group.signingKey)
}

export type TokenCheck =
  | { valid: true; claims: JwtClaims; access: Access }
  | { valid: false; code: 'invalid' | 'expired' | 'wrong-database'; reason: string }

/** Checks a token the way the database's libSQL server would, against the group's current key. */
export function checkDatabaseToken(jwt: string, database: DatabaseState, nowMs: number): TokenCheck {
  const decoded = decodeJwt(jwt)
  if (!decoded.ok) return { valid: false, code: 'invalid', reason: 'The JWT is invalid: not a well-formed JWS' }
  if (!hasValidSignature(decoded, database.group.signingKey.publicKey)) {
    return {
      valid: false,
      code: 'invalid',
      reason: `The JWT is invalid: signature does not match the current key of group "${database.group.seed.name}" (wrong group, or its tokens were rotated)`
    }
  }
  const { claims } = decoded
  if (claims.exp !== undefined) {
    if (typeof claims.exp !== 'number' || !Number.isInteger(claims.exp)) return { valid: false, code: 'invalid', reason: 'The JWT is invalid: exp is not an integer' }
    if (Math.floor(nowMs / 1000) > claims.exp + EXPIRY_LEEWAY_SECONDS) return { valid: false, code: 'expired', reason: 'The JWT has expired' }
  }
  const access = claims.a === undefined ? 'rw' : claims.a
  if (access !== 'rw' && access !== 'ro') return { valid: false, code: 'invalid', reason: 'The JWT is invalid: unknown access level in claim "a"' }
  const forGroup = claims.gid !== undefined && claims.gid === database.group.seed.uuid
  const forDatabase = claims.gid === undefined && claims.id === database.seed.id
  if (!forGroup && !forDatabase) {
    return { valid: false, code: 'wrong-database', reason: `The JWT is not for database "${database.seed.name}" (claims id/gid do not name it or its group)` }
  }
  return { valid: true, claims, access }
}
