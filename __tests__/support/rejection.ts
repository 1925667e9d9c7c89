import { expect } from '@jest/globals'
import { InputError } from '../../src/parsers/input-error.js'

/** The error of class `kind` that `run` throws; fails the test when it returns or throws anything else. */
export function thrown<E extends Error>(kind: abstract new (...args: never[]) => E, run: () => unknown): E {
  try {
    run()
  } catch (error) {
    if (error instanceof kind) return error
    throw error
  }
  throw new Error('expected the value to be rejected')
}

/** The InputError a parser throws for a value; fails the test when it accepts it or throws anything else. */
export function rejection(run: () => unknown): InputError {
  return thrown(InputError, run)
}

/** What `promise` rejects with, asserted to be of class `kind` (a fulfilled promise fails the assertion with undefined). */
export async function rejectedWith<E extends Error>(kind: abstract new (...args: never[]) => E, promise: Promise<unknown>): Promise<E> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught
  )
  expect(error).toBeInstanceOf(kind)
  return error as E
}
