/**
 * dry-run: the requests a real run would send, printed in order and listed in the summary, for
 * each operation and target; and nothing sent, nothing set.
 */
import { describe, expect, it } from '@jest/globals'
import { useEmulator } from './support/emulator.js'
import { expectNoLeaks } from './support/leaks.js'
import { runAction, type InProcessRun } from './support/run-action.js'

const emulator = useEmulator()

function inputs(extra: Record<string, string>): Record<string, string> {
  return { 'api-url': emulator.url, 'api-token': emulator.apiToken, 'dry-run': 'true', ...extra }
}

const DB_TOKENS = '/v1/organizations/acme/databases/app-db/auth/tokens'
const DB_ROTATE = '/v1/organizations/acme/databases/app-db/auth/rotate'
const DB_LOOKUP = '/v1/organizations/acme/databases/app-db'
const GROUP_TOKENS = '/v1/organizations/acme/groups/default/auth/tokens'
const GROUP_ROTATE = '/v1/organizations/acme/groups/default/auth/rotate'
const GROUP_DATABASES = '/v1/organizations/acme/databases?group=default'
// A database's group is known only from its lookup.
const ITS_GROUP_DATABASES = '/v1/organizations/acme/databases?group={group}'
const DB_CONFIGURATION = '/v1/organizations/acme/databases/app-db/configuration'
const PROBE_DB = `POST ${DB_TOKENS}?expiration=1s&authorization=full-access`
const PROBE_GROUP = `POST ${GROUP_TOKENS}?expiration=1s&authorization=full-access`

/** The planned requests, as printed under the "Dry run" line. */
function planned(run: InProcessRun): string[] {
  const lines = run.stdout.split('\n')
  const start = lines.findIndex((line) => line.startsWith('Dry run: validated the inputs; these requests would be sent to '))
  expect(start).toBeGreaterThanOrEqual(0)
  const plan: string[] = []
  for (const line of lines.slice(start + 1)) {
    if (!line.startsWith('  ')) break
    plan.push(line.slice(2))
  }
  return plan
}

/** A dry run sends nothing, sets nothing, succeeds, and lists each planned request in the summary. */
function expectPlanOnly(run: InProcessRun): string[] {
  expect(run.exitCode).toBe(0)
  expect(emulator.requests).toEqual([])
  expect(run.outputs).toEqual({})
  expect(run.exported).toEqual({})
  expect(run.stdout).toContain(`these requests would be sent to ${emulator.url}:`)
  const plan = planned(run)
  for (const line of plan) expect(run.summary).toContain(`| Would send | \`${line}\` |`)
  expect(run.summary).toContain('🧪 dry run, nothing sent')
  expectNoLeaks(run, [emulator.apiToken])
  return plan
}

describe('dry-run create-token', () => {
  it('database: the mint (with its query and body), then the lookup', async () => {
    const run = await runAction(inputs({ operation: 'create-token', organization: 'acme', database: 'app-db', 'read-only': 'true', expiration: '2w', 'attach-databases': 'analytics' }))
    expect(expectPlanOnly(run)).toEqual([
      `POST ${DB_TOKENS}?expiration=2w&authorization=read-only body {"permissions":{"read_attach":{"databases":["analytics"]}}}`,
      `GET ${DB_LOOKUP}`
    ])
    expect(run.summary).toContain("| Target | database 'app-db' in organization 'acme' |")
  })

  it('database with verify: its configuration first, no group database list (the lookup gives the address)', async () => {
    const run = await runAction(inputs({ operation: 'create-token', organization: 'acme', database: 'app-db', verify: 'true' }))
    expect(expectPlanOnly(run)).toEqual([`GET ${DB_CONFIGURATION}`, `POST ${DB_TOKENS}?expiration=never&authorization=full-access`, `GET ${DB_LOOKUP}`])
  })

  it('group without verify: the mint alone, without a body', async () => {
    const run = await runAction(inputs({ operation: 'create-token', organization: 'acme', group: 'default' }))
    expect(expectPlanOnly(run)).toEqual([`POST ${GROUP_TOKENS}?expiration=never&authorization=full-access`])
  })

  it('group with verify: the mint, then the list of the group\'s databases', async () => {
    const run = await runAction(inputs({ operation: 'create-token', organization: 'acme', group: 'default', verify: 'true' }))
    expect(expectPlanOnly(run)).toEqual([`POST ${GROUP_TOKENS}?expiration=never&authorization=full-access`, `GET ${GROUP_DATABASES}`])
  })

  it("a user account's group: the user-account path, and no database list", async () => {
    const run = await runAction(inputs({ operation: 'create-token', group: 'default' }))
    expect(expectPlanOnly(run)).toEqual(['POST /v1/groups/default/auth/tokens?expiration=never&authorization=full-access'])
  })
})

