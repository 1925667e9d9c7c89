import type { PreparedSecret } from '../github/secret-store.js'
import { describeSecretTargets } from '../github/secret-targets.js'
import type { Delivery, SecretDestination } from '../inputs.js'
import type { DatabaseInfo, GroupDatabase } from '../turso/client.js'
import type { MintOptions, TokenTarget } from '../turso/targets.js'
import type { OperationContext } from './context.js'
import { ConcurrentRotationError, sentence, UnverifiedReplacementError } from './rotation-errors.js'
import { listInWords } from '../runner/wording.js'

/** A database lookup made earlier in the run (rotate does one first), or none yet. */
export type KnownDatabase = DatabaseInfo | 'lookup-failed' | undefined

/** What was learnt or set up before minting, so nothing is asked twice. */
export interface Prepared {
  /** The database target's lookup, made before a rotation. */
  database?: KnownDatabase
  /** A group target with verify: the database to run the check on, found before a rotation. */
  verifyHostname?: string
  /** With secret-name: the target's public key is already read; `store` PUTs the sealed token. */
  secret?: PreparedSecret
  /** The database to verify on blocks writes (its configuration): verify checks reads only. */
  writesBlocked?: boolean
}

/** Set when this run has just invalidated the target's old tokens. */
export interface Rotation {
  rotatedAt: string
  /** The rotate request got no clear answer: the old tokens may, not must, be invalid. */
  outcomeUnknown?: boolean
}

/**
 * Mints a token and hands it on: outputs first (so a later failure never loses it), then the
 * optional verification, secret and environment export, in that order. Without a rotation
 * nothing is stored or exported unless the token was proven to work. After a rotation the old
 * tokens are dead whatever happens, so an unverified replacement is still delivered before the
 * step fails; and a verified one is checked once more after delivery, because a concurrent
 * rotation of the same group would have killed it.
 */
export async function mintAndDeliver(
  context: OperationContext,
  target: TokenTarget,
  options: MintOptions,
  delivery: Delivery,
  prepared: Prepared = {},
  rotation?: Rotation
): Promise<void> {
  // The database lookup (for database-url) runs alongside the mint: one round trip instead of two.
  // The mint is sent first, so it takes the first connection opened at start-up (src/startup).
  const minting = context.turso.createToken(target, options)
  const lookup = target.kind === 'database' ? lookUpDatabase(context, target, prepared.database) : undefined
  const { jwt, expiresAt } = await minting
  context.setOutput('token', jwt)
  context.setOutput('expires-at', expiresAt === null ? '' : expiresAt.toISOString())
  const access = options.readOnly ? 'read-only' : 'full-access'
  context.info(`Minted a ${access} token, ${expiresAt === null ? 'never expiring' : `expiring ${expiresAt.toISOString()}`}`)
  context.report.facts.push(['Token', `${access}, ${expiresAt === null ? 'never expires' : `expires ${expiresAt.toISOString()}`}`])

  const database = await settleLookup(context, lookup)
  const databaseUrl = database !== undefined ? `libsql://${database.hostname}` : ''
  if (target.kind === 'database') context.setOutput('database-url', databaseUrl)

  let hostname: string | undefined
  let unverified: Error | undefined
  if (delivery.verify) {
    try {
      hostname = await hostnameToVerifyOn(context, target, database, prepared.verifyHostname)
      await verify(context, options, jwt, hostname, delivery.verifyTimeoutMs, rotation !== undefined, prepared.writesBlocked === true)
    } catch (error) {
      if (rotation === undefined) throw error
      unverified = error as Error
    }
  }
  if (delivery.secret !== undefined) await storeAsSecret(context, jwt, delivery.secret, prepared.secret)
  if (delivery.exportEnv) exportToJob(context, jwt, databaseUrl)

  if (rotation === undefined) return
  if (unverified !== undefined) {
    context.report.facts.push(['Verified', 'no: delivered unverified, because the old tokens were already invalid'])
    throw new UnverifiedReplacementError(unverifiedMessage(target, delivery, rotation, unverified))
  }
  const delivered = delivery.secret !== undefined || delivery.exportEnv
  if (delivery.verify && delivered && hostname !== undefined) await recheckAfterDelivery(context, jwt, hostname, delivery)
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
  options: MintOptions,
  jwt: string,
  hostname: string,
  timeoutMs: number,
  afterRotation: boolean,
  writesBlocked: boolean
): Promise<void> {
  // The write probe takes the write lock and rolls back; a fine-grained token may be denied it
  // legitimately, so it only runs for plain full-access tokens, on a database that allows writes.
  const checkWrite = !options.readOnly && options.fineGrainedPermissions.length === 0 && !writesBlocked
  const { verifyWhenReady } = await import('../verify/readiness.js')
  const result = await verifyWhenReady(
    { hostname, token: jwt, checkWrite, http: context.http, log: (message) => context.info(message) },
    { timeoutMs, afterRotation }
  )
  const write = result.write === true ? 'read and write' : 'read'
  context.info(`Verified the new token on ${result.url}: ${write} access works`)
  context.report.facts.push(['Verified', `${write} on ${hostname}`])
}

