/**
 * `npm run emulator [-- --host H --port P]`: runs the Turso emulator until SIGINT/SIGTERM.
 * Prints the API URL, the API token to use (an obviously fake value), the names of every seeded
 * API token (what `revoke` can be tried on) and each database's host.
 */
import { parseArgs } from 'node:util'
import { DEFAULT_GITHUB_SEED } from './github.js'
import { loadDefaultSeed, type SeedApiToken } from './seed.js'
import { startEmulator } from './server.js'

const DEFAULT_PORT = 8787

/** What to do when the port is taken: the message names --port (and --port 0). */
function describeStartFailure(error: unknown, host: string, port: number): string {
  const code = (error as { code?: unknown }).code
  if (code === 'EADDRINUSE') {
    return (
      `port ${port} on ${host} is already in use (another emulator still running?). ` +
      'Stop that process, or choose another port: npm run emulator -- --port N, or --port 0 for any free port (the URL to use is printed).'
    )
  }
  if (code === 'EACCES') return `not allowed to listen on port ${port} of ${host}: choose a port above 1023 with --port N, or --port 0 for any free port.`
  return (error as Error).message
}

/** `name`, with the scope of an organization or group token: `staging-bot (acme/staging)`. */
function describeApiToken(token: SeedApiToken): string {
  const scope = [token.organization, token.group].filter((part) => part !== undefined).join('/')
  return scope === '' ? token.name : `${token.name} (${scope})`
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { host: { type: 'string', default: '127.0.0.1' }, port: { type: 'string', default: String(DEFAULT_PORT) } }
  })
  const port = Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be an integer from 0 to 65535, got "${values.port}"`)

  const seed = loadDefaultSeed()
  const emulator = await startEmulator({ host: values.host, port, seed }).catch((error: unknown) => {
    throw new Error(describeStartFailure(error, values.host, port))
  })
  const { databases } = (await (await fetch(`${emulator.url}/_emulator/databases`)).json()) as {
    databases: { organization: string; name: string; hostname: string }[]
  }
  console.log(`Turso emulator listening on ${emulator.url}`)
  if (emulator.url !== `http://127.0.0.1:${DEFAULT_PORT}`) {
    // .env.example and the docs say 8787: say what to use instead.
    console.log(`Not the default port ${DEFAULT_PORT}: use api-url ${emulator.url} (INPUT_API-URL in .env) and GITHUB_API_URL=${emulator.githubUrl}`)
  }
  console.log(`API token: ${emulator.apiToken}  (api-token, or TURSO_API_TOKEN)`)
  console.log(`GitHub secrets API: ${emulator.githubUrl}  (GITHUB_API_URL; any non-empty github-token)`)
  console.log(`  repositories ${Object.keys(DEFAULT_GITHUB_SEED.repositories).join(', ')}; organizations ${DEFAULT_GITHUB_SEED.organizations.join(', ')}`)
  console.log(`Seeded API tokens (token-name for revoke): ${seed.apiTokens.map(describeApiToken).join(', ')}`)
  console.log('Databases (libSQL pipeline at http://<host>/v2/pipeline):')
  for (const db of databases) console.log(`  ${db.organization}/${db.name}  ${db.hostname}`)
  console.log('Control routes: POST|DELETE /_emulator/faults, GET|DELETE /_emulator/requests, POST /_emulator/verify, GET /_emulator/github/secrets')
  console.log('Another port: npm run emulator -- --port N (0: any free port). Stop with Ctrl-C.')

  let stopping = false
  const stop = (signal: string): void => {
    if (stopping) return
    stopping = true
    console.log(`${signal} received, closing the emulator`)
    emulator.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`could not close cleanly: ${(error as Error).message}`)
        process.exit(1)
      }
    )
  }
  process.on('SIGINT', () => stop('SIGINT'))
  process.on('SIGTERM', () => stop('SIGTERM'))
}

main().catch((error: unknown) => {
  console.error(`Turso emulator failed to start: ${(error as Error).message}`)
  process.exit(1)
})
