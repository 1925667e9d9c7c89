import type { PreparedSecret } from '../github/secret-store.js'
import type { Delivery } from '../inputs.js'
import { serverText } from '../runner/server-text.js'
import type { GroupDatabase } from '../turso/client.js'
import { TursoApiError, TursoNetworkError } from '../turso/errors.js'
import { describeTarget, type MintOptions, type TokenTarget } from '../turso/targets.js'
import type { OperationContext } from './context.js'
import { describeDelivery, firstListedDatabase, mintAndDeliver, prepareSecretStore, type KnownDatabase, type Prepared } from './mint.js'
import { ConcurrentRotationError, PreflightError, RotationOutcomeUnknownError, sentence, UnverifiedReplacementError } from './rotation-errors.js'
import { checkVerifiable } from './verify-preflight.js'

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
 * that belongs to a group invalidates the tokens of every database in that group: we name them.
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
  announceAffected(context, target, prepared.affected)

  const outcome = await sendRotate(context, target, invalidated)
  if (outcome.unknown === undefined) {
    context.setOutput('rotated-at', outcome.at)
    context.info(`Invalidated ${invalidated} at ${outcome.at}`)
    if (prepared.affected !== undefined) context.info(`The old tokens of ${listNames(prepared.affected)} no longer work`)
    setFact(context, 'Invalidated', `${invalidated} at ${outcome.at}`)
  }
  const unknown = outcome.unknown
  if (options === null) {
    context.info('mint is false: no replacement token was minted')
    if (unknown !== undefined) {
      throw new RotationOutcomeUnknownError(
        `${unknown} mint is false, so no replacement was minted. Check whether an old token still works (run SELECT 1 with it); ` +
          'if it is refused, mint new tokens with operation: create-token.'
      )
    }
    return
  }
  try {
    await mintAndDeliver(context, target, options, delivery, prepared, { rotatedAt: outcome.at, outcomeUnknown: unknown !== undefined })
  } catch (error) {
    // These already say what was delivered and what to do next.
    if (error instanceof UnverifiedReplacementError || error instanceof ConcurrentRotationError) {
      if (unknown === undefined) throw error
      throw new RotationOutcomeUnknownError(`${unknown} ${error.message}`)
    }
    const state = unknown === undefined ? `The old tokens are already invalid (${invalidated}, at ${outcome.at}), but` : `${unknown} And`
    throw new PartialRotationError(
      `${state} the replacement was not completed: ` +
        `${sentence((error as Error).message)} To recover, re-run this step with operation: create-token and the same inputs ` +
        `(do not rotate again); until then, clients using the old tokens are refused.`
    )
  }
  if (unknown !== undefined) {
    throw new RotationOutcomeUnknownError(
      `${unknown} The replacement is ${describeDelivery(delivery)}, so clients that use it keep working either way. ` +
        'Do not rotate again: check whether an old token still works (run SELECT 1 with it) to learn whether the rotation happened.'
    )
  }
}

/** The rotate request either succeeded at `at`, or may have: `unknown` then opens the step's error. */
type RotateOutcome = { at: string; unknown?: undefined } | { at: string; unknown: string }

/**
 * Sends `POST .../auth/rotate`, saying so first (a cancelled run's log then shows it was sent).
 * A clear refusal (4xx) means nothing was rotated and stops the step. No clear answer (the
 * connection lost after sending, timeouts, 5xx after the retries) may hide an applied rotation:
 * that counts as done, so the replacement is still minted and delivered.
 */
async function sendRotate(context: OperationContext, target: TokenTarget, invalidated: string): Promise<RotateOutcome> {
  const sentAt = new Date().toISOString()
  context.info(`Invalidating ${invalidated} now`)
  setFact(context, 'Rotate request', `sent at ${sentAt}, no answer yet`)
  try {
    await context.turso.rotate(target)
  } catch (error) {
    const cause = unclearAnswer(error)
    if (cause === undefined) {
      setFact(context, 'Rotate request', `refused: nothing was rotated`)
      throw error
    }
    setFact(context, 'Rotate request', `sent at ${sentAt}, no clear answer (${cause})`)
    context.warning(
      `The rotate request got no clear answer (${cause}): Turso may have applied it, so the old tokens may already be invalid. ` +
        'Minting and delivering the replacement anyway.'
    )
    return {
      at: sentAt,
      unknown:
        `The request to invalidate ${invalidated} was sent at ${sentAt} but got no clear answer (${cause}), ` +
        'so Turso may have applied it: the old tokens may already be invalid.'
    }
  }
  const at = new Date().toISOString()
  removeFact(context, 'Rotate request')
  return { at }
}

/** Why the answer leaves the outcome unknown, or undefined for a clear refusal (4xx, or a redirect never followed). */
function unclearAnswer(error: unknown): string | undefined {
  if (error instanceof TursoNetworkError) return error.networkError.message
  if (error instanceof TursoApiError && error.status >= 500) {
    const attempts = error.attempts > 1 ? ` to the last of ${error.attempts} attempts` : ''
    return `HTTP ${error.status}${attempts}${error.apiMessage === '' ? '' : `: ${error.apiMessage}`}`
  }
  return undefined
}

function setFact(context: OperationContext, label: string, value: string): void {
  const row = context.report.facts.find(([existing]) => existing === label)
  if (row === undefined) context.report.facts.push([label, value])
  else row[1] = value
}

function removeFact(context: OperationContext, label: string): void {
  context.report.facts = context.report.facts.filter(([existing]) => existing !== label)
}

/** What preflight learnt: the mint's `Prepared`, and the databases whose tokens the rotation kills (when listable). */
interface Checked extends Prepared {
  affected?: string[]
}

