import { describe, expect, it } from '@jest/globals'
import { runBundledAction } from '../scripts/lib/runner.js'
import { createTokenInputs, type Inputs } from './support/action-inputs.js'
import { useEmulator } from './support/emulator.js'
import { useFakeGitHub } from './support/fake-github.js'
import { expectNoLeaks } from './support/leaks.js'
import { expectRefusedBeforeRequests } from './support/refusal.js'
import { runAction } from './support/run-action.js'

/**
 * The secret-organization, secret-visibility, secret-repositories and secret-type inputs, run
 * as the runner runs the action (in process, and once through dist/index.js): each destination
 * ends up holding the minted token under its own key, and every impossible combination fails
 * with one ::error:: naming the inputs before any request to Turso or GitHub.
 */
const emulator = useEmulator()
const github = useFakeGitHub()

const inputs = (extra: Inputs = {}): Inputs => createTokenInputs(emulator, github, { 'secret-name': 'TURSO_AUTH_TOKEN', ...extra })

const env = (): Record<string, string> => ({ GITHUB_API_URL: github.url, GITHUB_REPOSITORY: 'octo-org/app' })
const gitHubCalls = (): string[] => github.requests.map((request) => `${request.method} ${request.path}`)

describe('an organization secret for selected repositories', () => {
  it('resolves the repositories, stores the token under the organization key with their IDs, and says where', async () => {
    github.secrets.clear()
    const run = await runAction(
      inputs({ 'secret-organization': 'octo-org', 'secret-visibility': 'selected', 'secret-repositories': 'octo-org/api\nocto-org/web, octo-org/app' }),
      env()
    )
    expect(run.exitCode).toBe(0)
    expect(gitHubCalls()).toEqual([
      'GET /orgs/octo-org/actions/secrets/public-key',
      'GET /repos/octo-org/api',
      'GET /repos/octo-org/web',
      'GET /repos/octo-org/app',
      'PUT /orgs/octo-org/actions/secrets/TURSO_AUTH_TOKEN'
    ])
    const stored = github.secrets.get('org:octo-org:TURSO_AUTH_TOKEN')
    expect(stored?.visibility).toBe('selected')
    expect(stored?.selected_repository_ids).toEqual(['octo-org/api', 'octo-org/web', 'octo-org/app'].map((name) => github.repositoryIds.get(name)))
    expect(await github.decryptFor('organization', stored?.encrypted_value ?? '')).toBe(run.outputs.token)
    const where = 'organization octo-org (visible to selected repositories: octo-org/api, octo-org/web, octo-org/app)'
    expect(run.stdout).toContain(`Stored the token in secret TURSO_AUTH_TOKEN in ${where}`)
    expect(run.summary).toContain(`\`TURSO_AUTH_TOKEN\` in ${where}`)
    expectNoLeaks(run, [emulator.apiToken, run.outputs.token, github.token])
  })
})

describe('a Dependabot secret', () => {
  it('of the current repository (GITHUB_REPOSITORY): the Dependabot routes and key', async () => {
    github.secrets.clear()
    const run = await runAction(inputs({ 'secret-type': 'dependabot' }), env())
    expect(run.exitCode).toBe(0)
    expect(gitHubCalls()).toEqual([
      'GET /repos/octo-org/app/dependabot/secrets/public-key',
      'PUT /repos/octo-org/app/dependabot/secrets/TURSO_AUTH_TOKEN'
    ])
    const stored = github.secrets.get('dependabot:octo-org/app:TURSO_AUTH_TOKEN')
    expect(await github.decryptFor('dependabot-repository', stored?.encrypted_value ?? '')).toBe(run.outputs.token)
    expect(github.secrets.has('repo:octo-org/app:TURSO_AUTH_TOKEN')).toBe(false)
    expect(run.stdout).toContain('Stored the token in secret TURSO_AUTH_TOKEN in Dependabot secrets of repository octo-org/app')
  })

  it('without the permission: the error names "Dependabot secrets"', async () => {
    github.deniedScopes.add('dependabot-repository')
    const run = await runAction(inputs({ 'secret-type': 'dependabot' }), env())
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toMatch(/^::error::Could not write secret TURSO_AUTH_TOKEN to Dependabot secrets of repository octo-org\/app: .*"Dependabot secrets: Read and write"/m)
    expectNoLeaks(run, [emulator.apiToken, run.outputs.token, github.token])
  })
})

