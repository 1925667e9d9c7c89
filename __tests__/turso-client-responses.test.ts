/**
 * What the action makes of the Turso API's answers, field by field: a database lookup without
 * a usable Hostname, the `group` a lookup reports, a group's database list with entries that
 * do not belong, the token name a revoke reports, a revoke whose first attempt failed, and
 * which minted values are masked. Each answer is canned by the emulator; everything else is real.
 */
import { describe, expect, it } from '@jest/globals'
import { useEmulator } from './support/emulator.js'
import { expectNoLeaks } from './support/leaks.js'
import { runAction, type InProcessRun } from './support/run-action.js'

const emulator = useEmulator()

const LOOKUP_PATH = '/v1/organizations/acme/databases/app-db'
const LIST_PATH = '/v1/organizations/acme/databases'
const MINT_PATH = '/v1/organizations/acme/databases/app-db/auth/tokens'

function databaseInputs(extra: Record<string, string> = {}): Record<string, string> {
  return { operation: 'create-token', 'api-url': emulator.url, 'api-token': emulator.apiToken, organization: 'acme', database: 'app-db', retries: '0', ...extra }
}

function revokeInputs(tokenName: string): Record<string, string> {
  return { operation: 'revoke', 'api-url': emulator.url, 'api-token': emulator.apiToken, 'token-name': tokenName, retries: '2' }
}

const lines = (run: InProcessRun): string[] => run.stdout.split('\n')
const warnings = (run: InProcessRun): string[] => lines(run).filter((line) => line.startsWith('::warning::'))
const notices = (run: InProcessRun): string[] => lines(run).filter((line) => line.startsWith('::notice::'))
const masks = (run: InProcessRun): string[] => lines(run).filter((line) => line.startsWith('::add-mask::'))
const libsqlDatabases = (): string[] => emulator.requests.filter((request) => request.target === 'libsql').map((request) => request.database ?? '')

/** Creates a Platform API token through the emulator's API, as `turso auth api-tokens mint` would. */
async function mintApiToken(name: string): Promise<void> {
  const response = await fetch(`${emulator.url}/v1/auth/api-tokens/${encodeURIComponent(name)}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${emulator.apiToken}` }
  })
  expect(response.status).toBe(200)
  emulator.clearRequests()
}

describe('a database lookup whose answer has no usable Hostname', () => {
  it.each<[string, unknown]>([
    ['no database object', {}],
    ['no Hostname key', { database: { Name: 'app-db', group: 'default' } }],
    ['an empty Hostname', { database: { Name: 'app-db', Hostname: '', group: 'default' } }],
    ['a Hostname that is not text', { database: { Name: 'app-db', Hostname: 42, group: 'default' } }],
    ['the key in lower case only', { database: { Name: 'app-db', hostname: 'app-db-acme.turso.io', group: 'default' } }]
  ])('%s: the token is kept, database-url is empty, and the warning says what was missing', async (_label, body) => {
    emulator.addFault({ method: 'GET', path: LOOKUP_PATH, status: 200, body: JSON.stringify(body), times: 3 })
    const run = await runAction(databaseInputs())
    expect(run.exitCode).toBe(0)
    expect(run.outputs.token).not.toBe('')
    expect(run.outputs['database-url']).toBe('')
    expect(warnings(run)).toEqual([expect.stringContaining('the answer has no database.Hostname')])
    expectNoLeaks(run, [emulator.apiToken, run.outputs.token])
  })
})

describe('the group a database lookup reports, as rotate names it', () => {
  const rotateWithoutMint = (): Record<string, string> => databaseInputs({ operation: 'rotate', mint: 'false' })
  const lookupAnswer = (fields: Record<string, unknown>): string =>
    JSON.stringify({ database: { Name: 'app-db', Hostname: emulator.hostnameOf('app-db', 'acme'), ...fields } })

  it('a named group: says every token of that group is invalidated', async () => {
    emulator.addFault({ method: 'GET', path: LOOKUP_PATH, status: 200, body: lookupAnswer({ group: 'staging' }), times: 3 })
    const run = await runAction(rotateWithoutMint())
    expect(run.exitCode).toBe(0)
    expect(run.stdout).toContain("Invalidated every token of group 'staging' (database 'app-db' belongs to it")
  })

  it.each<[string, Record<string, unknown>]>([
    ['an empty group', { group: '' }],
    ['no group key', {}],
    ['a group that is not text', { group: 7 }],
    ['a group that is an object', { group: { name: 'staging' } }]
  ])('%s: the database alone is named, never a group', async (_label, fields) => {
    emulator.addFault({ method: 'GET', path: LOOKUP_PATH, status: 200, body: lookupAnswer(fields), times: 3 })
    const run = await runAction(rotateWithoutMint())
    expect(run.exitCode).toBe(0)
    expect(run.stdout).toContain("Invalidated every token of database 'app-db' in organization 'acme' at ")
    expect(run.stdout).not.toContain('every token of group')
    expect(run.summary).not.toContain('every token of group')
  })
})

