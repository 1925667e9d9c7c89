/**
 * What the action does with each entry of a token list Turso sends (src/turso/api-token-list.ts):
 * the names, IDs and owners it may print or send back, and how it matches an owner or suggests
 * a name. Pure functions, so unit tests; the revoke tests run the same rules through the action.
 */
import { describe, expect, it } from '@jest/globals'
import { closeMatches, isPrintableTokenName, ownedBy, ownerLabel, parseApiTokenList } from '../src/turso/api-token-list.js'

describe('a listed name is kept only when printing it shows exactly what Turso holds', () => {
  it.each([
    ['two command markers', 'a::warning::b'],
    ['an old-style command marker', 'x##[set-env name=A;]b'],
    ['a bidi override', 'ci\u202ebot'],
    ['leading or trailing blanks', ' ci'],
    ['a line separator', 'ci\u2028bot'],
    ['a slash (the token-name input refuses it)', 'ci/bot'],
    ['a dot segment', '..'],
    ['256 characters', 'x'.repeat(256)]
  ])('%s: skipped and counted, never printed', (_, name) => {
    expect(isPrintableTokenName(name)).toBe(false)
    expect(parseApiTokenList({ tokens: [{ name, id: 'x1' }] })).toEqual({ tokens: [], skipped: 1, unusable: [{ name, owner: null }] })
  })

  it.each(['ci', 'ci token #2?x=1', 'né 名前', '[::1]', 'a%0Ab'])('%j is kept as it is', (name) => {
    expect(isPrintableTokenName(name)).toBe(true)
  })
})

describe('owners: only what can be printed and compared is kept', () => {
  it('an owner that is null, an array or holds no usable field is not listed', () => {
    const list = parseApiTokenList({
      tokens: [
        { name: 'a', id: 'x1', owner: null },
        { name: 'b', id: 'x2', owner: ['alice'] },
        { name: 'c', id: 'x3', owner: { username: '', email: 'a b@c' } },
        { name: 'd', id: 'x4', owner: 'alice' }
      ]
    })
    expect(list?.tokens.map((token) => token.owner)).toEqual([null, null, null, null])
    expect(list?.skipped).toBe(0)
  })

  it('keeps usernames and emails up to 254 characters of the allowed set', () => {
    const long = `${'a'.repeat(242)}@example.com`
    expect(long).toHaveLength(254)
    const list = parseApiTokenList({ tokens: [{ name: 'a', id: 'x1', owner: { username: 'a.b_c%d+e-f', email: long } }] })
    expect(list?.tokens[0]?.owner).toEqual({ username: 'a.b_c%d+e-f', email: long })
    const tooLong = parseApiTokenList({ tokens: [{ name: 'a', id: 'x1', owner: { email: `a${long}` } }] })
    expect(tooLong?.tokens[0]?.owner).toBeNull()
  })

  it('an owner with only a username is listed, with no email', () => {
    const list = parseApiTokenList({ tokens: [{ name: 'a', id: 'x1', owner: { username: 'alice' } }] })
    expect(list?.tokens[0]?.owner).toEqual({ username: 'alice', email: null })
  })

  it('a token whose owner has only an email is matched by that email, not by a missing username', () => {
    const token = { name: 'laptop', id: 'x1', owner: { username: null, email: 'Bob@Example.com' } }
    expect(ownedBy(token, 'bob@example.com')).toBe(true)
    expect(ownedBy(token, 'bob')).toBe(false)
    const usernameOnly = { name: 'laptop', id: 'x1', owner: { username: 'bob', email: null } }
    expect(ownedBy(usernameOnly, 'BOB')).toBe(true)
    expect(ownerLabel(usernameOnly)).toBe('bob')
  })
})

describe('"did you mean" suggestions', () => {
  it('a four-character name allows one edit, a five-character name two', () => {
    expect(closeMatches('prod', ['prxx', 'prox'])).toEqual(['prox'])
    expect(closeMatches('proda', ['prxxa', 'prodz'])).toEqual(['prodz', 'prxxa'])
  })

  it('at most three, the closest first, ties in alphabetical order, each name once', () => {
    const names = ['ci-bot-9', 'ci-bot-1', 'ci-bot-1', 'ci-bot-12', 'ci-bot-3', 'ci-bot-2']
    expect(closeMatches('ci-bot-', names)).toEqual(['ci-bot-1', 'ci-bot-2', 'ci-bot-3'])
    expect(closeMatches('ci-bot-12', ['ci-bot-123', 'ci-bot-1', 'ci-bxt-1'])).toEqual(['ci-bot-1', 'ci-bot-123', 'ci-bxt-1'])
  })

  it('counts substitutions, insertions and deletions as one edit each', () => {
    expect(closeMatches('deployer', ['deplyer', 'deployerr', 'deploxer', 'dxplxyxr'])).toEqual(['deploxer', 'deployerr', 'deplyer'])
    expect(closeMatches('abcdef', ['bcdef', 'abcde', 'xbcdex', 'abdcef'])).toEqual(['abcde', 'bcdef', 'abdcef'])
  })
})
