import type { Delivery } from '../inputs.js'
import { describeTarget, type MintOptions, type TokenTarget } from '../turso/targets.js'
import type { OperationContext } from './context.js'
import { mintAndDeliver, type KnownDatabase } from './mint.js'

/** The old tokens are gone but the replacement is not where it should be. */
export class PartialRotationError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'PartialRotationError'
  }
}

/**
 * Invalidates every token of the target, then (unless `mint` is false) mints and delivers the
 * replacement. Turso signs tokens per group, so rotating a database that belongs to a group
 * invalidates the tokens of every database in that group: we look it up first and say so.
 */
export async function rotate(
  context: OperationContext,
  target: TokenTarget,
  options: MintOptions | null,
  delivery: Delivery
): Promise<void> {
  context.report.target = describeTarget(target)
  const knownDatabase = target.kind === 'database' ? await lookUpBeforeRotating(context, target) : undefined
  const invalidated = describeInvalidation(target, knownDatabase)

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
    await mintAndDeliver(context, target, options, delivery, knownDatabase)
  } catch (error) {
    throw new PartialRotationError(
      `The old tokens are already invalid (${invalidated}, at ${rotatedAt}), but the replacement was not completed: ` +
        `${(error as Error).message} To recover, re-run this step with operation: create-token and the same inputs ` +
        `(do not rotate again); until then, clients using the old tokens are refused.`
    )
  }
}

async function lookUpBeforeRotating(
  context: OperationContext,
  target: Extract<TokenTarget, { kind: 'database' }>
): Promise<KnownDatabase> {
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
    return `every token of group '${database.group}' (database '${target.database}' belongs to it, and Turso signs tokens per group, so all databases of the group are affected)`
  }
  return `every token of ${describeTarget(target)}`
}
