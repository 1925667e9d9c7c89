import type { RevokeTarget } from '../inputs.js'
import { closeMatches, ownedBy, ownerLabel, type ApiTokenList, type ListedApiToken } from '../turso/api-token-list.js'
import type { DeleteResult } from '../turso/client.js'
import type { OperationContext } from './context.js'
import { warnSkippedEntries } from './token-list-warning.js'

/** The token named by the inputs is not there (or not only once): nothing was deleted. */
export class RevokeSelectionError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'RevokeSelectionError'
  }
}

/**
 * Revokes a Platform API token, and says so only when it is true: the token is listed first, so
 * a 404 on the DELETE (a retry after a lost answer, or a concurrent revoke) counts as revoked
 * only for a token known to exist, and only once a second listing shows it gone.
 *
 * Without an organization: one of the caller's own tokens, by name. With one: a token of the
 * organization's list, chosen by name (and owner), revoked by ID, which is how an admin reaches
 * a member's token.
 */
export async function revoke(context: OperationContext, target: RevokeTarget): Promise<void> {
  if (target.organization === null) await revokeOwnToken(context, target.tokenName)
  else await revokeOrganizationToken(context, target.organization, target.tokenName, target.tokenOwner)
}

async function revokeOwnToken(context: OperationContext, tokenName: string): Promise<void> {
  const listed = await context.turso.listApiTokens(null, tokenName)
  warnSkippedEntries(context, listed)
  if (!listed.tokens.some((token) => token.name === tokenName)) {
    const suggestions = closeMatches(tokenName, listed.tokens.map((token) => token.name))
    const hint = suggestions.length === 0 ? '' : ` Did you mean ${suggestions.map((name) => `'${name}'`).join(' or ')}?`
    throw new RevokeSelectionError(
      `Could not revoke the API token '${tokenName}': input 'token-name' names no API token of the account that owns api-token, ` +
        `so nothing was revoked.${hint} List them with \`turso auth api-tokens list\`; to revoke a member's ` +
        "organization token, set 'organization' (and 'token-owner') and use an admin's API token."
    )
  }
  const result = await context.turso.revokeApiToken(tokenName)
  const description = `API token '${tokenName}'`
  const revokedName = result.outcome === 'revoked' ? result.reported : tokenName
  if (result.outcome === 'not-found') {
    await confirmGone(context, description, result, async () => (await context.turso.listApiTokens(null, tokenName)).tokens.some((t) => t.name === tokenName))
  } else {
    context.info(`Revoked API token '${revokedName}'`)
  }
  context.setOutput('token-name', revokedName)
  context.report.target = `API token '${revokedName}'`
  context.report.facts.push(['Revoked', result.outcome === 'revoked' ? 'yes' : 'yes (found already gone, confirmed by listing)'])
}

async function revokeOrganizationToken(context: OperationContext, organization: string, tokenName: string, owner: string | null): Promise<void> {
  const listed = await context.turso.listApiTokens(organization, tokenName)
  warnSkippedEntries(context, listed)
  const token = selectOrganizationToken(listed, organization, tokenName, owner)
  const ownerText = token.owner === null ? '' : ` of ${ownerLabel(token)}`
  const description = `API token '${token.name}'${ownerText} (ID ${token.id})`
  const result = await context.turso.revokeOrganizationApiToken(organization, token.id, description)
  if (result.outcome === 'not-found') {
    await confirmGone(context, description, result, async () => (await context.turso.listApiTokens(organization, tokenName)).tokens.some((t) => t.id === token.id))
  } else {
    context.info(`Revoked ${description} in organization '${organization}'`)
  }
  context.setOutput('token-name', token.name)
  context.setOutput('token-id', token.id)
  context.report.target = `${description} in organization '${organization}'`
  context.report.facts.push(['Revoked', result.outcome === 'revoked' ? 'yes' : 'yes (found already gone, confirmed by listing)'])
}

/**
 * The token was listed, then the DELETE answered 404: gone if a second listing no longer holds
 * it (an earlier attempt whose answer was lost, or someone else, revoked it); otherwise the 404
 * came from something else and nothing is claimed.
 */
