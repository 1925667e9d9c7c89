import type { ApiTokenRequest, Delivery } from '../inputs.js'
import { describeRestriction } from '../turso/api-token-restriction.js'
import { announceApiToken, deliverApiToken, validateNewApiToken } from './api-token-delivery.js'
import type { OperationContext } from './context.js'
import { prepareSecretStore } from './mint.js'

/**
 * Creates a Platform API token restricted to an organization (or a group of it, with scopes),
 * then hands it on: outputs, then validation (`verify`), the secret and `TURSO_API_TOKEN`. As
 * with create-token, a token that fails validation is neither stored nor exported.
 */
export async function createApiToken(context: OperationContext, request: ApiTokenRequest, delivery: Delivery): Promise<void> {
  const restricted = describeRestriction(request.restriction)
  context.report.target = `API token '${request.tokenName}', restricted to ${restricted}`
  // No point creating a token the secret store cannot take: read its public key first.
  const secret = delivery.secret === undefined ? undefined : await prepareSecretStore(context, delivery.secret)
  const created = await context.turso.createApiToken(request.tokenName, request.restriction)
  announceApiToken(context, created)
  context.info(`Created API token '${created.name}' (ID ${created.id}), restricted to ${restricted}`)
  if (delivery.verify) await validateNewApiToken(context, created)
  await deliverApiToken(context, created, delivery, secret)
}
