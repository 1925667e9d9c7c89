/**
 * What a failed GitHub call is told as (src/github/failure-guidance.ts), case by case: the
 * transport's failures, redirects, rate limits with the time they lift, refusals of the token and
 * of a secret-repositories lookup, GitHub outages; and the scrub of known secrets.
 */
import { describe, expect, it } from '@jest/globals'
import { explainFailure, scrub } from '../src/github/failure-guidance.js'
import { GitHubAnswerError } from '../src/github/github-api.js'
import type { SecretScope } from '../src/github/secret-target.js'
import { NetworkError } from '../src/http/http-client.js'

const NOW = Date.parse('2026-01-01T00:00:00.250Z')
const repository: SecretScope = { kind: 'repository', type: 'actions', owner: 'octo-org', repo: 'app' }
const dependabotOrganization: SecretScope = { kind: 'organization', type: 'dependabot', organization: 'octo-org', visibility: 'private', selectedRepositories: [] }
const actionsOrganization: SecretScope = { ...dependabotOrganization, type: 'actions' }

const answer = (status: number, headers: Record<string, string> = {}, message = 'GitHub says no', attempts = 1): GitHubAnswerError =>
  new GitHubAnswerError(status, headers, message, attempts)

describe('GitHubAnswerError', () => {
  it('says only the status in its own message: GitHub’s words are kept apart, for the server-text rule', () => {
    const error = answer(503, {}, 'secret words')
    expect(error.message).toBe('GitHub answered HTTP 503')
    expect(error.name).toBe('GitHubAnswerError')
    expect(error.gitHubMessage).toBe('secret words')
  })
})

describe('transport failures', () => {
  it.each([
    ['timed out', 'GitHub did not answer within the timeout input: check that the GitHub API is reachable'],
    ['connection refused', 'GitHub could not be reached: check that the GitHub API is reachable'],
    ['the response was larger than 1048576 bytes', 'No answer of the GitHub secrets API is that large: check that GITHUB_API_URL']
  ])('%s', (reason, says) => {
    const { message, status } = explainFailure(new NetworkError(`GET https://api.github.com/x failed after 2 attempts: ${reason}`, 2, reason), repository)
    expect(message.startsWith(`GET https://api.github.com/x failed after 2 attempts: ${reason}. ${says}`)).toBe(true)
    expect(status).toBeUndefined()
  })
})

describe('redirects', () => {
  it.each([300, 301, 399])('HTTP %d is a redirect that is not followed', (status) => {
    const { message } = explainFailure(answer(status, { location: 'https://elsewhere.example/x' }), repository)
    expect(message).toBe(
      `GitHub redirected the request (HTTP ${status}) to https://elsewhere.example/x; redirects are not followed so the token is not sent elsewhere. If the repository was renamed or transferred, use its current owner/name.`
    )
  })

  it('without a location, "another URL"', () => {
    expect(explainFailure(answer(302), repository).message).toContain('GitHub redirected the request (HTTP 302) to another URL;')
  })

  it('HTTP 400 is not a redirect', () => {
    expect(explainFailure(answer(400), repository)).toEqual({ status: 400, message: 'GitHub says no (HTTP 400).' })
  })
})

describe('rate limits', () => {
  it.each([
    ['119', 'it lifts at 2026-01-01T00:01:59Z (in 119 s)'],
    ['120', 'it lifts at 2026-01-01T00:02:00Z (in 2 min)'],
    ['3599', 'it lifts at 2026-01-01T00:59:59Z (in 60 min)']
  ])('Retry-After %s: %s', (retryAfter, says) => {
    const { message, status } = explainFailure(answer(429, { 'retry-after': retryAfter }, 'slow down', 3), repository, undefined, NOW)
    expect(status).toBe(429)
    expect(message).toBe(
      `slow down (HTTP 429). GitHub is rate limiting the github-token (still limited after 3 attempts); ${says}. This is not a missing permission: the token's permissions need no change.`
    )
  })

  it('a 403 with x-ratelimit-remaining: 0 is a rate limit even for a secret-repositories lookup', () => {
    const { message } = explainFailure(answer(403, { 'x-ratelimit-remaining': '0' }), repository, 'octo-org/api', NOW)
    expect(message).toContain('GitHub is rate limiting the github-token (still limited after 1 attempt); GitHub did not say when it lifts')
    expect(message).not.toContain('secret-repositories')
  })
})

