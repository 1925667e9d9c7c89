import type { DatabaseConfiguration } from '../turso/client.js'
import type { OperationContext } from './context.js'

/** The database's configuration rules out any check from a runner: refused before minting or rotating. */
export class UnverifiableDatabaseError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'UnverifiableDatabaseError'
  }
}

/**
 * With `verify`, the runner runs SELECT 1 on the database. Turso can restrict who may connect
 * (`allowed_ips`, `allowed_aws_vpc_ids`) and block reads: then no check from a runner can pass,
 * and finding out after a rotation leaves a replacement that cannot be verified. Blocked writes
 * only rule out the write check. Returns whether writes are blocked.
 */
export async function checkVerifiable(context: OperationContext, organization: string, database: string): Promise<{ writesBlocked: boolean }> {
  const configuration = await context.turso.getDatabaseConfiguration(organization, database)
  const reason = unverifiableReason(configuration)
  if (reason !== undefined) {
    throw new UnverifiableDatabaseError(
      `verify cannot succeed on database '${database}': ${reason}, so the runner's SELECT 1 would be refused. ` +
        "Set verify: false (and check the token from where the database accepts connections), or lift the restriction in the database's configuration."
    )
  }
  if (configuration.blockWrites) {
    context.info(`Database '${database}' blocks writes (block_writes), so verify checks reads only: the write check is skipped`)
  }
  return { writesBlocked: configuration.blockWrites }
}

function unverifiableReason(configuration: DatabaseConfiguration): string | undefined {
  const reasons: string[] = []
  if (configuration.allowedIps.length > 0) reasons.push(`it accepts connections only from allowed_ips (${configuration.allowedIps.join(', ')})`)
  if (configuration.allowedAwsVpcIds.length > 0) {
    reasons.push(`it accepts connections only through allowed_aws_vpc_ids (${configuration.allowedAwsVpcIds.join(', ')})`)
  }
  if (configuration.blockReads) reasons.push('it blocks reads (block_reads)')
  return reasons.length === 0 ? undefined : reasons.join('; ')
}
