import { repositoryProblem } from './github-names.js'
import { invalidInput } from './input-error.js'

// @actions/core getBooleanInput's lists: the YAML 1.2 core schema booleans.
const TRUE_WORDS: readonly string[] = ['true', 'True', 'TRUE']
const FALSE_WORDS: readonly string[] = ['false', 'False', 'FALSE']

/**
 * A boolean input, accepted exactly as @actions/core `getBooleanInput` accepts
 * it (true | True | TRUE | false | False | FALSE, surrounding spaces ignored).
 * An empty value is an error, as there; a caller with a default applies it first.
 */
export function parseBoolean(input: string, value: string): boolean {
  const word = value.trim()
  if (TRUE_WORDS.includes(word)) return true
  if (FALSE_WORDS.includes(word)) return false
  throw invalidInput(input, 'a boolean: true | True | TRUE | false | False | FALSE', value)
}

export const MAX_RETRIES = 10

/** The `retries` input: a whole number from 0 to {@link MAX_RETRIES}. */
export function parseRetries(value: string): number {
  const text = value.trim()
  const accepted = `a whole number from 0 to ${MAX_RETRIES}`
  if (!/^\d+$/u.test(text)) throw invalidInput('retries', accepted, value)
  const retries = Number(text)
  if (retries > MAX_RETRIES) throw invalidInput('retries', accepted, value, 'too many: each retry waits longer than the last')
  return retries
}

export const MAX_TIMEOUT_SECONDS = 600

/** The `timeout` input: seconds per HTTP attempt, more than 0 and at most {@link MAX_TIMEOUT_SECONDS}; decimals allowed. */
export function parseTimeoutSeconds(value: string): number {
  const text = value.trim()
  const accepted = `a number of seconds above 0 and at most ${MAX_TIMEOUT_SECONDS}, such as 30 or 2.5`
  if (!/^(?:\d+(?:\.\d+)?|\.\d+)$/u.test(text)) throw invalidInput('timeout', accepted, value)
  const seconds = Number(text)
  if (seconds <= 0) throw invalidInput('timeout', accepted, value, 'a timeout of 0 would fail every request')
  if (seconds > MAX_TIMEOUT_SECONDS) throw invalidInput('timeout', accepted, value, 'too long')
  return seconds
}

export const MAX_VERIFY_TIMEOUT_SECONDS = 3600

/**
 * The `verify-timeout` input: seconds `verify` keeps trying while the database is not ready,
 * from 0 (one attempt, no waiting) to {@link MAX_VERIFY_TIMEOUT_SECONDS}; decimals allowed.
 */
export function parseVerifyTimeoutSeconds(value: string): number {
  const text = value.trim()
  const accepted = `a number of seconds from 0 to ${MAX_VERIFY_TIMEOUT_SECONDS}, such as 60 or 7.5 (0 tries once)`
  if (!/^(?:\d+(?:\.\d+)?|\.\d+)$/u.test(text)) throw invalidInput('verify-timeout', accepted, value)
  const seconds = Number(text)
  if (seconds > MAX_VERIFY_TIMEOUT_SECONDS) throw invalidInput('verify-timeout', accepted, value, 'too long: a job waiting an hour for a database is better re-run')
  return seconds
}

export const OPERATIONS = ['create-token', 'rotate', 'revoke', 'create-api-token', 'rotate-api-token'] as const
export type Operation = (typeof OPERATIONS)[number]

/** The `operation` input: one of {@link OPERATIONS}, exactly (lowercase). */
export function parseOperation(value: string): Operation {
  const text = value.trim()
  const operation = OPERATIONS.find((candidate) => candidate === text)
  if (operation !== undefined) return operation
  const accepted = `one of ${OPERATIONS.join(', ')}`
  if (text === '') throw invalidInput('operation', accepted, value, 'it is required')
  const lower = OPERATIONS.find((candidate) => candidate === text.toLowerCase())
  throw invalidInput('operation', accepted, value, lower === undefined ? undefined : `write it in lowercase: ${lower}`)
}

/**
 * A GitHub repository as `owner/name` (the `secret-repository` input, whose default is
 * GITHUB_REPOSITORY, and each entry of `secret-repositories`), checked with GitHub's naming
 * rules (src/parsers/github-names.ts). Returns it trimmed, case preserved.
 */
export function parseRepository(value: string, input = 'secret-repository'): string {
  const text = value.trim()
  const fail = (reason?: string) => invalidInput(input, 'a GitHub repository as owner/name, such as octo-org/app', value, reason)
  if (text === '') throw fail(input === 'secret-repository' ? 'it is empty and GITHUB_REPOSITORY is not set' : 'it is empty')
  const problem = repositoryProblem(text)
  if (problem !== undefined) throw fail(problem)
  return text
}
