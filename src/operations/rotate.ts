import type { PreparedSecret } from '../github/secret-store.js'
import type { Delivery } from '../inputs.js'
import { serverText } from '../runner/server-text.js'
import { describeTarget, type MintOptions, type TokenTarget } from '../turso/targets.js'
import type { OperationContext } from './context.js'
import { firstDatabaseOfGroup, mintAndDeliver, prepareSecretStore, type KnownDatabase, type Prepared } from './mint.js'
import { ConcurrentRotationError, PreflightError, sentence, UnverifiedReplacementError } from './rotation-errors.js'

export { PreflightError } from './rotation-errors.js'

/** The old tokens are gone but the replacement is not where it should be. */
export class PartialRotationError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'PartialRotationError'
  }
}

/**
 * Invalidates every token of the target, then (unless `mint` is false) mints and delivers the
 * replacement. The rotation cannot be undone, so everything that could make the replacement
 * fail is checked first (see `preflight`). Turso signs tokens per group, so rotating a database
 * that belongs to a group invalidates the tokens of every database in that group: we say so.
 */
export async function rotate(
  context: OperationContext,
  target: TokenTarget,
  options: MintOptions | null,
  delivery: Delivery
): Promise<void> {
  context.report.target = describeTarget(target)
  const prepared = await preflight(context, target, options, delivery)
  const invalidated = describeInvalidation(target, prepared.database)

  await context.turso.rotate(target)
  const rotatedAt = new Date().toISOString()
  context.setOutput('rotated-at', rotatedAt)
  context.info(`Invalidated ${invalidated} at ${rotatedAt}`)
  context.report.facts.push(['Invalidated', `${invalidated} at ${rotatedAt}`])

  if (options === null) {
    context.info('mint is false: no replacement token was minted')
    return
  }
  try {
    await mintAndDeliver(context, target, options, delivery, prepared, { rotatedAt })
  } catch (error) {
    // These already say what was delivered and what to do next.
    if (error instanceof UnverifiedReplacementError || error instanceof ConcurrentRotationError) throw error
    throw new PartialRotationError(
      `The old tokens are already invalid (${invalidated}, at ${rotatedAt}), but the replacement was not completed: ` +
        `${sentence((error as Error).message)} To recover, re-run this step with operation: create-token and the same inputs ` +
        `(do not rotate again); until then, clients using the old tokens are refused.`
    )
  }
}

/**
 * Everything that can be checked before the irreversible `POST .../auth/rotate`: the database's
 * address (database-url, verify and export-env need it), the database a group token will be
 * verified on, each attach-databases entry, and the secret's public key. Any failure stops the
 * step with the old tokens still valid.
 */
async function preflight(
  context: OperationContext,
  target: TokenTarget,
  options: MintOptions | null,
  delivery: Delivery
): Promise<Prepared> {
  if (options === null) {
    // Nothing is minted, so nothing needs the address: the lookup only names the group in the log.
    return { database: target.kind === 'database' ? await lookUpForTheLog(context, target) : undefined }
  }
  const prepared: Prepared = {}
  if (target.kind === 'database') {
    prepared.database = await check('the database lookup (its address is needed for database-url, verify and export-env)', () =>
      context.turso.getDatabase(target.organization, target.database)
    )
  } else if (delivery.verify) {
    // readConfig rejects verify for user-account groups, so an organization is known here.
    const organization = target.organization as string
    prepared.verifyHostname = await check(`finding a database of group '${target.group}' to verify the new token on`, () =>
      firstDatabaseOfGroup(context, organization, target.group)
    )
  }
  await checkAttachedDatabases(context, target, options.attachDatabases)
  if (delivery.secret !== undefined) {
    const secret = delivery.secret
    prepared.secret = await check<PreparedSecret>(`reading the public key of secret ${secret.secretName} with github-token`, () =>
      prepareSecretStore(context, secret)
    )
  }
  return prepared
}

/**
 * A token with attach-databases names databases of the same organization; a misspelled one would
 * only fail at the mint, after the rotation. Without an organization (a user-account group) the
 * names cannot be looked up here: the step says so and leaves the check to the mint.
 */
async function checkAttachedDatabases(context: OperationContext, target: TokenTarget, names: string[]): Promise<void> {
  if (names.length === 0) return
  const organization = target.organization
  if (organization === null) {
    context.warning(
      'attach-databases could not be checked before rotating: a user-account group has no organization to look the databases up in. ' +
        'Set organization to your username to have each entry checked first.'
    )
    return
  }
  for (const name of names) {
    await check(`checking attach-databases entry '${name}'`, () => context.turso.getDatabase(organization, name))
  }
  context.info(`Checked before rotating: attach-databases ${names.map((name) => `'${name}'`).join(', ')} exist in organization '${organization}'`)
}

async function check<T>(what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run()
  } catch (error) {
    throw new PreflightError(what, (error as Error).message)
  }
}

async function lookUpForTheLog(context: OperationContext, target: Extract<TokenTarget, { kind: 'database' }>): Promise<KnownDatabase> {
  try {
    return await context.turso.getDatabase(target.organization, target.database)
  } catch (error) {
    context.warning(`Could not look up the database before rotating, so its group is unknown: ${(error as Error).message}`)
    return 'lookup-failed'
  }
}

function describeInvalidation(target: TokenTarget, database: KnownDatabase): string {
  if (target.kind === 'group') return `every token of ${describeTarget(target)}, for all of its databases`
  if (database !== undefined && database !== 'lookup-failed' && database.group !== null) {
    // The group name comes from the API: printed only once cleaned.
    const group = serverText(database.group, 100)
    return `every token of group '${group}' (database '${target.database}' belongs to it, and Turso signs tokens per group, so all databases of the group are affected)`
  }
  return `every token of ${describeTarget(target)}`
}