/**
 * One more `SELECT 1` after the token was stored or exported. Two rotations of one group at once
 * (two workflows, or two databases of the group) each mint a token, and the later rotation kills
 * the earlier token, possibly after it verified. A refusal now means exactly that.
 */
async function recheckAfterDelivery(context: OperationContext, jwt: string, hostname: string, delivery: Delivery): Promise<void> {
  const { verifyWhenReady } = await import('../verify/readiness.js')
  const { TokenVerificationError } = await import('../verify/errors.js')
  try {
    await verifyWhenReady(
      { hostname, token: jwt, checkWrite: false, http: context.http, log: (message) => context.info(message) },
      { timeoutMs: delivery.verifyTimeoutMs, afterRotation: false }
    )
  } catch (error) {
    const refused = error instanceof TokenVerificationError && (error.status === 401 || error.status === 403)
    if (!refused) {
      context.warning(`The new token verified before it was stored, but the check after storing it could not finish: ${(error as Error).message}`)
      return
    }
    context.report.facts.push(['Re-checked after delivery', `refused (HTTP ${error.status})`])
    throw new ConcurrentRotationError(
      `The new token verified and was then ${describeDelivery(delivery)}, but the database refused it when checked again right after ` +
        `(HTTP ${error.status}): another rotation of the same Turso group (from another workflow run, or of another database of the group) ` +
        'has invalidated it, so what was delivered no longer works. Re-run this step once the other rotation has finished, and give every ' +
        'workflow that rotates this group the same concurrency group (for example `concurrency: turso-rotate-<organization>-<group>`) ' +
        'so that rotations of one group never overlap.'
    )
  }
  context.info('Checked the token again after delivering it: still accepted, so no other rotation of the group has replaced it')
  context.report.facts.push(['Re-checked after delivery', 'still accepted'])
}

function unverifiedMessage(target: TokenTarget, delivery: Delivery, rotation: Rotation, failure: Error): string {
  const name = target.kind === 'database' ? target.database : target.group
  const show = target.kind === 'database' ? `turso db show ${name}` : `turso group show ${name}`
  return (
    `The new token is ${describeDelivery(delivery)}, but it is unverified: ${sentence(failure.message)} ` +
    `${rotation.outcomeUnknown === true ? `The request to invalidate the old tokens was sent at ${rotation.rotatedAt} and may have been applied` : `The old tokens were invalidated at ${rotation.rotatedAt}`}, ` +
    'so the replacement was delivered anyway rather than leaving a dead token in place. ' +
    `The database may still be completing the rotation ("a short downtime is required") or waking up: check its state with \`${show}\`, ` +
    `then run SELECT 1 with the new token${delivery.secret !== undefined ? ' (for example from a job that uses the secret)' : ''}. If it is still refused, ` +
    're-run this step with operation: create-token and the same inputs (do not rotate again).'
  )
}