describe("a group's database list with entries that do not belong", () => {
  // The emulator's own databases: app-db is in group default, staging-db in group staging.
  const appDb = (): string => emulator.hostnameOf('app-db', 'acme')
  const stagingDb = (): string => emulator.hostnameOf('staging-db', 'acme')
  const groupInputs = (): Record<string, string> => databaseInputs({ database: '', group: 'default', verify: 'true' })

  it('skips what is not a database object, has no text Hostname, or belongs to another group, and verifies on the first that fits', async () => {
    const databases = [
      null,
      7,
      'app-db',
      ['app-db'],
      { Name: 'staging-db', Hostname: stagingDb(), group: 'staging' },
      { Name: 'nameless' },
      { Name: 'numeric', Hostname: 1234, group: 'default' },
      { Name: 'app-db', Hostname: appDb(), group: 'default' },
      { Name: 'staging-db', Hostname: stagingDb(), group: 'staging' }
    ]
    emulator.addFault({ method: 'GET', path: LIST_PATH, status: 200, body: JSON.stringify({ databases }) })
    const run = await runAction(groupInputs())
    expect(run.exitCode).toBe(0)
    expect(run.stdout).toContain(`The group token will be verified on the first database of group 'default' (${appDb()})`)
    expect(libsqlDatabases().every((database) => database === 'app-db')).toBe(true)
    expect(libsqlDatabases().length).toBeGreaterThan(0)
  })

  it('counts an entry without a group field as a member (the list was asked for that group)', async () => {
    const databases = [{ Name: 'app-db', Hostname: appDb() }]
    emulator.addFault({ method: 'GET', path: LIST_PATH, status: 200, body: JSON.stringify({ databases }) })
    const run = await runAction(groupInputs())
    expect(run.exitCode).toBe(0)
    expect(libsqlDatabases().every((database) => database === 'app-db')).toBe(true)
    expect(libsqlDatabases().length).toBeGreaterThan(0)
  })

  it('one member with a Hostname that is not a host name spoils the list, even after a good one', async () => {
    const databases = [
      { Name: 'app-db', Hostname: appDb(), group: 'default' },
      { Name: 'analytics', Hostname: 'analytics.example/path', group: 'default' }
    ]
    emulator.addFault({ method: 'GET', path: LIST_PATH, status: 200, body: JSON.stringify({ databases }) })
    const run = await runAction(groupInputs())
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toMatch(/^::error::Could not list the databases of group 'default' in organization 'acme': a database\.Hostname in the answer is not a host name/m)
    expect(libsqlDatabases()).toEqual([])
  })

  it.each<[string, unknown]>([
    ['no databases key', { database: [] }],
    ['a databases object instead of a list', { databases: { 'app-db': { Hostname: 'x' } } }]
  ])('%s: fails saying the list is missing', async (_label, body) => {
    emulator.addFault({ method: 'GET', path: LIST_PATH, status: 200, body: JSON.stringify(body) })
    const run = await runAction(groupInputs())
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toMatch(/^::error::Could not list the databases of group 'default' in organization 'acme': the answer has no databases list/m)
  })

  it('a 404 for the list: says the organization was not found', async () => {
    emulator.addFault({ method: 'GET', path: LIST_PATH, status: 404, body: JSON.stringify({ error: 'organization not found' }) })
    const run = await runAction(groupInputs())
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toMatch(/^::error::Could not list the databases of group 'default' in organization 'acme'.*organization 'acme' was not found/m)
  })

  it('with only entries of other groups, finds nothing to verify on and fails naming the group', async () => {
    const databases = [{ Name: 'staging-db', Hostname: stagingDb(), group: 'staging' }]
    emulator.addFault({ method: 'GET', path: LIST_PATH, status: 200, body: JSON.stringify({ databases }) })
    const run = await runAction(groupInputs())
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toMatch(/^::error::.*group 'default' has no database/m)
    expect(libsqlDatabases()).toEqual([])
  })
})

describe('the token name a revoke reports', () => {
  // The DELETE is answered by a fault, so each token stays: each test mints its own.
  let minted = 0
  const freshToken = async (): Promise<string> => {
    const name = `release-bot-${++minted}`
    await mintApiToken(name)
    return name
  }

  it('a name Turso reports that the token-name input would accept is the output', async () => {
    const name = await freshToken()
    emulator.addFault({ method: 'DELETE', status: 200, body: JSON.stringify({ token: `${name} (renamed)` }) })
    const run = await runAction(revokeInputs(name))
    expect(run.exitCode).toBe(0)
    expect(run.outputs['token-name']).toBe(`${name} (renamed)`)
  })

  it.each<[string, unknown]>([
    ['empty', ''],
    ['padded with spaces', ' release-bot-2 '],
    ['a path', '../release-bot-2'],
    ['a dot segment', '..'],
    ['a bidi override', 'release\u202ebot'],
    ['too long', 'x'.repeat(256)],
    ['not text', 42]
  ])('a reported name that is %s is not used: the name sent is', async (_label, reported) => {
    const name = await freshToken()
    emulator.addFault({ method: 'DELETE', status: 200, body: JSON.stringify({ token: reported }) })
    const run = await runAction(revokeInputs(name))
    expect(run.exitCode).toBe(0)
    expect(run.outputs['token-name']).toBe(name)
  })
})

