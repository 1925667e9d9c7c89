import { describe, expect, it } from '@jest/globals'
import { closeMatches, isTokenId, ownedBy, ownerLabel, parseApiTokenList } from '../src/turso/api-token-list.js'

describe('parseApiTokenList', () => {
  it('keeps entries with a printable name and a base64url ID, with the owner when listed', () => {
    const list = parseApiTokenList({
      tokens: [
        { name: 'ci', id: 'clGFZ4STEe6fljpFzIum8A', created_at: '2026-05-21' },
        { name: 'laptop', id: 'a_b-C1', owner: { username: 'alice', email: 'alice@example.com' } },
        { name: 'old', id: 'x1', owner: { email: 'bob@example.com' } },
        { name: 'odd', id: 'x2', owner: { username: 'eve\n::error::x', email: 5 } }
      ]
    })
    expect(list).toEqual({
      tokens: [
        { name: 'ci', id: 'clGFZ4STEe6fljpFzIum8A', owner: null },
        { name: 'laptop', id: 'a_b-C1', owner: { username: 'alice', email: 'alice@example.com' } },
        { name: 'old', id: 'x1', owner: { username: null, email: 'bob@example.com' } },
        { name: 'odd', id: 'x2', owner: null }
      ],
      skipped: 0,
      unusable: []
    })
  })

  it('skips and counts entries that could not be printed or sent back', () => {
    const list = parseApiTokenList({
      tokens: [
        null,
        'ci',
        ['ci'],
        { name: 'ci' },
        { id: 'x1' },
        { name: 'a\nb', id: 'x1' },
        { name: '', id: 'x1' },
        { name: 'a/b', id: 'x1' },
        { name: 'ok', id: '../x' },
        { name: 'ok', id: 'a b' },
        { name: 'ok', id: '' },
        { name: 'ok', id: 'x'.repeat(129) },
        { name: 'ok', id: 7 }
      ]
    })
    expect(list?.tokens).toEqual([])
    expect(list?.skipped).toBe(13)
    // Those with a string name are kept aside for comparing only (a namesake makes a choice ambiguous).
    expect(list?.unusable.map((entry) => entry.name)).toEqual(['ci', 'a\nb', '', 'a/b', 'ok', 'ok', 'ok', 'ok', 'ok'])
  })

  it('keeps the owner of a skipped entry when it can be read', () => {
    const list = parseApiTokenList({
      tokens: [
        { name: 'laptop', id: 'bad id', owner: { username: 'alice' } },
        { name: 'laptop', id: 'bad id', owner: 'alice' }
      ]
    })
    expect(list?.unusable).toEqual([
      { name: 'laptop', owner: { username: 'alice', email: null } },
      { name: 'laptop', owner: null }
    ])
  })

  it('answers undefined without a tokens array', () => {
    expect(parseApiTokenList({})).toBeUndefined()
    expect(parseApiTokenList({ tokens: {} })).toBeUndefined()
  })
})

describe('isTokenId', () => {
  it.each([
    ['clGFZ4STEe6fljpFzIum8A', true],
    ['x'.repeat(128), true],
    ['x'.repeat(129), false],
    ['a.b', false],
    ['%2e', false],
    ['', false]
  ])('%j -> %j', (id, expected) => {
    expect(isTokenId(id)).toBe(expected)
  })
})

describe('owners', () => {
  const token = { name: 'laptop', id: 'x1', owner: { username: 'alice', email: 'Alice@Example.com' } }

  it('match by username or email, in any case', () => {
    expect(ownedBy(token, 'ALICE')).toBe(true)
    expect(ownedBy(token, 'alice@example.COM')).toBe(true)
    expect(ownedBy(token, 'bob')).toBe(false)
    expect(ownedBy({ ...token, owner: null }, 'alice')).toBe(false)
  })

  it('are named by username, else email', () => {
    expect(ownerLabel(token)).toBe('alice')
    expect(ownerLabel({ ...token, owner: { username: null, email: 'a@b.c' } })).toBe('a@b.c')
    expect(ownerLabel({ ...token, owner: null })).toBe('(owner not listed)')
  })
})

describe('closeMatches', () => {
  const names = ['ci-deployer', 'ci-deploy', 'staging-bot', 'emulator', 'prod', 'CI-DEPLOYER2']

  it('suggests names within two edits, closest first, at most three', () => {
    expect(closeMatches('ci-deployr', names)).toEqual(['ci-deploy', 'ci-deployer', 'CI-DEPLOYER2'])
    expect(closeMatches('staging-bto', names)).toEqual(['staging-bot'])
  })

  it('allows one edit only for names of four characters or fewer, and never suggests the name itself', () => {
    expect(closeMatches('prd', names)).toEqual(['prod'])
    expect(closeMatches('pr', names)).toEqual([])
    expect(closeMatches('emulator', names)).toEqual([])
  })

  it('suggests nothing far away', () => {
    expect(closeMatches('release-bot', names)).toEqual([])
  })
})
