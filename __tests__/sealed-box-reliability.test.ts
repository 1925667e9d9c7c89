import { beforeAll, describe, expect, it } from '@jest/globals'
import sodium from 'libsodium-wrappers'
import { sealedBox } from '../src/github/sealed-box.js'

beforeAll(async () => {
  await sodium.ready
})

describe('sealing with fresh ephemeral keys, many times over', () => {
  it('never refuses a valid recipient key, whatever bytes the shared secret happens to hold', () => {
    // About one X25519 shared secret in eight holds a zero byte: a check that looked at single
    // bytes instead of the whole secret would refuse at least one of these 128 seals (all but
    // once in about ten million runs).
    const recipient = sodium.crypto_box_keypair()
    for (let index = 0; index < 128; index++) {
      const message = new TextEncoder().encode(`token-${index}`)
      const sealed = sealedBox(message, recipient.publicKey)
      expect(sodium.crypto_box_seal_open(sealed, recipient.publicKey, recipient.privateKey, 'text')).toBe(`token-${index}`)
    }
  })
})
