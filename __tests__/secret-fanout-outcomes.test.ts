/**
 * prepareFanOut on its own, over stand-in one-destination stores: the order it prepares and writes
 * in, that it goes on after a failure, what it reports per destination, and the wording of the
 * failure for none, one and several destinations written.
 */
import { describe, expect, it } from '@jest/globals'
import { prepareFanOut, type DestinationOutcome } from '../src/github/secret-fanout.js'
import { GitHubSecretError } from '../src/github/secret-error.js'
import type { PreparedSecret } from '../src/github/secret-store.js'
import type { SecretTarget } from '../src/github/secret-target.js'
import { rejectedWith } from './support/rejection.js'

const targets: SecretTarget[] = ['a', 'b', 'c'].map((name) => ({ secretName: 'T', repository: `o/${name}` }))

/** Stores that fail for the repositories named in `failing` (at prepare or at store), recording every call. */
function stores(failing: { prepare?: string[]; store?: string[] } = {}): { calls: string[]; outcomes: DestinationOutcome[]; options: Parameters<typeof prepareFanOut>[2] } {
  const calls: string[] = []
  const outcomes: DestinationOutcome[] = []
  const options = {
    prepare: async (target: SecretTarget): Promise<PreparedSecret> => {
      const location = `repository ${target.repository}`
      calls.push(`prepare ${target.repository}`)
      if (failing.prepare?.includes(target.repository as string)) throw new GitHubSecretError(`Could not write secret T to ${location}: reading its public key failed: HTTP 403`)
      return {
        location,
        store: async (value: string): Promise<void> => {
          calls.push(`store ${target.repository} ${value}`)
          if (failing.store?.includes(target.repository as string)) throw new GitHubSecretError(`Could not write secret T to ${location}: writing the encrypted value failed: HTTP 502.`)
        }
      }
    },
    onOutcome: (outcome: DestinationOutcome): void => {
      outcomes.push(outcome)
    }
  }
  return { calls, outcomes, options }
}

const failure = (promise: Promise<unknown>): Promise<GitHubSecretError> => rejectedWith(GitHubSecretError, promise)

describe('prepareFanOut', () => {
  it('prepares every destination before returning, then writes each in order and reports each', async () => {
    const { calls, outcomes, options } = stores()
    const store = await prepareFanOut('T', targets, options)
    expect(calls).toEqual(['prepare o/a', 'prepare o/b', 'prepare o/c'])
    expect(store.location).toBe('repository o/a, repository o/b and repository o/c')
    await store.store('v')
    expect(calls.slice(3)).toEqual(['store o/a v', 'store o/b v', 'store o/c v'])
    expect(outcomes).toEqual([{ location: 'repository o/a' }, { location: 'repository o/b' }, { location: 'repository o/c' }])
  })

  it('prepares all of them even after one fails, and names each that failed', async () => {
    const { calls, options } = stores({ prepare: ['o/a', 'o/c'] })
    const error = await failure(prepareFanOut('T', targets, options))
    expect(calls).toEqual(['prepare o/a', 'prepare o/b', 'prepare o/c'])
    expect(error.message).toBe(
      'Could not reach 2 of the 3 destinations of secret T with github-token, so nothing was minted or written. ' +
        'Could not write secret T to repository o/a: reading its public key failed: HTTP 403. ' +
        'Could not write secret T to repository o/c: reading its public key failed: HTTP 403. ' +
        'Give github-token access to every destination in secret-targets (or remove those it cannot reach), then re-run.'
    )
  })

  it('one destination: its own error, unchanged', async () => {
    const { options } = stores({ prepare: ['o/a'] })
    const error = await failure(prepareFanOut('T', targets.slice(0, 1), options))
    expect(error.message).toBe('Could not write secret T to repository o/a: reading its public key failed: HTTP 403')
    const single = stores({ store: ['o/a'] })
    const store = await prepareFanOut('T', targets.slice(0, 1), single.options)
    expect((await failure(store.store('v'))).message).toBe('Could not write secret T to repository o/a: writing the encrypted value failed: HTTP 502.')
    expect(single.outcomes).toEqual([{ location: 'repository o/a', failure: 'writing the encrypted value failed: HTTP 502.' }])
  })

  it.each<[string, string[], RegExp]>([
    ['one of three not written', ['o/b'], /^Secret T was written to 2 of 3 destinations\. Not written to repository o\/b: writing the encrypted value failed: HTTP 502\. The 2 written hold the new token: /],
    [
      'two of three',
      ['o/a', 'o/c'],
      /^Secret T was written to 1 of 3 destinations\. Not written to repository o\/a: writing .* HTTP 502\. Not written to repository o\/c: writing .* HTTP 502\. The one written holds the new token: /
    ],
    ['none', ['o/a', 'o/b', 'o/c'], /^Secret T was written to 0 of 3 destinations\. .* No destination holds the new token: fix what each reason says, then re-run so that every destination holds the same token\.$/]
  ])('writes every destination even when %s fails, then names those not written', async (_label, failing, message) => {
    const { calls, outcomes, options } = stores({ store: failing })
    const store = await prepareFanOut('T', targets, options)
    const error = await failure(store.store('v'))
    expect(calls.filter((call) => call.startsWith('store'))).toHaveLength(3)
    expect(error.message).toMatch(message)
    expect(outcomes.map((outcome) => outcome.failure !== undefined)).toEqual(['o/a', 'o/b', 'o/c'].map((name) => failing.includes(name)))
    expect(outcomes.find((outcome) => outcome.failure !== undefined)?.failure).toBe('writing the encrypted value failed: HTTP 502.')
  })

  it('a failure message in another shape is kept whole, and ends as a sentence', async () => {
    const options = {
      prepare: async (target: SecretTarget): Promise<PreparedSecret> => ({
        location: `repository ${target.repository}`,
        store: async (): Promise<void> => {
          if (target.repository === 'o/a') throw new Error('connect ECONNREFUSED 127.0.0.1:443')
        }
      }),
      onOutcome: (): void => undefined
    }
    const error = await failure((await prepareFanOut('T', targets.slice(0, 2), options)).store('v'))
    expect(error.message).toMatch(/Not written to repository o\/a: connect ECONNREFUSED 127\.0\.0\.1:443\. The one written holds/)
  })
})
