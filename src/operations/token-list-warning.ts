import type { ApiTokenList } from '../turso/api-token-list.js'
import type { OperationContext } from './context.js'

/**
 * Entries of Turso's token list that could be neither printed nor revoked are left out of it; say
 * so, as the one sought may be among them (revoke and rotate-api-token list the same way).
 */
export function warnSkippedEntries(context: OperationContext, list: ApiTokenList): void {
  if (list.skipped === 0) return
  context.warning(`Left out ${list.skipped} entr${list.skipped === 1 ? 'y' : 'ies'} of Turso's token list with a name or ID that cannot be printed or sent back safely`)
}
