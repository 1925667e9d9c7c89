import { describe, it, expect } from '@jest/globals'
import { InputError, hasControlCharacter } from '../src/parsers/input-error.js'
import { PERMISSION_ACTIONS, parsePermissions, type FineGrainedPermission } from '../src/parsers/permissions.js'
import { rejection } from './support/rejection.js'

const rejectionOf = (value: string): InputError => rejection(() => parsePermissions(value))

describe('parsePermissions accepts the CLI -p grammar, one rule per line', () => {
  it.each<[string, string, FineGrainedPermission[]]>([
    ['empty input', '', []],
    ['only blank lines', '\n  \n\t\n', []],
    ['all tables', 'all:data_read', [{ t: null, a: ['data_read'] }]],
    ['one table, two actions', 'comments:data_add,data_update', [{ t: ['comments'], a: ['data_add', 'data_update'] }]],
    [
      "the CLI docs' example as two lines",
      'all:data_read\ncomments:data_add,data_update',
      [
        { t: null, a: ['data_read'] },
        { t: ['comments'], a: ['data_add', 'data_update'] }
      ]
    ],
    ['every action', `all:${PERMISSION_ACTIONS.join(',')}`, [{ t: null, a: [...PERMISSION_ACTIONS] }]],
    ['spaces around names', '  posts : data_read , data_delete  ', [{ t: ['posts'], a: ['data_read', 'data_delete'] }]],
    ['CRLF line ends and blank lines', 'a:data_read\r\n\r\nb:schema_add\r\n', [
      { t: ['a'], a: ['data_read'] },
      { t: ['b'], a: ['schema_add'] }
    ]],
    ['repeated actions are dropped', 'all:data_read,data_read,data_add,data_read', [{ t: null, a: ['data_read', 'data_add'] }]],
    ['a table name with a space', 'my table:data_read', [{ t: ['my table'], a: ['data_read'] }]],
    ['a quoted-looking table name', '"Order":data_read', [{ t: ['"Order"'], a: ['data_read'] }]],
    ['a non-ASCII table name', 'données:data_read', [{ t: ['données'], a: ['data_read'] }]],
    ['a table named like a keyword but not all', 'allowed:data_read', [{ t: ['allowed'], a: ['data_read'] }]],
    ['only the first colon splits', 'a:data_read', [{ t: ['a'], a: ['data_read'] }]],
    ['the same table twice stays two rules', 't:data_read\nt:data_add', [
      { t: ['t'], a: ['data_read'] },
      { t: ['t'], a: ['data_add'] }
    ]],
    ['schema actions', 'logs:schema_add,schema_update,schema_delete', [{ t: ['logs'], a: ['schema_add', 'schema_update', 'schema_delete'] }]]
  ])('%s', (_case, value, expected) => {
    expect(parsePermissions(value)).toEqual(expected)
  })

  it('serialises to the wire format the CLI sends', () => {
    expect(JSON.stringify(parsePermissions('all:data_read\ncomments:data_add,data_update'))).toBe(
      '[{"t":null,"a":["data_read"]},{"t":["comments"],"a":["data_add","data_update"]}]'
    )
  })
})

describe('parsePermissions rejects', () => {
  it.each<[string, string, RegExp]>([
    ['no colon', 'data_read', /line 1: missing ':'/],
    ['no colon on a later line', 'all:data_read\ncomments', /line 2: missing ':'/],
    ['an empty table', ':data_read', /missing table name.*'all'/],
    ['a whitespace-only table', '   :data_read', /missing table name/],
    ['no actions', 'comments:', /missing actions.*valid actions: data_read, data_add/],
    ['whitespace-only actions', 'comments:   ', /missing actions/],
    ['a trailing comma', 'comments:data_read,', /empty action/],
    ['two commas', 'comments:data_read,,data_add', /empty action/],
    ['the CLI help example data_insert', 'comments:data_insert', /unknown action 'data_insert'.*data_insert is spelled data_add/],
    ['an unknown action', 'all:read', /unknown action 'read'; valid actions: data_read, data_add, data_update, data_delete, schema_add, schema_update, schema_delete/],
    ['an upper-case action', 'all:DATA_READ', /unknown action 'DATA_READ'.*lowercase: data_read/],
    ['a CLI token access level', 'all:full-access', /unknown action 'full-access'/],
    ['an action with a second colon', 'all:data_read:x', /unknown action 'data_read:x'/],
    ['ALL in upper case', 'ALL:data_read', /'all' in lowercase/],
    ['All in title case', 'All:data_read', /'all' in lowercase/],
    ['two tables on one line', 'a,b:data_read', /one table per line/],
    ['a control character in the table', 'com\u0007ments:data_read', /control character/],
    ['a tab inside the line', 'comments:\tdata_read', /control character/],
    ['a bidi override', '\u202eall:data_read', /control character/],
    ['a lone CR splits lines, leaving a bad one', 'all:data_read\rcomments', /line 2: missing ':'/]
  ])('%s', (_case, value, reason) => {
    const error = rejectionOf(value)
    expect(error.input).toBe('permissions')
    expect(error.message).toMatch(/^Input 'permissions' must be one rule per line, '<table or all>:<action>\[,<action>\.\.\.\]' such as all:data_read or comments:data_add,data_update; got '/)
    expect(error.message).toMatch(reason)
    expect(hasControlCharacter(error.message)).toBe(false)
  })

  it('echoes only the offending line, truncated', () => {
    const error = rejectionOf(`first_table:data_read\n${'t'.repeat(100)}:nope`)
    expect(error.message).toContain(`got '${'t'.repeat(60)}…'`)
    expect(error.message).not.toContain('first_table')
  })
})
