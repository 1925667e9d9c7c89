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

export function redact(text: string): string {
  let result = text
  // Longest first, so a secret that contains another is replaced whole.
  for (const secret of [...knownSecrets].sort((a, b) => b.length - a.length)) {
    result = result.split(secret).join('***')
  }
  return result
}

/** Tests run the action many times in one process; each run starts with a clean slate. */
export function forgetSecrets(): void {
  knownSecrets.clear()
}
