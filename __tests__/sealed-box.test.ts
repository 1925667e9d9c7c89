import { describe, it, expect, beforeAll } from '@jest/globals'
import sodium from 'libsodium-wrappers'
import { sealedBox } from '../src/github/sealed-box.js'

/** Deterministic, non-trivial bytes so a mismatch cannot hide behind zeros. */
function patterned(length: number): Uint8Array {
  return Uint8Array.from({ length }, (_, index) => (index * 131 + 7) & 0xff)
}

describe('sealedBox, opened by libsodium crypto_box_seal_open', () => {
  beforeAll(async () => {
    await sodium.ready
  })

  it.each([0, 1, 15, 16, 17, 31, 32, 33, 63, 64, 65, 500, 10 * 1024])(
    'round-trips a %i-byte message',
    (length) => {
      const recipient = sodium.crypto_box_keypair()
      const message = patterned(length)
      const sealed = sealedBox(message, recipient.publicKey)
      expect(sealed).toHaveLength(32 + 16 + length)
      const opened = sodium.crypto_box_seal_open(sealed, recipient.publicKey, recipient.privateKey)
      expect(Buffer.from(opened).equals(Buffer.from(message))).toBe(true)
    }
  )

  it('round-trips a UTF-8 JWT-like string', () => {
    const recipient = sodium.crypto_box_keypair()
    const token = 'eyJhbGciOiJFZERTQSJ9.eyJhIjoicm8iLCLDqSI6IuKYgyJ9.c2lnbmF0dXJl'
    const sealed = sealedBox(new TextEncoder().encode(token), recipient.publicKey)
    expect(sodium.crypto_box_seal_open(sealed, recipient.publicKey, recipient.privateKey, 'text')).toBe(token)
  })

  it('cannot be opened with another key pair', () => {
    const recipient = sodium.crypto_box_keypair()
    const stranger = sodium.crypto_box_keypair()
    const sealed = sealedBox(patterned(40), recipient.publicKey)
    expect(() => sodium.crypto_box_seal_open(sealed, stranger.publicKey, stranger.privateKey)).toThrow()
  })

  it('fails to open when one ciphertext byte is flipped', () => {
    const recipient = sodium.crypto_box_keypair()
    const sealed = sealedBox(patterned(40), recipient.publicKey)
    sealed[50] = (sealed[50] ?? 0) ^ 0x01
    expect(() => sodium.crypto_box_seal_open(sealed, recipient.publicKey, recipient.privateKey)).toThrow()
  })

  it('uses a fresh ephemeral key each time', () => {
    const recipient = sodium.crypto_box_keypair()
    const first = sealedBox(patterned(10), recipient.publicKey)
    const second = sealedBox(patterned(10), recipient.publicKey)
    expect(Buffer.from(first.subarray(0, 32)).equals(Buffer.from(second.subarray(0, 32)))).toBe(false)
    expect(Buffer.from(first).equals(Buffer.from(second))).toBe(false)
  })

  it('rejects a public key that is not 32 bytes', () => {
    expect(() => sealedBox(patterned(4), new Uint8Array(31))).toThrow('must be 32 bytes, got 31')
  })

  it('rejects a low-order public key (all-zero shared secret)', () => {
    expect(() => sealedBox(patterned(4), new Uint8Array(32))).toThrow()
  })
})