describe('dry-run rotate', () => {
  it('database: the lookup, its group\'s databases, the throw-away mint, the rotation, then the replacement mint', async () => {
    const run = await runAction(inputs({ operation: 'rotate', organization: 'acme', database: 'app-db' }))
    expect(expectPlanOnly(run)).toEqual([
      `GET ${DB_LOOKUP}`,
      `GET ${ITS_GROUP_DATABASES}`,
      PROBE_DB,
      `POST ${DB_ROTATE}`,
      `POST ${DB_TOKENS}?expiration=never&authorization=full-access`
    ])
    expect(run.summary).toContain("| Target | database 'app-db' in organization 'acme' |")
  })

  it('database with verify: its configuration too', async () => {
    const run = await runAction(inputs({ operation: 'rotate', organization: 'acme', database: 'app-db', verify: 'true' }))
    expect(expectPlanOnly(run)).toEqual([
      `GET ${DB_LOOKUP}`,
      `GET ${ITS_GROUP_DATABASES}`,
      `GET ${DB_CONFIGURATION}`,
      PROBE_DB,
      `POST ${DB_ROTATE}`,
      `POST ${DB_TOKENS}?expiration=never&authorization=full-access`
    ])
  })

  it('database with mint false: the lookup and the rotation, no mint', async () => {
    const run = await runAction(inputs({ operation: 'rotate', organization: 'acme', database: 'app-db', mint: 'false' }))
    expect(expectPlanOnly(run)).toEqual([`GET ${DB_LOOKUP}`, `GET ${ITS_GROUP_DATABASES}`, `POST ${DB_ROTATE}`])
  })

  it('group without verify: the rotation, then the mint', async () => {
    const run = await runAction(inputs({ operation: 'rotate', organization: 'acme', group: 'default', expiration: '1d' }))
    expect(expectPlanOnly(run)).toEqual([`GET ${GROUP_DATABASES}`, PROBE_GROUP, `POST ${GROUP_ROTATE}`, `POST ${GROUP_TOKENS}?expiration=1d&authorization=full-access`])
    expect(run.summary).toContain("| Target | group 'default' in organization 'acme' |")
  })

  it('group with verify: the database list is planned too, and the rotation still comes before the mint', async () => {
    const run = await runAction(inputs({ operation: 'rotate', organization: 'acme', group: 'default', verify: 'true' }))
    const plan = expectPlanOnly(run)
    expect(plan).toEqual([
      `GET ${GROUP_DATABASES}`,
      'GET /v1/organizations/acme/databases/{database}/configuration',
      PROBE_GROUP,
      `POST ${GROUP_ROTATE}`,
      `POST ${GROUP_TOKENS}?expiration=never&authorization=full-access`
    ])
  })

  it('group with mint false: the group\'s databases, then the rotation', async () => {
    const run = await runAction(inputs({ operation: 'rotate', organization: 'acme', group: 'default', mint: 'false' }))
    expect(expectPlanOnly(run)).toEqual([`GET ${GROUP_DATABASES}`, `POST ${GROUP_ROTATE}`])
  })
})

describe('dry-run revoke', () => {
  it('ends with the DELETE of the named token, percent-encoded', async () => {
    const run = await runAction(inputs({ operation: 'revoke', 'token-name': 'ci token #2' }))
    const plan = expectPlanOnly(run)
    expect(plan.at(-1)).toBe('DELETE /v1/auth/api-tokens/ci%20token%20%232')
    expect(run.summary).not.toContain('| Target |')
  })
})