describe('refusals and outages', () => {
  it('401: the token is rejected, for a key and for a lookup alike', () => {
    const rejected = 'The github-token was rejected: it is wrong, expired or revoked. Update the github-token input with a valid token.'
    expect(explainFailure(answer(401), repository).message).toBe(`GitHub says no (HTTP 401). ${rejected}`)
    expect(explainFailure(answer(401), repository, 'octo-org/api').message).toBe(`GitHub says no (HTTP 401). ${rejected}`)
  })

  it('403 names the permission without the 404 hint; 404 adds it', () => {
    const forbidden = explainFailure(answer(403), repository).message
    expect(forbidden).toMatch(/^GitHub says no \(HTTP 403\)\. The github-token lacks permission to write secrets: /)
    const missing = explainFailure(answer(404), repository).message
    expect(missing).toMatch(/^GitHub says no \(HTTP 404\)\. GitHub answers 404 for repositories the token cannot see, so check both the name octo-org\/app and the token permissions\. The github-token lacks/)
  })

  it.each<[SecretScope, number, string]>([
    [{ kind: 'repository', type: 'dependabot', owner: 'octo-org', repo: 'app' }, 403, 'The github-token lacks permission to write Dependabot secrets: a fine-grained token needs "Dependabot secrets: Read and write" on octo-org/app (a GitHub App: permission-dependabot-secrets: write), a classic token needs the `repo` scope. The default GITHUB_TOKEN cannot write secrets.'],
    [{ kind: 'environment', type: 'actions', owner: 'octo-org', repo: 'app', environment: 'prod' }, 403, 'The github-token lacks permission to write environment secrets: a fine-grained token needs "Secrets: Read and write" and "Environments: Read and write" on octo-org/app (a GitHub App: permission-secrets: write and permission-environments: write), a classic token needs the `repo` scope. The default GITHUB_TOKEN cannot write secrets.'],
    [actionsOrganization, 404, 'GitHub answers 404 for organizations and secrets the token may not manage, so check both the name octo-org and the token permissions. The github-token lacks permission to write Actions secrets of organization octo-org: writing organization secrets needs an organization admin\'s token (a fine-grained token owned by octo-org with the organization permission "Secrets: Read and write", or a classic token with the `admin:org` scope)'],
    [dependabotOrganization, 403, 'with the organization permission "Organization dependabot secrets: Read and write", or a classic token']
  ])('each destination names its own permissions (%#)', (scope, status, says) => {
    expect(explainFailure(answer(status), scope).message).toContain(says)
  })

  it('a lookup refusal says the token must be able to read the repository', () => {
    expect(explainFailure(answer(404), repository, 'octo-org/api').message).toContain(
      'GitHub answers 404 for repositories the token cannot see, so the github-token must also be able to read it (a fine-grained token: "Metadata: Read-only" on it).'
    )
  })

  it.each([403, 404])('a secret-repositories lookup refused with %d names the repository', (status) => {
    expect(explainFailure(answer(status), repository, 'octo-org/api').message).toMatch(
      new RegExp(`^GitHub says no \\(HTTP ${status}\\)\\. Check that octo-org/api \\(listed in secret-repositories\\) exists under that name`)
    )
  })

  it.each([
    [dependabotOrganization, 'The github-token lacks permission to write Dependabot secrets of organization octo-org: ', 'or a GitHub App installed on the organization with the organization permission "Organization dependabot secrets: write".'],
    [actionsOrganization, 'The github-token lacks permission to write Actions secrets of organization octo-org: ', 'or a GitHub App installed on the organization with permission-organization-secrets: write.']
  ])('organization secrets: the organization permission by its name (%#)', (scope, starts, app) => {
    const { message } = explainFailure(answer(403), scope)
    expect(message).toContain(`(HTTP 403). ${starts}`)
    expect(message).toContain(app)
  })

  it.each([
    [408, 2, true],
    [500, 3, true],
    [503, 1, true],
    [499, 1, false],
    [422, 1, false]
  ])('HTTP %d after %d attempts: an outage? %s', (status, attempts, outage) => {
    const { message } = explainFailure(answer(status, {}, 'x', attempts), repository, 'octo-org/api')
    const tries = attempts === 1 ? '1 attempt' : `${attempts} attempts`
    expect(message).toBe(outage ? `x (HTTP ${status}). GitHub still failed after ${tries}; it may be having an outage (https://www.githubstatus.com).` : `x (HTTP ${status}).`)
  })

  it('a failure that is neither an answer nor the transport is told in its own words, made printable', () => {
    expect(explainFailure(new Error('GitHub answered without a valid key_id\n::x::'), repository).message).toBe('GitHub answered without a valid key_id : :x: :')
    expect(explainFailure('thrown text', repository).message).toBe('thrown text')
  })
})

describe('scrub', () => {
  it('stars out each secret of six characters or more; shorter ones would blank ordinary words', () => {
    expect(scrub('value 123456 and 12345', '12345')).toBe('value 123456 and 12345')
    const scrubbed = scrub('value 123456 here, tokens abcdefgh', '123456', 'abcdefgh', 'value')
    expect(scrubbed).toMatch(/^value \S+ here, tokens \S+$/)
    expect(scrubbed).not.toMatch(/123456|abcdefgh/)
  })
})
