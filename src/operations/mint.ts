import type { Delivery } from '../inputs.js'
import type { DatabaseInfo } from '../turso/client.js'
import type { MintOptions, TokenTarget } from '../turso/targets.js'
import type { OperationContext } from './context.js'

/** A database lookup made earlier in the run (rotate does one first), or none yet. */
export type KnownDatabase = DatabaseInfo | 'lookup-failed' | undefined

/**
 * Mints a token and hands it on: outputs first (so a later failure never loses it), then the
 * optional verification, secret and environment export, in that order, so nothing is stored or
 * exported unless the token was proven to work.
 */
export async function mintAndDeliver(
  context: OperationContext,
  target: TokenTarget,
  options: MintOptions,
  delivery: Delivery,
  knownDatabase?: KnownDatabase
): Promise<void> {
  // The database lookup (for database-url) runs alongside the mint: one round trip instead of two.
  const lookup = target.kind === 'database' ? lookUpDatabase(context, target, knownDatabase) : undefined
  const { jwt, expiresAt } = await context.turso.createToken(target, options)
  context.setOutput('token', jwt)
  context.setOutput('expires-at', expiresAt === null ? '' : expiresAt.toISOString())
  const access = options.readOnly ? 'read-only' : 'full-access'
  context.info(`Minted a ${access} token, ${expiresAt === null ? 'never expiring' : `expiring ${expiresAt.toISOString()}`}`)
  context.report.facts.push(['Token', `${access}, ${expiresAt === null ? 'never expires' : `expires ${expiresAt.toISOString()}`}`])

  const database = await settleLookup(context, lookup)
  const databaseUrl = database !== undefined ? `libsql://${database.hostname}` : ''
  if (target.kind === 'database') context.setOutput('database-url', databaseUrl)

  if (delivery.verify) await verify(context, target, options, jwt, database)
  if (delivery.secret !== undefined) await storeAsSecret(context, jwt, delivery.secret)
  if (delivery.exportEnv) exportToJob(context, jwt, databaseUrl)
}

type LookupOutcome = { database: DatabaseInfo } | { failure: string } | { skipped: true }

/** Never rejects, so a lookup left pending by a failed mint cannot become an unhandled rejection. */
async function lookUpDatabase(
  context: OperationContext,
  target: Extract<TokenTarget, { kind: 'database' }>,
  known: KnownDatabase
): Promise<LookupOutcome> {
  if (known === 'lookup-failed') return { skipped: true }
  if (known !== undefined) return { database: known }
  try {
    return { database: await context.turso.getDatabase(target.organization, target.database) }
  } catch (error) {
    return { failure: (error as Error).message }
  }
}

/** The lookup's result once the token exists; its failure only warns, since the token is fine. */
async function settleLookup(context: OperationContext, lookup: Promise<LookupOutcome> | undefined): Promise<DatabaseInfo | undefined> {
  if (lookup === undefined) return undefined
  const outcome = await lookup
  if ('database' in outcome) return outcome.database
  if ('failure' in outcome) context.warning(`The token was minted, but database-url is empty: ${outcome.failure}`)
  return undefined
}

async function verify(
  context: OperationContext,
  target: TokenTarget,
  options: MintOptions,
  jwt: string,
  database: DatabaseInfo | undefined
): Promise<void> {
  const hostname = await hostnameToVerifyOn(context, target, database)
  // The write probe takes the write lock and rolls back; a fine-grained token may be denied it
  // legitimately, so it only runs for plain full-access tokens.
  const checkWrite = !options.readOnly && options.fineGrainedPermissions.length === 0
  const { verifyDatabaseToken } = await import('../verify/libsql-verify.js')
  const result = await verifyDatabaseToken({
    hostname,
    token: jwt,
    checkWrite,
    http: context.http,
    log: (message) => context.info(message)
  })
  const write = result.write === true ? 'read and write' : 'read'
  context.info(`Verified the new token on ${result.url}: ${write} access works`)
  context.report.facts.push(['Verified', `${write} on ${hostname}`])
}

async function hostnameToVerifyOn(
  context: OperationContext,
  target: TokenTarget,
  database: DatabaseInfo | undefined
): Promise<string> {
  if (target.kind === 'database') {
    if (database === undefined) {
      throw new Error('Could not verify the new token: the database lookup failed (see the warning above), so its address is unknown')
    }
    return database.hostname
  }
  // readConfig rejects verify for user-account groups, so an organization is known here.
  const organization = target.organization as string
  const databases = await context.turso.listGroupDatabases(organization, target.group)
  if (databases.length === 0) {
    throw new Error(`Could not verify the new token: group '${target.group}' has no database to run SELECT 1 on`)
  }
  context.info(`Verifying the group token on the first database of group '${target.group}' (${databases[0].hostname})`)
  return databases[0].hostname
}

async function storeAsSecret(
  context: OperationContext,
  jwt: string,
  secret: NonNullable<Delivery['secret']>
): Promise<void> {
  const { prepareSecret } = await import('../github/secret-store.js')
  const { githubToken, ...target } = secret
  const prepared = await prepareSecret(target, {
    githubToken,
    retries: context.connection.retries,
    timeoutMs: context.connection.timeoutMs,
    log: (message) => context.info(message)
  })
  await prepared.store(jwt)
  context.info(`Stored the token in secret ${secret.secretName} in ${prepared.location}`)
  context.report.facts.push(['Stored as secret', `\`${secret.secretName}\` in ${prepared.location}`])
}

function exportToJob(context: OperationContext, jwt: string, databaseUrl: string): void {
  context.exportVariable('TURSO_AUTH_TOKEN', jwt)
  const names = ['TURSO_AUTH_TOKEN']
  if (databaseUrl !== '') {
    context.exportVariable('TURSO_DATABASE_URL', databaseUrl)
    names.unshift('TURSO_DATABASE_URL')
  }
  context.info(`Exported ${names.join(' and ')} to the following steps of this job`)
  context.report.facts.push(['Exported', names.map((name) => `\`${name}\``).join(', ')])
}