async function confirmGone(
  context: OperationContext,
  description: string,
  result: Extract<DeleteResult, { outcome: 'not-found' }>,
  stillListed: () => Promise<boolean>
): Promise<void> {
  if (await stillListed()) {
    throw new Error(
      `Could not revoke the ${description}: Turso answered HTTP 404 to the DELETE, yet still lists the token, so it was not revoked. ` +
        'Check api-url (a proxy in between may answer for Turso) and re-run; if this persists, revoke the token in the Turso dashboard.'
    )
  }
  const why =
    result.attempts > 1
      ? 'an earlier attempt, whose answer was lost, revoked it'
      : 'it was listed moments before, so something else revoked it in between'
  context.notice(`The ${description} was already gone when the DELETE arrived (${why}); a second listing confirms it no longer exists`)
}

/**
 * Exactly one listed token, by name and (when several members' tokens share the name) owner;
 * otherwise an error and nothing deleted. Entries left out of the list (an ID that cannot be sent
 * back) still count when they share the name: the one usable namesake may be another member's.
 */
function selectOrganizationToken(list: ApiTokenList, organization: string, tokenName: string, owner: string | null): ListedApiToken {
  const named = list.tokens.filter((token) => token.name === tokenName)
  const unusable = list.unusable.filter((entry) => entry.name === tokenName)
  const fail = (problem: string): never => {
    throw new RevokeSelectionError(`Could not revoke the API token '${tokenName}' in organization '${organization}': ${problem} Nothing was revoked.`)
  }
  const unusableNote = (count: number): string =>
    count === 0 ? '' : ` (${count} of them listed with an ID the action cannot send back: revoke that one with the Turso CLI or dashboard)`
  if (named.length === 0 && unusable.length === 0) {
    fail(
      `input 'token-name' names no token in the organization's list. An admin's or owner's API token sees every member's ` +
        "organization- and group-scoped tokens, a member's only their own; a token without an organization (unrestricted) " +
        "is not in this list: revoke it without 'organization', with its owner's API token."
    )
  }
  const owners = (candidates: ReadonlyArray<Pick<ListedApiToken, 'owner'>>): string => candidates.map((token) => `'${ownerLabel(token)}'`).join(', ')
  if (owner === null) {
    if (named.length === 1 && unusable.length === 0) return named[0] as ListedApiToken
    const all = [...named, ...unusable]
    if (all.length === 1) fail(`the only token of this name is listed with an ID the action cannot send back: revoke it with the Turso CLI or dashboard.`)
    fail(
      `${all.length} members' tokens share this name (owners: ${owners(all)})${unusableNote(unusable.length)}; ` +
        "set input 'token-owner' to the username or email of the one to revoke."
    )
  }
  if ([...named, ...unusable].every((token) => token.owner === null)) {
    fail(
      "input 'token-owner' is set, but Turso lists no owners: it shows them only to admins and owners of the organization, " +
        "and a member's API token sees only that member's own tokens. Use an admin's or owner's API token, or remove token-owner to revoke your own token."
    )
  }
  const owned = named.filter((token) => ownedBy(token, owner as string))
  // An unusable entry without a listed owner may be this owner's: it counts, to be safe.
  const ownedUnusable = unusable.filter((entry) => entry.owner === null || ownedBy(entry, owner as string))
  if (owned.length === 1 && ownedUnusable.length === 0) return owned[0] as ListedApiToken
  if (owned.length === 0 && ownedUnusable.length === 0) {
    fail(`no token of this name belongs to '${owner}' (input 'token-owner'); tokens of this name belong to: ${owners([...named, ...unusable])}.`)
  }
  if (owned.length === 0) fail(`the token of this name that may belong to '${owner}' is listed with an ID the action cannot send back: revoke it with the Turso CLI or dashboard.`)
  const ids = owned.map((token) => token.id).join(', ')
  return fail(`'${owner}' has ${owned.length + ownedUnusable.length} tokens of this name (IDs ${ids}${unusableNote(ownedUnusable.length)}); revoke them with the Turso CLI.`)
}
