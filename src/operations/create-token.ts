import type { Delivery, Renewal } from '../inputs.js'
import { describeTarget, type MintOptions, type TokenTarget } from '../turso/targets.js'
import type { OperationContext } from './context.js'
import { mintAndDeliver, prepareSecretStore, type Prepared } from './mint.js'

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
  await mintAndDeliver(context, target, options, delivery, { ...prepared, secret })
  context.setOutput('renewed', 'true')
}
