/**
 * The ways a rotation can end badly, each with its own message: nothing was rotated (a check
 * failed first), the replacement is delivered but unverified, or a concurrent rotation killed it.
 */

/** A check before `POST .../auth/rotate` failed: nothing was invalidated. */
export class PreflightError extends Error {
  constructor(check: string, cause: string) {
    super(`Nothing was rotated: the old tokens still work. Before rotating, ${check} failed: ${sentence(cause)}`)
    this.name = 'PreflightError'
  }
}

/** After a rotation the replacement was delivered (output, secret, env) but could not be verified. */
export class UnverifiedReplacementError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'UnverifiedReplacementError'
  }
}

/** The replacement verified, was stored, and then stopped working: another rotation of the group. */
export class ConcurrentRotationError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ConcurrentRotationError'
  }
}

/**
 * The rotate request got no clear answer, so the old tokens may be dead; the replacement was
 * minted and delivered anyway (or the message says what stopped it).
 */
export class RotationOutcomeUnknownError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'RotationOutcomeUnknownError'
  }
}

/** Ends a message with a full stop unless it already ends a sentence, so two never run together. */
export function sentence(text: string): string {
  const trimmed = text.trim()
  return /[.!?…]$/u.test(trimmed) ? trimmed : `${trimmed}.`
}
