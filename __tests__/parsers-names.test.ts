import { describe, it, expect } from '@jest/globals'
import { hasControlCharacter } from '../src/parsers/input-error.js'
import { parseNameList, parseResourceName, type ResourceKind } from '../src/parsers/names.js'
import { rejection } from './support/rejection.js'

const RESOURCE_KINDS: Array<Exclude<ResourceKind, 'token-name'>> = ['database', 'group', 'organization']

describe('parseResourceName for databases, groups and organizations', () => {
  const accepted: Array<[string, string]> = [
    ['my-db', 'my-db'],
    ['  my-db  ', 'my-db'],
    ['default', 'default'],
    ['a', 'a'],
    ['7', '7'],
    ['db1', 'db1'],
    ['1db', '1db'],
    ['a--b', 'a--b'],
    ['x'.repeat(64), 'x'.repeat(64)]
  ]
  describe.each(RESOURCE_KINDS)('%s', (kind) => {
    it.each(accepted)('accepts %j as %j', (value, name) => {
      expect(parseResourceName(kind, value, kind)).toBe(name)
    })
  })

  it.each<[string, RegExp]>([
    ['', /it is empty/],
    ['   ', /it is empty/],
    ['x'.repeat(65), /65 characters is longer than 64/],
    ['My-DB', /lowercase: write 'my-db'/],
    ['PROD', /lowercase: write 'prod'/],
    ['-db', /starts or ends with '-'/],
    ['db-', /starts or ends with '-'/],
    ['-', /starts or ends with '-'/],
    ['my_db', /only lowercase letters, digits and '-'/],
    ['my.db', /only lowercase letters, digits and '-'/],
    ['my db', /only lowercase letters, digits and '-'/],
    ['my/db', /only lowercase letters, digits and '-'/],
    ['../db', /only lowercase letters, digits and '-'/],
    ['db%2F', /only lowercase letters, digits and '-'/],
    ['dé', /only lowercase letters, digits and '-'/],
    ['db\n::error::x', /only lowercase letters/]
  ])('rejects database %j', (value, reason) => {
    const error = rejection(() => parseResourceName('database', value, 'database'))
    expect(error.input).toBe('database')
    expect(error.message).toMatch(
      /^Input 'database' must be a Turso database name \(lowercase letters, digits and '-', 1 to 64 characters, not starting or ending with '-'\); got '/
    )
    expect(error.message).toMatch(reason)
    expect(error.message).not.toContain('\n')
  })

  it.each<[ResourceKind, string]>([
    ['group', 'a Turso group name'],
    ['organization', 'a Turso organization slug']
  ])('names the %s kind in the message', (kind, label) => {
    expect(rejection(() => parseResourceName(kind, 'Bad_Name', kind)).message).toContain(`Input '${kind}' must be ${label} (`)
  })

  it('reports the input name it was given', () => {
    expect(rejection(() => parseResourceName('attach-databases', 'X', 'database')).input).toBe('attach-databases')
  })
})

describe('parseResourceName for API token names', () => {
  it.each<[string, string]>([
    ['ci-token', 'ci-token'],
    ['  ci-token ', 'ci-token'],
    ['CI Token (prod)', 'CI Token (prod)'],
    ['deploy_2026.05', 'deploy_2026.05'],
    ['a?b#c%d&e', 'a?b#c%d&e'],
    ['名前', '名前'],
    ['...', '...'],
    ['.hidden', '.hidden'],
    ['🔑'.repeat(255), '🔑'.repeat(255)],
    ['x'.repeat(255), 'x'.repeat(255)]
  ])('accepts %j as %j', (value, name) => {
    expect(parseResourceName('token-name', value, 'token-name')).toBe(name)
  })

  it.each<[string, RegExp]>([
    ['', /it is empty/],
    ['  ', /it is empty/],
    ['.', /path segment/],
    ['..', /path segment/],
    [' .. ', /path segment/],
    ['a/b', /'\/' or '\\'/],
    ['../admin', /'\/' or '\\'/],
    ['a\\b', /'\/' or '\\'/],
    ['x'.repeat(256), /256 characters is longer than 255/],
    ['🔑'.repeat(256), /256 characters is longer than 255/],
    ['tok\nen', /control character/],
    ['tok\u0000en', /control character/],
    ['tok\u007fen', /control character/],
    ['tok\u0085en', /control character/],
    ['tok\u2028en', /control character/],
    ['tok\u202een', /control character/]
  ])('rejects %j', (value, reason) => {
    const error = rejection(() => parseResourceName('token-name', value, 'token-name'))
    expect(error.input).toBe('token-name')
    expect(error.message).toMatch(/^Input 'token-name' must be an API token name: 1 to 255 characters without control characters/)
    expect(error.message).toMatch(reason)
    expect(hasControlCharacter(error.message)).toBe(false)
  })
})

describe('parseNameList (attach-databases)', () => {
  it.each<[string, string[]]>([
    ['', []],
    ['  \n , \n', []],
    ['db-a', ['db-a']],
    ['db-a,db-b', ['db-a', 'db-b']],
    ['db-a, db-b ,db-c', ['db-a', 'db-b', 'db-c']],
    ['db-a\ndb-b\r\ndb-c\n', ['db-a', 'db-b', 'db-c']],
    ['db-a,\n\ndb-b,', ['db-a', 'db-b']],
    ['db-b\ndb-a\ndb-b,db-a', ['db-b', 'db-a']]
  ])('%j -> %j', (value, names) => {
    expect(parseNameList('attach-databases', value, 'database')).toEqual(names)
  })

  it.each<[string, string]>([
    ['db-a\nBad_DB', 'Bad_DB'],
    ['db-a, -db', '-db'],
    ['db-a;db-b', 'db-a;db-b']
  ])('rejects %j, echoing only the bad item', (value, item) => {
    const error = rejection(() => parseNameList('attach-databases', value, 'database'))
    expect(error.input).toBe('attach-databases')
    expect(error.message).toContain(`Input 'attach-databases' must be a Turso database name`)
    expect(error.message).toMatch(new RegExp(`got '${item.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}'`))
  })
})
