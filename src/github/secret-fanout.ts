/**
 * One secret written to several destinations (`secret-targets`), on top of the one-destination
 * store: every destination is prepared (public key, repository IDs) before a value exists, so a
 * github-token that cannot reach one of them stops the run before anything is minted or rotated;
 * once there is a value, every destination is written even when one fails, and the failure names
 * each destination that was not written. With a single destination it behaves, and fails, exactly
 * like that destination's own store.
 */
import { GitHubSecretError, PartialSecretWriteError } from './secret-error.js'
import type { PreparedSecret } from './secret-store.js'
import type { SecretTarget } from './secret-target.js'
import { describeSecretTargets } from './secret-targets.js'

/** How one destination fared: written, or the reason it was not (no secret in it). */
export interface DestinationOutcome {
  location: string
  failure?: string
}

export interface FanOutOptions {
  /** The one-destination store (prepareSecret with the run's options). */
  prepare(target: SecretTarget): Promise<PreparedSecret>
  /** Called once per destination, in order, after its write: for the log and the job summary. */
  onOutcome(outcome: DestinationOutcome): void
}

/** Prepares every destination (all of them, so one run reports every problem); throws GitHubSecretError naming each that failed. */
export async function prepareFanOut(secretName: string, targets: readonly SecretTarget[], options: FanOutOptions): Promise<PreparedSecret> {
  const prepared: PreparedSecret[] = []
  const failures: Error[] = []
  for (const target of targets) {
    try {
      prepared.push(await options.prepare(target))
    } catch (error) {
      failures.push(error as Error)
    }
  }
  if (failures.length > 0) {
    if (targets.length === 1) throw failures[0]
    throw new GitHubSecretError(
      `Could not reach ${failures.length} of the ${targets.length} destinations of secret ${secretName} with github-token, so nothing was minted or written. ` +
        `${failures.map((failure) => asSentence(failure.message)).join(' ')} Give github-token access to every destination in secret-targets (or remove those it cannot reach), then re-run.`
    )
  }
  return {
    location: describeSecretTargets(targets),
    store: (value) => storeEverywhere(secretName, prepared, value, options)
  }
}

async function storeEverywhere(secretName: string, destinations: readonly PreparedSecret[], value: string, options: FanOutOptions): Promise<void> {
  const failures: Array<{ location: string; error: Error }> = []
  for (const destination of destinations) {
    try {
      await destination.store(value)
      options.onOutcome({ location: destination.location })
    } catch (error) {
      failures.push({ location: destination.location, error: error as Error })
      options.onOutcome({ location: destination.location, failure: reason(secretName, destination.location, error as Error) })
    }
  }
  if (failures.length === 0) return
  // One destination: its own error, as without secret-targets.
  if (destinations.length === 1) throw (failures[0] as { error: Error }).error
  const written = destinations.length - failures.length
  const notWritten = failures.map((failure) => `${failure.location}: ${asSentence(reason(secretName, failure.location, failure.error))}`)
  throw new PartialSecretWriteError(
    `Secret ${secretName} was written to ${written} of ${destinations.length} destinations. Not written to ${notWritten.join(' Not written to ')} ` +
      `${holders(written)} the new token: fix what each reason says, then re-run so that every destination holds the same token.`,
    written
  )
}

function holders(written: number): string {
  if (written === 0) return 'No destination holds'
  return written === 1 ? 'The one written holds' : `The ${written} written hold`
}

function asSentence(text: string): string {
  return /[.!?]$/u.test(text) ? text : `${text}.`
}

/** The store's message without its "Could not write secret X to <location>: " opening, which the row already says. */
function reason(secretName: string, location: string, error: Error): string {
  const opening = `Could not write secret ${secretName} to ${location}: `
  return error.message.startsWith(opening) ? error.message.slice(opening.length) : error.message
}
