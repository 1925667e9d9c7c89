import type { ApiTokenRequest, Delivery, SecretDestination } from '../inputs.js'
import { PartialSecretWriteError } from '../github/secret-error.js'
import { describeRestriction } from '../turso/api-token-restriction.js'
import type { CreatedApiToken, TursoClient } from '../turso/client.js'
import { TursoApiError } from '../turso/errors.js'
import { announceApiToken, deliverApiToken, validateNewApiToken } from './api-token-delivery.js'
import { generationName, isGenerationOf } from './api-token-generations.js'
import type { OperationContext } from './context.js'
import { prepareSecretStore } from './mint.js'
import { warnSkippedEntries } from './token-list-warning.js'
import { sentence } from './rotation-errors.js'

/**
 * Replaces the Platform API token a workflow runs on with no moment where none works: create the
 * next generation, validate it, deliver it, and only then revoke the previous generations. Until
 * the delivery succeeds nothing old is touched: a failure there revokes the new token instead.
 */
export async function rotateApiToken(context: OperationContext, request: ApiTokenRequest, delivery: Delivery): Promise<void> {
  const { tokenName: baseName, restriction } = request
  context.report.target = `API token generations '${baseName}', restricted to ${describeRestriction(restriction)}`
  // readConfig requires secret-name here; its public key is read before any token exists.
  const secret = await prepareSecretStore(context, delivery.secret as SecretDestination)
  const created = await createGeneration(context, generationName(baseName, new Date()), request)
  context.info(`Created API token '${created.name}' (ID ${created.id}), restricted to ${describeRestriction(restriction)}`)
  try {
    await validateNewApiToken(context, created)
    await deliverApiToken(context, created, delivery, secret)
  } catch (error) {
    // Some secret-targets destinations already hold the new token: revoking it now would leave
    // them with a dead one. Keep both generations working instead.
    if (error instanceof PartialSecretWriteError && error.written > 0) throw keepBoth(context, created, error)
    throw await withdraw(context, created, error as Error)
  }
  // Set only once delivered: a withdrawn token must not reach later steps as an output.
  announceApiToken(context, created)
  // From here on the new token is in place: the old generations are revoked with it, so the
  // order cannot matter (the token passed as api-token may be among them).
  const revoked = await revokePreviousGenerations(context.turso.withApiToken(created.token), context, baseName, created.name)
  context.setOutput('revoked-tokens', revoked.join(','))
}

/** A create whose answer was lost (network, 5xx, garbled body) may still have made the token: it is removed, best effort. */
async function createGeneration(context: OperationContext, name: string, request: ApiTokenRequest): Promise<CreatedApiToken> {
  try {
    return await context.turso.createApiToken(name, request.restriction)
  } catch (error) {
    // Refused at the first attempt: nothing was made. After a retry even a 409 may be this run's
    // own lost token; the name holds this second, so it can be no one else's.
    const refused = error instanceof TursoApiError && error.status < 500 && error.attempts === 1
    if (!refused) await context.turso.revokeApiToken(name).catch(() => undefined)
    throw new Error(`Nothing was rotated: the token passed as api-token still works. ${sentence((error as Error).message)}`, { cause: error })
  }
}

/**
 * Delivery reached some destinations only: the new token stays (they rely on it) and so do the
 * previous generations (the others still hold one of them). Nothing stops working; the next run
 * revokes this generation along with the older ones once every destination is written.
 */
function keepBoth(context: OperationContext, created: CreatedApiToken, failure: PartialSecretWriteError): Error {
  announceApiToken(context, created)
  context.report.facts.push(['Revoked', 'none: not every destination holds the new token'])
  return new Error(
    `The new API token '${created.name}' works but is not stored everywhere: ${sentence(failure.message)} ` +
      `So that every destination keeps a working token, neither the new token nor the previous generations of it were revoked. ` +
      'Fix what stopped the writes and re-run: the next run stores a newer generation everywhere and revokes this one and the older ones.'
  )
}

/** Validation or delivery failed: the new token goes, the old generations stay. */
async function withdraw(context: OperationContext, created: CreatedApiToken, failure: Error): Promise<Error> {
  const cause = sentence(failure.message)
  try {
    await context.turso.revokeApiToken(created.name)
  } catch (error) {
    return new Error(
      `Could not rotate the API token: ${cause} The previous generations were left untouched, so the token passed as api-token still works, ` +
        `but the new token '${created.name}' (ID ${created.id}) could not be revoked either: ${sentence((error as Error).message)} ` +
        `Revoke it with \`turso auth api-tokens revoke ${created.name}\`, then re-run.`
    )
  }
  context.report.facts.push(['Withdrawn', `\`${created.name}\` revoked again`])
  return new Error(
    `Could not rotate the API token: ${cause} The new token '${created.name}' was revoked again and the previous generations were left untouched: ` +
      'the token passed as api-token still works. Fix the cause and re-run.'
  )
}

/**
 * Revokes every listed `<base>` / `<base>-<stamp>` other than the new one, each even if another
 * fails; then, if any DELETE failed or found nothing, lists again so that only what is really
 * gone counts as revoked. Returns the names revoked; throws naming those still live.
 */
async function revokePreviousGenerations(turso: TursoClient, context: OperationContext, baseName: string, newName: string): Promise<string[]> {
  let listed: string[]
  try {
    listed = await listGenerations(turso, baseName, newName, context)
  } catch (error) {
    throw new Error(
      `The new API token '${newName}' is stored and works, but the previous generations of '${baseName}' could not be listed, so none was revoked: ` +
        `${sentence((error as Error).message)} Re-run this step, or revoke them with \`turso auth api-tokens revoke <name>\`.`,
      { cause: error }
    )
  }
  const revoked: string[] = []
  const unsure: string[] = []
  const failures: string[] = []
  for (const name of listed) {
    try {
      const result = await turso.revokeApiToken(name)
      if (result.outcome === 'revoked') revoked.push(name)
      else unsure.push(name)
    } catch (error) {
      unsure.push(name)
      failures.push(sentence((error as Error).message))
    }
  }
  if (unsure.length > 0) {
    const stillListed = await listGenerations(turso, baseName, newName, context).catch(() => unsure)
    const live = unsure.filter((name) => stillListed.includes(name))
    revoked.push(...unsure.filter((name) => !live.includes(name)))
    if (live.length > 0) {
      context.setOutput('revoked-tokens', revoked.join(','))
      throw new Error(
        `The new API token '${newName}' is stored and works, but ${live.length === 1 ? 'a previous generation is' : 'previous generations are'} still live: ` +
          `${live.map((name) => `'${name}'`).join(', ')}. ${failures.join(' ')} Revoke ${live.length === 1 ? 'it' : 'them'} with ` +
          '`turso auth api-tokens revoke <name>`, or re-run this step (the next run revokes every previous generation).'
      )
    }
  }
  context.info(revoked.length === 0 ? `No previous generation of '${baseName}' was listed: nothing to revoke` : `Revoked the previous generations: ${revoked.join(', ')}`)
  context.report.facts.push(['Revoked', revoked.length === 0 ? 'none listed' : revoked.map((name) => `\`${name}\``).join(', ')])
  return revoked
}

async function listGenerations(turso: TursoClient, baseName: string, newName: string, context: OperationContext): Promise<string[]> {
  const list = await turso.listApiTokens(null, baseName)
  warnSkippedEntries(context, list)
  return list.tokens.map((token) => token.name).filter((name) => name !== newName && isGenerationOf(baseName, name))
}
