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

describe('dry-run create-api-token and rotate-api-token', () => {
  it('create-api-token: the POST with its body, then validate with verify', async () => {
    const plan = expectPlanOnly(await runAction(inputs({ operation: 'create-api-token', organization: 'acme', 'token-name': 'ci', group: 'staging', scopes: 'read,db:mint-token', verify: 'true' })))
    expect(plan).toEqual(['POST /v1/auth/api-tokens/ci body {"organization":"acme","group":"staging","scopes":["read","db:mint-token"]}', 'GET /v1/auth/validate'])
  })

  it('create-api-token without verify: the POST alone, with the organization body', async () => {
    const plan = expectPlanOnly(await runAction(inputs({ operation: 'create-api-token', organization: 'acme', 'token-name': 'ci bot' })))
    expect(plan).toEqual(['POST /v1/auth/api-tokens/ci%20bot body {"organization":"acme"}'])
  })

  it('rotate-api-token: create the stamped generation, validate, list, revoke the previous ones', async () => {
    const run = await runAction(
      inputs({ operation: 'rotate-api-token', organization: 'acme', 'token-name': 'ci', 'secret-name': 'TURSO_API_TOKEN', 'secret-repository': 'octo-org/app', 'github-token': 'ghp_dryRunToken0123456789' })
    )
    const plan = planned(run)
    expect(run.exitCode).toBe(0)
    expect(emulator.requests).toEqual([])
    expect(plan.filter((line) => !line.includes('/repos/'))).toEqual([
      'POST /v1/auth/api-tokens/ci-{yyyymmddThhmmssZ} body {"organization":"acme"}',
      'GET /v1/auth/validate',
      'GET /v1/auth/api-tokens',
      'DELETE /v1/auth/api-tokens/{previous generation}'
    ])
    expectNoLeaks(run, [emulator.apiToken, 'ghp_dryRunToken0123456789'])
  })
})

describe("dry-run with secret-name: GitHub's requests in their place", () => {
  const GITHUB = 'https://ghes.example.com/api/v3'
  const GITHUB_TOKEN = 'ghp_dryRunTokenNeverPrinted0123456789'
  const SEALED = '{"encrypted_value":"{the token, sealed to that public key}","key_id":"{key_id of that public key}"'

  function secretInputs(extra: Record<string, string>): Record<string, string> {
    return inputs({ organization: 'acme', 'secret-name': 'TURSO_DB_TOKEN', 'github-token': GITHUB_TOKEN, ...extra })
  }

  it('create-token: the public key before the mint, the PUT after the lookup; GITHUB_API_URL is the base', async () => {
    // A trailing slash (or two) in GITHUB_API_URL does not double the path's first one, as in the secret store.
    const run = await runAction(secretInputs({ operation: 'create-token', database: 'app-db', 'secret-repository': 'acme/app' }), { GITHUB_API_URL: `${GITHUB}//` })
    expect(expectPlanOnly(run)).toEqual([
      `GET ${GITHUB}/repos/acme/app/actions/secrets/public-key`,
      `POST ${DB_TOKENS}?expiration=never&authorization=full-access`,
      `GET ${DB_LOOKUP}`,
      `PUT ${GITHUB}/repos/acme/app/actions/secrets/TURSO_DB_TOKEN body ${SEALED}}`
    ])
    expectNoLeaks(run, [GITHUB_TOKEN])
  })

  it('rotate: every check, then the public key, all before the rotation; without GITHUB_API_URL, api.github.com', async () => {
    const run = await runAction(secretInputs({ operation: 'rotate', database: 'app-db', 'secret-repository': 'acme/app', 'secret-environment': 'prod eu/1' }), { GITHUB_API_URL: '' })
    expect(expectPlanOnly(run)).toEqual([
      `GET ${DB_LOOKUP}`,
      'GET /v1/organizations/acme/databases?group={group}',
      'GET https://api.github.com/repos/acme/app/environments/prod%20eu%2F1/secrets/public-key',
      `POST ${DB_TOKENS}?expiration=1s&authorization=full-access`,
      `POST ${DB_ROTATE}`,
      `POST ${DB_TOKENS}?expiration=never&authorization=full-access`,
      `PUT https://api.github.com/repos/acme/app/environments/prod%20eu%2F1/secrets/TURSO_DB_TOKEN body ${SEALED}}`
    ])
  })

  it('an organization secret for selected repositories: the public key, each repository ID, and the PUT with visibility and the IDs', async () => {
    const run = await runAction(
      secretInputs({ operation: 'create-token', group: 'default', 'secret-organization': 'acme', 'secret-visibility': 'selected', 'secret-repositories': 'acme/app, acme/api' }),
      { GITHUB_API_URL: GITHUB }
    )
    expect(expectPlanOnly(run)).toEqual([
      `GET ${GITHUB}/orgs/acme/actions/secrets/public-key`,
      `GET ${GITHUB}/repos/acme/app`,
      `GET ${GITHUB}/repos/acme/api`,
      `POST ${GROUP_TOKENS}?expiration=never&authorization=full-access`,
      `PUT ${GITHUB}/orgs/acme/actions/secrets/TURSO_DB_TOKEN body ${SEALED},"visibility":"selected","selected_repository_ids":["{id of acme/app}","{id of acme/api}"]}`
    ])
  })

  it.each([
    [{ 'secret-organization': 'acme', 'secret-type': 'dependabot' }, '/orgs/acme/dependabot/secrets', ',"visibility":"private"'],
    [{ 'secret-repository': 'acme/web', 'secret-type': 'dependabot' }, '/repos/acme/web/dependabot/secrets', '']
  ])('Dependabot destinations (%j)', async (destination, collection, extraBody) => {
    const run = await runAction(secretInputs({ operation: 'create-token', group: 'default', ...destination }), { GITHUB_API_URL: GITHUB })
    const plan = expectPlanOnly(run)
    expect(plan[0]).toBe(`GET ${GITHUB}${collection}/public-key`)
    expect(plan.at(-1)).toBe(`PUT ${GITHUB}${collection}/TURSO_DB_TOKEN body ${SEALED}${extraBody}}`)
  })
})

describe('dry-run tells the truth: a real run sends what it planned', () => {
  it('create-token into a secret on the emulator\'s GitHub side: the same requests, GitHub\'s included', async () => {
    const secret = { organization: 'acme', database: 'app-db', 'secret-name': 'PLANNED', 'secret-repository': 'acme/app', 'github-token': 'any-token' }
    const env = { GITHUB_API_URL: emulator.githubUrl }
    const plan = planned(await runAction(inputs({ operation: 'create-token', ...secret }), env))
    const real = await runAction({ ...inputs({ operation: 'create-token', ...secret }), 'dry-run': 'false' }, env)
    expect(real.exitCode).toBe(0)
    const sent = emulator.requests.map((request) => `${request.method} ${request.target === 'github' ? emulator.url : ''}${request.path}${Object.keys(request.query).length === 0 ? '' : `?${new URLSearchParams(request.query).toString()}`}`)
    const planWithoutBodies = plan.map((line) => line.replace(/ body .*$/u, ''))
    // The mint and the lookup run concurrently: compare as sets, and the GitHub order exactly.
    expect([...sent].sort()).toEqual([...planWithoutBodies].sort())
    expect(sent[0]).toBe(planWithoutBodies[0])
    expect(sent.at(-1)).toBe(planWithoutBodies.at(-1))
  })
})
