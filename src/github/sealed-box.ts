/**
 * libsodium `crypto_box_seal`, the format GitHub's secrets API expects
 * (https://docs.github.com/rest/guides/encrypting-secrets-for-the-rest-api).
 *
 *   sealed = ephemeralPk || crypto_box(message, nonce, recipientPk, ephemeralSk)
 *   nonce  = BLAKE2b-192(ephemeralPk || recipientPk)
 *   crypto_box = XSalsa20-Poly1305 keyed with HSalsa20(X25519(ephemeralSk, recipientPk))
 *
 * Why these libraries: X25519 comes from node:crypto (OpenSSL, zero bundle
 * cost); BLAKE2b and XSalsa20-Poly1305/HSalsa20 come from @noble/hashes and
 * @noble/ciphers: audited, actively maintained, pure JS, small and
 * tree-shakeable, so only these three primitives land in the bundle.
 * libsodium-wrappers would add a large WASM/asm.js blob for one function, and
 * tweetnacl is unmaintained since 2020 and has no BLAKE2b (it would need a
 * second package for the nonce). libsodium-wrappers is used by the tests as
 * the independent implementation that must open what this seals.
 */
import { createPublicKey, diffieHellman, generateKeyPairSync, type KeyObject } from 'node:crypto'
import { blake2b } from '@noble/hashes/blake2.js'
import { hsalsa, xsalsa20poly1305 } from '@noble/ciphers/salsa.js'
import { u32 } from '@noble/ciphers/utils.js'

const KEY_BYTES = 32
const NONCE_BYTES = 24

/** Encrypts `message` so that only the holder of `recipientPublicKey`'s private key can read it. */
export function sealedBox(message: Uint8Array, recipientPublicKey: Uint8Array): Uint8Array {
  if (recipientPublicKey.length !== KEY_BYTES) {
    throw new Error(`sealed box: the recipient public key must be ${KEY_BYTES} bytes, got ${recipientPublicKey.length}`)
  }
  const ephemeral = generateKeyPairSync('x25519')
  const ephemeralPublicKey = rawPublicKey(ephemeral.publicKey)
  const sharedSecret = new Uint8Array(
    diffieHellman({ privateKey: ephemeral.privateKey, publicKey: x25519PublicKey(recipientPublicKey) })
  )
  // libsodium refuses an all-zero shared secret (a low-order recipient key); so do we.
  if (sharedSecret.every((byte) => byte === 0)) {
    throw new Error('sealed box: the recipient public key is not a valid X25519 key')
  }
  const boxKey = cryptoBoxBeforeNm(sharedSecret)
  const nonce = blake2b(concatBytes(ephemeralPublicKey, recipientPublicKey), { dkLen: NONCE_BYTES })
  const macAndCiphertext = xsalsa20poly1305(boxKey, nonce).encrypt(message)
  sharedSecret.fill(0)
  boxKey.fill(0)
  return concatBytes(ephemeralPublicKey, macAndCiphertext)
}

/** crypto_box_beforenm: HSalsa20 of the X25519 output with a zero nonce and the "expand 32-byte k" constant. */
function cryptoBoxBeforeNm(sharedSecret: Uint8Array): Uint8Array {
  const sigma = u32(new TextEncoder().encode('expand 32-byte k'))
  const key = new Uint32Array(8)
  hsalsa(sigma, u32(sharedSecret), new Uint32Array(4), key)
  return new Uint8Array(key.buffer)
}

function rawPublicKey(key: KeyObject): Uint8Array {
  const { x } = key.export({ format: 'jwk' })
  if (x === undefined) throw new Error('sealed box: X25519 key export returned no public key')
  return new Uint8Array(Buffer.from(x, 'base64url'))
}

function x25519PublicKey(raw: Uint8Array): KeyObject {
  return createPublicKey({
    key: { kty: 'OKP', crv: 'X25519', x: Buffer.from(raw).toString('base64url') },
    format: 'jwk'
  })
}

function concatBytes(first: Uint8Array, second: Uint8Array): Uint8Array {
  const joined = new Uint8Array(first.length + second.length)
  joined.set(first, 0)
  joined.set(second, first.length)
  return joined
}
