import * as core from '@actions/core'

/**
 * Every secret this run has seen. Each is masked with `::add-mask::` the moment it is
 * registered, and any text we print goes through `redact` as a second line of defence:
 * an API error body may echo a token back to us.
 */
const knownSecrets = new Set<string>()

export function registerSecret(value: string): void {
  if (value === '' || knownSecrets.has(value)) return
  knownSecrets.add(value)
  core.setSecret(value)
}

/** A value the start-up path (src/startup/early-start.ts) has already masked: known, never announced twice. */
export function noteMaskedSecret(value: string): void {
  if (value !== '') knownSecrets.add(value)
}

export function redact(text: string): string {
  return replaceSecrets(text, [...knownSecrets])
}

/** Replaces every occurrence of each value with `***`; longest first, so one containing another goes whole. */
export function replaceSecrets(text: string, secrets: readonly string[]): string {
  let result = text
  for (const secret of [...secrets].filter((value) => value !== '').sort((a, b) => b.length - a.length)) {
    result = result.split(secret).join('***')
  }
  return result
}

/** Tests run the action many times in one process; each run starts with a clean slate. */
export function forgetSecrets(): void {
  knownSecrets.clear()
}
