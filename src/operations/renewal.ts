/**
 * Renewal before expiry (create-token with renew-within): a new token is minted only when the one
 * in use now is due, so a daily schedule mints once per renewal window. Due means it expires within
 * renew-within, has no readable expiry, is empty (a first run) or is not a JWT, or, with verify, the
 * database already refuses it. Renewal never invalidates anything: the old token expires on its own.
 */
import type { Delivery, Renewal } from '../inputs.js'
import { expiresAtFromJwt, isJwtShaped } from '../parsers/jwt.js'
import type { TokenTarget } from '../turso/targets.js'
import type { OperationContext } from './context.js'
import { exportToJob, firstDatabaseOfGroup, type Prepared } from './mint.js'

/** Whether the current token must be replaced; what the check learnt is handed on so nothing is asked twice. */
export type RenewalCheck =
  | { due: true; reason: string; prepared: Prepared }
  | { due: false; expiresAt: Date; renewAt: Date; prepared: Prepared }

/** Decides whether the current token is due; logs why. Throws only when verify cannot tell whether it works. */
export async function checkRenewal(
  context: OperationContext,
  target: TokenTarget,
  delivery: Delivery,
  renewal: Renewal,
  now: number = Date.now()
): Promise<RenewalCheck> {
  const token = renewal.currentToken
  if (token === '') return due(context, 'current-token is empty (a first run, or its secret does not exist yet)')
  if (!isJwtShaped(token)) {
    context.warning(
      'current-token is not a JWT (three base64url parts separated by dots), so it cannot be a Turso database token: a new one is minted. ' +
        'Check that current-token reads the secret this step writes.'
    )
    return due(context, 'current-token is not a JWT')
  }
  let expiresAt: Date | null
  try {
    expiresAt = expiresAtFromJwt(token)
  } catch (error) {
    context.warning(`The expiry of current-token cannot be read (${(error as Error).message}): a new token is minted.`)
    return due(context, 'the expiry of current-token cannot be read')
  }
  if (expiresAt === null) return due(context, 'current-token never expires (it has no exp claim), and renewal replaces it with an expiring one')
  const when = expiresAt.toISOString()
  if (expiresAt.getTime() <= now) return due(context, `current-token expired at ${when}`)
  if (expiresAt.getTime() - now <= renewal.windowMs) return due(context, `current-token expires at ${when}, within renew-within (${renewal.window})`)

  const prepared: Prepared = {}
  if (delivery.verify) {
    const refused = await refusedByDatabase(context, target, delivery, token, prepared, when)
    if (refused !== undefined) return { ...due(context, `the database refuses current-token (HTTP ${refused}), although it expires only at ${when}`), prepared }
  }
  return { due: false, expiresAt, renewAt: new Date(expiresAt.getTime() - renewal.windowMs), prepared }
}

function due(context: OperationContext, reason: string): Extract<RenewalCheck, { due: true }> {
  context.info(`Renewal due: ${reason}; minting a new token`)
  context.report.facts.push(['Renewal', `due: ${reason}`])
  return { due: true, reason, prepared: {} }
}

/**
 * `SELECT 1` with the current token, on the database the new token would be verified on (its
 * lookup is kept for the mint). Resolves to the refusal's HTTP status, or undefined when it works.
 */
async function refusedByDatabase(
  context: OperationContext,
  target: TokenTarget,
  delivery: Delivery,
  token: string,
  prepared: Prepared,
  expiresAt: string
): Promise<number | undefined> {
  const { verifyWhenReady } = await import('../verify/readiness.js')
  const { TokenVerificationError } = await import('../verify/errors.js')
  let failure: string
  try {
    let hostname: string
    if (target.kind === 'database') {
      const database = await context.turso.getDatabase(target.organization, target.database)
      prepared.database = database
      hostname = database.hostname
    } else {
      // readConfig rejects verify for user-account groups, so an organization is known here.
      hostname = await firstDatabaseOfGroup(context, target.organization as string, target.group)
      prepared.verifyHostname = hostname
    }
    await verifyWhenReady(
      { hostname, token, checkWrite: false, http: context.http, log: (message) => context.info(message) },
      { timeoutMs: delivery.verifyTimeoutMs, afterRotation: false }
    )
    context.info(`current-token still works on ${hostname}`)
    return undefined
  } catch (error) {
    if (error instanceof TokenVerificationError && (error.status === 401 || error.status === 403)) return error.status
    failure = (error as Error).message
  }
  // Thrown without the cause: the message says everything, and a cause would only carry more text from servers.
  throw new Error(
    `Could not tell whether current-token still works (verify): ${failure} Nothing was minted or stored; ` +
      `current-token expires at ${expiresAt}. Re-run once the database answers, or remove verify to renew by expiry alone.`
  )
}

/**
 * Not due: the current token stays, nothing is minted or stored. The outputs describe it, so later
 * steps read `token` and `expires-at` whether or not this run renewed; export-env exports it too.
 */
export async function keepCurrentToken(
  context: OperationContext,
  target: TokenTarget,
  delivery: Delivery,
  renewal: Renewal,
  check: Extract<RenewalCheck, { due: false }>
): Promise<void> {
  const expiresAt = check.expiresAt.toISOString()
  const renewAt = check.renewAt.toISOString()
  context.setOutput('token', renewal.currentToken)
  context.setOutput('expires-at', expiresAt)
  context.setOutput('renewed', 'false')
  let databaseUrl = ''
  if (target.kind === 'database') {
    databaseUrl = await currentDatabaseUrl(context, target, check.prepared)
    context.setOutput('database-url', databaseUrl)
  }
  const untouched = delivery.secret === undefined ? '' : ` and secret ${delivery.secret.secretName} was left as it is`
  context.info(
    `Renewal not due: current-token expires at ${expiresAt}, more than renew-within (${renewal.window}) from now. ` +
      `Nothing was minted${untouched}; the next renewal falls due at ${renewAt}.`
  )
  context.report.facts.push(
    ['Renewal', 'not due: the current token was kept; nothing minted or stored'],
    ['Token', `current one, expires ${expiresAt}`],
    ['Next renewal due', renewAt]
  )
  if (delivery.exportEnv) exportToJob(context, renewal.currentToken, databaseUrl)
}

async function currentDatabaseUrl(context: OperationContext, target: Extract<TokenTarget, { kind: 'database' }>, prepared: Prepared): Promise<string> {
  // Known when verify looked the database up for the check.
  const known = prepared.database
  if (typeof known === 'object') return `libsql://${known.hostname}`
  try {
    const database = await context.turso.getDatabase(target.organization, target.database)
    return `libsql://${database.hostname}`
  } catch (error) {
    context.warning(`The current token was kept, but database-url is empty: ${(error as Error).message}`)
    return ''
  }
}
