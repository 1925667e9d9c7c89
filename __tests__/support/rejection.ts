import { InputError } from '../../src/parsers/input-error.js'

/** The InputError a parser throws for a value; fails the test when it accepts it or throws anything else. */
export function rejection(run: () => unknown): InputError {
  try {
    run()
  } catch (error) {
    if (error instanceof InputError) return error
    throw error
  }
  throw new Error('expected the value to be rejected')
}
