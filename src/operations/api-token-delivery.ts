import type { PreparedSecret } from '../github/secret-store.js'
import type { Delivery } from '../inputs.js'
import type { CreatedApiToken } from '../turso/client.js'
import type { OperationContext } from './context.js'

/** The outputs of a new Platform API token; the client has masked the token already. */
export function announceApiToken(context: OperationContext, created: CreatedApiToken): void {
  context.setOutput('token', created.token)
  context.setOutput('token-name', created.name)
  context.setOutput('token-id', created.id)
  context.report.facts.push(['API token', `\`${created.name}\` (ID ${created.id})`])
}

/** GET /v1/auth/validate with the new token itself: proves Turso accepts it before anything relies on it. */
export async function validateNewApiToken(context: OperationContext, created: CreatedApiToken): Promise<void> {
  const { expiresAt } = await context.turso.withApiToken(created.token).validateApiToken()
  const expiry = expiresAt === null ? 'never expires' : `expires ${expiresAt.toISOString()}`
  context.info(`Validated the new API token '${created.name}' with GET /v1/auth/validate: it works and ${expiry}`)
  context.report.facts.push(['Validated', `yes, ${expiry}`])
}

/** The secret (its public key was read before the token existed), then `TURSO_API_TOKEN` for later steps. */
export async function deliverApiToken(
  context: OperationContext,
  created: CreatedApiToken,
  delivery: Delivery,
  secret: PreparedSecret | undefined
): Promise<void> {
  // Prepared exactly when delivery.secret is set (its public key is read before the token exists).
  // Each destination is logged and reported as it is written (prepareSecretStore's fan-out).
  if (secret !== undefined) await secret.store(created.token)
  if (delivery.exportEnv) {
    context.exportVariable('TURSO_API_TOKEN', created.token)
    context.info('Exported TURSO_API_TOKEN to the following steps of this job')
    context.report.facts.push(['Exported', '`TURSO_API_TOKEN`'])
  }
}
