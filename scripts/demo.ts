/**
 * `npm run demo`: the action end to end on the local Turso API emulator. Starts the emulator,
 * runs the bundled dist/index.js exactly as a GitHub runner would, shows the outputs (the token
 * masked), proves the token works, then rotates and shows the old token refused. The rotation
 * meets a short downtime, as Turso documents one ("A short downtime is required to complete the
 * changes"): the emulator answers 503, then 401 while the new key "propagates", and `verify`
 * waits it out. The replacement is stored as the GitHub secret TURSO_DB_TOKEN on the emulator's
 * GitHub side, which opens it with its private key to show it holds the token. Exits 0 only
 * when every check held, and leaves no process behind.
 */
import { startEmulator, type Emulator } from '../emulator/server.js'
import { demoApiTokenRotation } from './lib/demo-api-token.js'
import { ensureFreshDist } from './lib/dist-freshness.js'
import { projectRoot, runBundledAction, type ActionRun } from './lib/runner.js'

const ORGANIZATION = 'acme'
const DATABASE = 'app-db'
/** Where the rotation stores its token: a repository of the emulator's GitHub side. */
const SECRET = { 'secret-name': 'TURSO_DB_TOKEN', 'secret-repository': 'acme/app', 'github-token': 'emulator-github-token' }

let failures = 0

function check(label: string, ok: boolean): void {
  console.log(`  ${ok ? '✔' : '✘'} ${label}`)
  if (!ok) failures++
}

function maskedForDisplay(token: string): string {
  return token === '' ? '(empty)' : `*** (a ${token.split('.').length}-part JWT, ${token.length} characters, masked)`
}

function showRun(title: string, run: ActionRun): void {
  console.log(`\n▶ ${title}  (exit code ${run.exitCode}, ${Math.round(run.elapsedMs)} ms)`)
  const log = run.stdout
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('::add-mask::'))
    .map((line) => `    │ ${line}`)
  console.log(log.join('\n'))
  const outputs = Object.entries(run.outputs).map(
    ([name, value]) => `    ${name} = ${name === 'token' ? maskedForDisplay(value) : value === '' ? "''" : value}`
  )
  console.log('  outputs:\n' + outputs.join('\n'))
}

async function main(): Promise<void> {
  if (!ensureFreshDist(projectRoot)) {
    process.exitCode = 1
    return
  }
  const emulator: Emulator = await startEmulator()
  console.log(`Turso Platform API emulator on ${emulator.url}`)
  const common = { 'api-url': emulator.url, organization: ORGANIZATION, database: DATABASE }
  const env = { TURSO_API_TOKEN: emulator.apiToken }
  try {
    const created = await runBundledAction({ ...common, operation: 'create-token', expiration: '7d', verify: 'true' }, env)
    showRun(`create-token for database '${DATABASE}' (expiration 7d, verify true)`, created)
    const token = created.outputs.token ?? ''
    check('the step succeeded', created.exitCode === 0)
    check('the token was masked before anything else printed it', created.stdout.startsWith(`::add-mask::${emulator.apiToken}`) && created.stdout.includes(`::add-mask::${token}`))
    check('the token appears nowhere in the log but its mask line', created.stdout.split(token).length === 2)
    check('the token verifies on the database', emulator.verifyDatabaseToken(token, DATABASE, ORGANIZATION).valid)

    // After the rotation, the group's databases answer 503 for 1.2 s, then 401 for 2.5 s.
    emulator.setAvailability({ afterRotation: [{ mode: '503', ms: 1200 }, { mode: '401', ms: 2500 }] })
    const rotated = await runBundledAction(
      { ...common, ...SECRET, operation: 'rotate', expiration: '30d', verify: 'true', 'export-env': 'true' },
      { ...env, GITHUB_API_URL: emulator.githubUrl }
    )
    showRun(`rotate database '${DATABASE}' (invalidate every token, mint a replacement, verify through a 3.7 s downtime, store it as a secret of ${SECRET['secret-repository']})`, rotated)
    check('the rotation succeeded', rotated.exitCode === 0)
    const waits = rotated.stdout.split('\n').filter((line) => line.startsWith('Database not ready') || / failed \(HTTP 503\)/.test(line))
    check(`verify waited out the downtime (${waits.length} wait(s) logged) before the token was exported`, waits.length > 0 && rotated.stdout.indexOf('Verified the new token') < rotated.stdout.indexOf('Exported'))
    check('the exported token is the verified one', rotated.exported.TURSO_AUTH_TOKEN === rotated.outputs.token)
    const oldCheck = emulator.verifyDatabaseToken(token, DATABASE, ORGANIZATION)
    check(`the old token is refused now (${oldCheck.valid ? 'still valid!' : oldCheck.reason})`, !oldCheck.valid)
    check('the replacement token verifies', emulator.verifyDatabaseToken(rotated.outputs.token ?? '', DATABASE, ORGANIZATION).valid)
    const stored = emulator.github.secretValue(`repository ${SECRET['secret-repository']}`, SECRET['secret-name'])
    check(`stored ${SECRET['secret-name']}, opens to the token: ${stored === rotated.outputs.token ? 'yes' : 'no'}`, stored !== undefined && stored === rotated.outputs.token)
    await demoApiTokenRotation(emulator, { check, showRun })
  } finally {
    await emulator.close()
  }
  console.log(failures === 0 ? '\nDemo passed: every check held.' : `\nDemo FAILED: ${failures} check(s) did not hold.`)
  process.exitCode = failures === 0 ? 0 : 1
}

await main()
