import type { Delivery, Renewal } from '../inputs.js'
import { describeTarget, type MintOptions, type TokenTarget } from '../turso/targets.js'
import type { OperationContext } from './context.js'
import { mintAndDeliver, prepareSecretStore, type Prepared } from './mint.js'
import { checkVerifiable, UnverifiableDatabaseError } from './verify-preflight.js'

/** Mints a database or group token and delivers it (outputs, then verify/secret/env when asked). */
export async function createToken(
  context: OperationContext,
  target: TokenTarget,
  options: MintOptions,
  delivery: Delivery,
  renewal?: Renewal
): Promise<void> {
  context.report.target = describeTarget(target)
  let prepared: Prepared = {}
  if (renewal !== undefined) {
    const { checkRenewal, keepCurrentToken } = await import('./renewal.js')
    const check = await checkRenewal(context, target, delivery, renewal)
    if (!check.due) return keepCurrentToken(context, target, delivery, renewal, check)
    prepared = check.prepared
  }
  // No point minting a token the secret store cannot take: read its public key first.
  const secret = delivery.secret === undefined ? undefined : await prepareSecretStore(context, delivery.secret)
  const writesBlocked = delivery.verify && target.kind === 'database' ? await writesBlockedForVerify(context, target) : false
  await mintAndDeliver(context, target, options, delivery, { ...prepared, secret, writesBlocked })
  context.setOutput('renewed', 'true')
}

/**
 * A database whose configuration refuses the runner (allowed_ips, allowed_aws_vpc_ids,
 * block_reads) would fail verify after minting: say why before minting instead. Returns whether
 * block_writes rules out verify's write check. Reading the configuration is only a shortcut here,
 * so its failure warns and verify decides.
 */
async function writesBlockedForVerify(context: OperationContext, target: Extract<TokenTarget, { kind: 'database' }>): Promise<boolean> {
  try {
    return (await checkVerifiable(context, target.organization, target.database)).writesBlocked
  } catch (error) {
    if (error instanceof UnverifiableDatabaseError) throw new UnverifiableDatabaseError(`Nothing was minted: ${error.message}`)
    context.warning(`Could not read the configuration of database '${target.database}' before minting; verify will tell: ${(error as Error).message}`)
    return false
  }
}
