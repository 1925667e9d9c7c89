/**
 * The demo's API-token part: create a scoped Platform API token into a GitHub secret, then let a
 * run that authenticates with that secret rotate it (rotate-api-token), and show the old token
 * refused, the secret holding the new one, and an unrelated token of a similar name untouched.
 * The secret lives on the emulator's GitHub side, which opens what it stores with its private key.
 */
import type { Emulator } from '../../emulator/server.js'
import { runBundledAction, type ActionRun } from './runner.js'

export interface DemoOutput {
  check(label: string, ok: boolean): void
  showRun(title: string, run: ActionRun): void
}

const REPOSITORY = 'acme/api'
const SECRET = 'TURSO_API_TOKEN'

export async function demoApiTokenRotation(emulator: Emulator, { check, showRun }: DemoOutput): Promise<void> {
  const readSecret = async (): Promise<string> => emulator.github.secretValue(`repository ${REPOSITORY}`, SECRET) ?? ''
  const validates = async (token: string): Promise<boolean> =>
    (await fetch(`${emulator.url}/v1/auth/validate`, { headers: { authorization: `Bearer ${token}` } })).status === 200
  const common = { 'api-url': emulator.url, organization: 'acme', 'token-name': 'ci-bot', 'secret-name': SECRET, 'secret-repository': REPOSITORY, 'github-token': 'demo-github-token' }
  const env = { GITHUB_API_URL: emulator.githubUrl }
  // A token of another name that merely starts the same way: rotation must never touch it.
  await fetch(`${emulator.url}/v1/auth/api-tokens/ci-bot-other`, { method: 'POST', headers: { authorization: `Bearer ${emulator.apiToken}` }, body: '{"organization":"acme"}' })

  const created = await runBundledAction(
    { ...common, operation: 'create-api-token', group: 'default', scopes: 'read, db:mint-token, db:rotate-creds', verify: 'true' },
    { ...env, TURSO_API_TOKEN: emulator.apiToken }
  )
  showRun("create-api-token 'ci-bot' pinned to group 'default' (scopes read, db:mint-token, db:rotate-creds), stored in secret TURSO_API_TOKEN", created)
  const first = await readSecret()
  check('the secret holds the new scoped API token', created.exitCode === 0 && first === created.outputs.token)

  // The scheduled workflow: api-token is the secret it then replaces.
  const rotated = await runBundledAction({ ...common, operation: 'rotate-api-token', group: 'default', scopes: 'read, db:mint-token, db:rotate-creds' }, { ...env, TURSO_API_TOKEN: first })
  showRun('rotate-api-token: the token in the secret replaces itself (create ci-bot-<stamp>, validate, store, then revoke ci-bot)', rotated)
  const second = await readSecret()
  check('the rotation succeeded and revoked exactly the previous generation', rotated.exitCode === 0 && rotated.outputs['revoked-tokens'] === 'ci-bot')
  check(`the secret now holds the new generation ${rotated.outputs['token-name'] ?? ''}`, second === rotated.outputs.token && second !== first)
  check('the old API token is refused by GET /v1/auth/validate, the new one accepted', !(await validates(first)) && (await validates(second)))
  const listed = await fetch(`${emulator.url}/v1/auth/api-tokens`, { headers: { authorization: `Bearer ${emulator.apiToken}` } })
  const names = ((await listed.json()) as { tokens: Array<{ name: string }> }).tokens.map((token) => token.name)
  check("'ci-bot-other' was left alone", names.includes('ci-bot-other'))
  check('neither API token appears in either log but on its mask line', [created, rotated].every((run) => [first, second].every((token) => run.stdout.split(token).length <= 2)))
}