/**
 * Everything that can be checked before the irreversible `POST .../auth/rotate`: the database's
 * address (database-url, verify and export-env need it), the database a group token will be
 * verified on and its configuration, each attach-databases entry, the secret's public key, and
 * that api-token may mint the replacement at all. Any failure stops the step with the old tokens
 * still valid. The databases the rotation affects are listed too, for the log and the summary.
 */
async function preflight(
  context: OperationContext,
  target: TokenTarget,
  options: MintOptions | null,
  delivery: Delivery
): Promise<Checked> {
  if (options === null) {
    // Nothing is minted, so nothing needs the address: the lookup only names the group in the log.
    const database = target.kind === 'database' ? await lookUpForTheLog(context, target) : undefined
    return { database, affected: names(await affectedDatabases(context, target, database, false)) }
  }
  const prepared: Checked = {}
  if (target.kind === 'database') {
    prepared.database = await check('the database lookup (its address is needed for database-url, verify and export-env)', () =>
      context.turso.getDatabase(target.organization, target.database)
    )
    prepared.affected = names(await affectedDatabases(context, target, prepared.database, false))
    if (delivery.verify) await checkConfiguration(context, prepared, target.organization, target.database)
  } else {
    const listed = await affectedDatabases(context, target, undefined, delivery.verify)
    prepared.affected = names(listed)
    if (delivery.verify) {
      // readConfig rejects verify for user-account groups, so an organization (and so a list) is known here.
      const first = await check(`finding a database of group '${target.group}' to verify the new token on`, async () =>
        firstListedDatabase(context, target.group, listed ?? [])
      )
      prepared.verifyHostname = first.hostname
      await checkConfiguration(context, prepared, target.organization as string, first.name)
    }
  }
  await checkAttachedDatabases(context, target, options.attachDatabases)
  if (delivery.secret !== undefined) {
    const secret = delivery.secret
    prepared.secret = await check<PreparedSecret>(`reading the public key of secret ${secret.secretName} with github-token`, () =>
      prepareSecretStore(context, secret)
    )
  }
  await checkMintCapability(context, target, options)
  return prepared
}

/**
 * Shortest expiration for the throw-away token: `1s` is the shortest value in the duration subset
 * both go-str2duration grammars Turso may use accept (integer and unit among w d h m s), and the
 * shortest a JWT's whole-second `exp` can express; the expiration input has the same minimum.
 */
export const PROBE_EXPIRATION = '1s'

/**
 * A scoped API token may rotate (`db:rotate-creds`) without being allowed to mint
 * (`db:mint-token`): found out after the rotation, every token of the group would be dead with no
 * replacement. So one token is minted first, with the replacement's options (which Turso then
 * also checks) and the shortest expiration. The client masks it the moment it arrives; it is
 * never output, and the rotation that follows invalidates it.
 */
async function checkMintCapability(context: OperationContext, target: TokenTarget, options: MintOptions): Promise<void> {
  await check(`minting a throw-away token (expiring in ${PROBE_EXPIRATION}) to prove api-token may mint the replacement`, () =>
    context.turso.createToken(target, { ...options, expiration: PROBE_EXPIRATION })
  )
  context.info(`Checked before rotating: api-token may mint tokens for ${describeTarget(target)} (a throw-away token, never output; the rotation invalidates it)`)
}

async function checkConfiguration(context: OperationContext, prepared: Checked, organization: string, database: string): Promise<void> {
  const { writesBlocked } = await check(`checking the configuration of database '${database}' for verify`, () =>
    checkVerifiable(context, organization, database)
  )
  prepared.writesBlocked = writesBlocked
}

/**
 * The databases whose tokens the rotation kills: every database of the group (Turso signs tokens
 * per group), or only the database itself when it is outside groups. Undefined when they cannot be
 * listed: a user-account group (listing needs an organization), a failed lookup or list (a
 * warning, unless `required`, when the list is also where a group token is verified).
 */
async function affectedDatabases(
  context: OperationContext,
  target: TokenTarget,
  database: KnownDatabase,
  required: boolean
): Promise<GroupDatabase[] | undefined> {
  let organization: string | null
  let group: string
  if (target.kind === 'group') {
    organization = target.organization
    group = target.group
  } else {
    if (database === undefined || database === 'lookup-failed') return undefined
    if (database.group === null) return [{ name: target.database, ...database }]
    organization = target.organization
    group = database.group
  }
  if (organization === null) return undefined
  const org = organization
  const list = (): Promise<GroupDatabase[]> => context.turso.listGroupDatabases(org, group)
  if (required) return check(`listing the databases of group '${group}'`, list)
  try {
    return await list()
  } catch (error) {
    context.warning(`Could not list the databases of group '${group}' before rotating, so they are not named: ${(error as Error).message}`)
    return undefined
  }
}

/** Names, before the rotate request, every database whose tokens are about to die. */
function announceAffected(context: OperationContext, target: TokenTarget, affected: string[] | undefined): void {
  if (affected === undefined) {
    if (target.kind === 'group' && target.organization === null) {
      context.info(`Rotating invalidates the tokens of every database of ${describeTarget(target)} (not listed: set organization to your username to have them named)`)
    }
    return
  }
  const count = affected.length === 1 ? '1 database' : `${affected.length} databases`
  context.info(`Rotating invalidates the tokens of ${count}: ${listNames(affected)}`)
  setFact(context, 'Databases affected', listNames(affected))
}

function names(databases: GroupDatabase[] | undefined): string[] | undefined {
  return databases?.map((database) => database.name)
}

function listNames(names: string[]): string {
  return names.length === 0 ? 'no database' : names.map((name) => `'${name}'`).join(', ')
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
