import type { Delivery } from '../inputs.js'
import { describeTarget, type MintOptions, type TokenTarget } from '../turso/targets.js'
import type { OperationContext } from './context.js'
import { mintAndDeliver, prepareSecretStore } from './mint.js'

/** Mints a database or group token and delivers it (outputs, then verify/secret/env when asked). */
export async function createToken(
  context: OperationContext,
  target: TokenTarget,
  options: MintOptions,
  delivery: Delivery
): Promise<void> {
  context.report.target = describeTarget(target)
  // No point minting a token the secret store cannot take: read its public key first.
  const secret = delivery.secret === undefined ? undefined : await prepareSecretStore(context, delivery.secret)
  await mintAndDeliver(context, target, options, delivery, { secret })
}