/** "set as the token output, stored in secret X (...) and exported as TURSO_AUTH_TOKEN". */
export function describeDelivery(delivery: Delivery): string {
  const parts = ['set as the token output']
  if (delivery.secret !== undefined) parts.push(`stored in secret ${delivery.secret.secretName} in ${describeSecretTargets(delivery.secret.targets)}`)
  if (delivery.exportEnv) parts.push('exported as TURSO_AUTH_TOKEN')
  return listInWords(parts)
}

async function hostnameToVerifyOn(
  context: OperationContext,
  target: TokenTarget,
  database: DatabaseInfo | undefined,
  preparedHostname: string | undefined
): Promise<string> {
  if (target.kind === 'database') {
    if (database === undefined) {
      throw new Error('Could not verify the new token: the database lookup failed (see the warning above), so its address is unknown')
    }
    return database.hostname
  }
  if (preparedHostname !== undefined) return preparedHostname
  // readConfig rejects verify for user-account groups, so an organization is known here.
  return firstDatabaseOfGroup(context, target.organization as string, target.group)
}

/** The database a group token is verified on: the first one the API lists for the group. */
export async function firstDatabaseOfGroup(context: OperationContext, organization: string, group: string): Promise<string> {
  return firstListedDatabase(context, group, await context.turso.listGroupDatabases(organization, group)).hostname
}

/** The first of a group's databases as listed (rotate lists them anyway, to name them); says so in the log. */
export function firstListedDatabase(context: OperationContext, group: string, databases: readonly GroupDatabase[]): GroupDatabase {
  const first = databases[0]
  if (first === undefined) throw new Error(`Could not verify the new token: group '${group}' has no database to run SELECT 1 on`)
  context.info(`The group token will be verified on the first database of group '${group}' (${first.hostname})`)
  return first
}

/**
 * Reads every destination's public key now, so a github-token that cannot write one of them fails
 * before any token exists; `store` then writes them all, logging and reporting each one.
 */
export async function prepareSecretStore(context: OperationContext, secret: SecretDestination): Promise<PreparedSecret> {
  const { prepareSecret } = await import('../github/secret-store.js')
  const { prepareFanOut } = await import('../github/secret-fanout.js')
  const { githubToken, secretName, targets } = secret
  const options = { githubToken, http: context.http, log: (message: string) => context.info(message) }
  return prepareFanOut(secretName, targets, {
    prepare: (target) => prepareSecret(target, options),
    onOutcome: ({ location, failure }) => {
      if (failure !== undefined) {
        context.report.facts.push(['Not stored as secret', `\`${secretName}\` in ${location}: ${failure}`])
        return
      }
      context.info(`Stored the token in secret ${secretName} in ${location}`)
      context.report.facts.push(['Stored as secret', `\`${secretName}\` in ${location}`])
    }
  })
}

async function storeAsSecret(
  context: OperationContext,
  jwt: string,
  secret: SecretDestination,
  prepared: PreparedSecret | undefined
): Promise<void> {
  const store = prepared ?? (await prepareSecretStore(context, secret))
  await store.store(jwt)
}

export function exportToJob(context: OperationContext, jwt: string, databaseUrl: string): void {
  context.exportVariable('TURSO_AUTH_TOKEN', jwt)
  const names = ['TURSO_AUTH_TOKEN']
  if (databaseUrl !== '') {
    context.exportVariable('TURSO_DATABASE_URL', databaseUrl)
    names.unshift('TURSO_DATABASE_URL')
  }
  context.info(`Exported ${names.join(' and ')} to the following steps of this job`)
  context.report.facts.push(['Exported', names.map((name) => `\`${name}\``).join(', ')])
}
