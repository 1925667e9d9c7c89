import type { OperationContext } from './context.js'

/** Revokes a Platform API token by name (DELETE /v1/auth/api-tokens/{name}). */
export async function revoke(context: OperationContext, tokenName: string): Promise<void> {
  const result = await context.turso.revokeApiToken(tokenName)
  if (result.alreadyGone) {
    context.notice(
      `API token '${tokenName}' was already gone when the request was retried: an earlier attempt, whose answer was lost, revoked it`
    )
  } else {
    context.info(`Revoked API token '${result.tokenName}'`)
  }
  context.setOutput('token-name', result.tokenName)
  context.report.target = `API token '${result.tokenName}'`
  context.report.facts.push(['Revoked', result.alreadyGone ? 'yes (found already revoked on retry)' : 'yes'])
}