describe('a revoke whose first attempt failed', () => {
  it('a 404 after a retried 408 is an error: a 408 means the first attempt was not carried out', async () => {
    emulator.addFault({ method: 'DELETE', status: 408, headers: { 'retry-after': '0' } })
    const run = await runAction(revokeInputs('never-existed'))
    expect(run.exitCode).toBe(1)
    expect(run.outputs['token-name']).toBeUndefined()
    expect(notices(run)).toEqual([])
    expect(run.stdout).toMatch(/^::error::.*'never-existed'/m)
  })

  it('a 404 after a refused 408 and then a lost answer: the lost attempt revoked it, so it is revoked', async () => {
    await mintApiToken('lost-after-408')
    emulator.addFault(
      { method: 'DELETE', path: '/v1/auth/api-tokens/lost-after-408', status: 408, headers: { 'retry-after': '0' } },
      { method: 'DELETE', path: '/v1/auth/api-tokens/lost-after-408', dropResponse: true }
    )
    const run = await runAction(revokeInputs('lost-after-408'))
    expect(run.exitCode).toBe(0)
    expect(run.outputs['token-name']).toBe('lost-after-408')
    expect(emulator.requests.filter((request) => request.method === 'DELETE')).toHaveLength(3)
  })

  it('a 200 after a 503 is a plain revocation, not a token found already gone', async () => {
    await mintApiToken('flaky-revoke')
    emulator.addFault({ method: 'DELETE', status: 503, headers: { 'retry-after': '0' } })
    const run = await runAction(revokeInputs('flaky-revoke'))
    expect(run.exitCode).toBe(0)
    expect(run.outputs['token-name']).toBe('flaky-revoke')
    expect(notices(run)).toEqual([])
    expect(run.stdout).toContain("Revoked API token 'flaky-revoke'")
    expect(run.summary).not.toContain('already revoked')
  })
})

describe('which minted values are masked', () => {
  // Neither is a JWT, so both runs fail; the question is only whether it was masked first.
  it('a value of 8 characters, as short as a credential may be, is masked', async () => {
    emulator.addFault({ method: 'POST', path: MINT_PATH, status: 200, body: JSON.stringify({ jwt: 'tk8chars' }) })
    const run = await runAction(databaseInputs())
    expect(run.exitCode).toBe(1)
    expect(masks(run)).toEqual([`::add-mask::${emulator.apiToken}`, '::add-mask::tk8chars'])
  })

  it('a value of 7 characters is not: masking it would star out ordinary words in the rest of the log', async () => {
    emulator.addFault({ method: 'POST', path: MINT_PATH, status: 200, body: JSON.stringify({ jwt: 'tk7char' }) })
    const run = await runAction(databaseInputs())
    expect(run.exitCode).toBe(1)
    expect(masks(run)).toEqual([`::add-mask::${emulator.apiToken}`])
  })
})

describe('a mint answer that is JSON but not an object', () => {
  it.each([['a number', '42'], ['a string', '"eyJhbGciOiJFZERTQSJ9"'], ['a boolean', 'true']])('%s: fails saying so', async (_label, body) => {
    emulator.addFault({ method: 'POST', path: MINT_PATH, status: 200, body })
    const run = await runAction(databaseInputs())
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toMatch(/^::error::Could not create a token for database 'app-db' in organization 'acme': the answer is not a JSON object\./m)
    expect(run.outputs).toEqual({})
  })
})

describe('the requests sent to Turso', () => {
  it('declare a JSON body only when there is one', async () => {
    const run = await runAction(databaseInputs({ permissions: 'all:data_read' }))
    expect(run.exitCode).toBe(0)
    const mint = emulator.requests.find((request) => request.method === 'POST')
    const lookup = emulator.requests.find((request) => request.method === 'GET')
    expect(mint?.headers['content-type']).toBe('application/json')
    expect(lookup?.headers['content-type']).toBeUndefined()
  })

  it('a rotation, with no body, declares none', async () => {
    const run = await runAction(databaseInputs({ operation: 'rotate', mint: 'false' }))
    expect(run.exitCode).toBe(0)
    const rotation = emulator.requests.find((request) => request.method === 'POST')
    expect(rotation?.path).toBe('/v1/organizations/acme/databases/app-db/auth/rotate')
    expect(rotation?.headers['content-type']).toBeUndefined()
  })
})