/** [what is wrong, inputs over the valid ones, the input the error must name, what it must say] */
const invalid: Array<[string, Record<string, string>, string, string]> = [
  ['secret-organization with secret-repository', { 'secret-organization': 'octo-org', 'secret-repository': 'octo-org/app' }, 'secret-repository', 'are both set'],
  ['secret-organization with secret-environment', { 'secret-organization': 'octo-org', 'secret-environment': 'production' }, 'secret-environment', 'are both set'],
  ['secret-environment with secret-type dependabot', { 'secret-type': 'dependabot', 'secret-environment': 'production' }, 'secret-type', 'no Dependabot environment secrets'],
  ['an unknown secret-type', { 'secret-type': 'Dependabot' }, 'secret-type', 'must be one of actions, dependabot'],
  ['an unknown secret-visibility', { 'secret-organization': 'octo-org', 'secret-visibility': 'internal' }, 'secret-visibility', 'must be one of private, all, selected'],
  ['selected without secret-repositories', { 'secret-organization': 'octo-org', 'secret-visibility': 'selected' }, 'secret-repositories', "required with 'secret-visibility' selected"],
  ['selected with only separators', { 'secret-organization': 'octo-org', 'secret-visibility': 'selected', 'secret-repositories': ' ,\n, ' }, 'secret-repositories', 'required'],
  ['secret-repositories without selected', { 'secret-organization': 'octo-org', 'secret-repositories': 'octo-org/api' }, 'secret-visibility', "only with 'secret-visibility' selected (it is 'private')"],
  ['secret-visibility without secret-organization', { 'secret-visibility': 'all' }, 'secret-organization', 'applies only to organization secrets'],
  ['secret-repositories without secret-organization', { 'secret-repositories': 'octo-org/api' }, 'secret-organization', 'applies only to organization secrets'],
  ['a selected repository of another owner', { 'secret-organization': 'octo-org', 'secret-visibility': 'selected', 'secret-repositories': 'octo-org/api, someone/tool' }, 'secret-repositories', 'does not belong to organization octo-org'],
  ['a malformed selected repository', { 'secret-organization': 'octo-org', 'secret-visibility': 'selected', 'secret-repositories': 'octo-org/api\nweb' }, 'secret-repositories', "got 'web'"],
  ['an organization name GitHub refuses', { 'secret-organization': 'octo_org' }, 'secret-organization', 'must be a GitHub organization name']
]

describe('invalid secret destinations', () => {
  it.each(invalid)('%s: fails naming the inputs and sends nothing', async (_what, extra, input, says) => {
    const run = await runAction(inputs(extra), env())
    expectRefusedBeforeRequests(run, input, says, { emulator, github })
  })
})

describe('secret-* inputs without secret-name', () => {
  it('warn that they are ignored, and store nothing', async () => {
    const run = await runAction(inputs({ 'secret-name': '', 'secret-organization': 'octo-org', 'secret-type': 'dependabot' }), env())
    expect(run.exitCode).toBe(0)
    expect(run.stdout).toContain("::warning::Input 'secret-organization' is ignored: no 'secret-name' is set, so no secret is written")
    expect(run.stdout).toContain("::warning::Input 'secret-type' is ignored")
    expect(run.stdout).not.toContain("Input 'secret-visibility' is ignored")
    expect(github.requests).toEqual([])
  })
})

describe('dist/index.js', () => {
  it('stores a Dependabot organization secret for selected repositories that opens to the output token', async () => {
    github.secrets.clear()
    const run = await runBundledAction(
      inputs({ 'secret-type': 'dependabot', 'secret-organization': 'octo-org', 'secret-visibility': 'selected', 'secret-repositories': 'octo-org/app' }),
      env()
    )
    expect(run.stderr).toBe('')
    expect(run.exitCode).toBe(0)
    expect(gitHubCalls()).toEqual([
      'GET /orgs/octo-org/dependabot/secrets/public-key',
      'GET /repos/octo-org/app',
      'PUT /orgs/octo-org/dependabot/secrets/TURSO_AUTH_TOKEN'
    ])
    const stored = github.secrets.get('dependabot-org:octo-org:TURSO_AUTH_TOKEN')
    expect(stored?.selected_repository_ids).toEqual([github.repositoryIds.get('octo-org/app')])
    expect(await github.decryptFor('dependabot-organization', stored?.encrypted_value ?? '')).toBe(run.outputs.token)
    expect(run.stdout).toContain('Stored the token in secret TURSO_AUTH_TOKEN in Dependabot secrets of organization octo-org (visible to selected repositories: octo-org/app)')
    expectNoLeaks(run, [emulator.apiToken, run.outputs.token, github.token])
  })

  it('refuses secret-organization with secret-repository before any request', async () => {
    const run = await runBundledAction(inputs({ 'secret-organization': 'octo-org', 'secret-repository': 'octo-org/app' }), env())
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toMatch(/^::error::Inputs 'secret-organization' and 'secret-repository' are both set/m)
    expect(emulator.requests).toEqual([])
    expect(github.requests).toEqual([])
  })
})
