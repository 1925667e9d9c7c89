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

/**
 * Every known secret, each of its long dot-separated parts (a JWT's payload or signature echoed
 * alone, or the head of a token cut short) and anything shaped like a JWT, starred out.
 */
export function redact(text: string): string {
  return redactJwtShaped(replaceSecrets(text, [...knownSecrets].flatMap(secretParts)))
}

/** JWT parts shorter than this are too generic to be worth redacting on their own. */
const MIN_REDACTED_PART_LENGTH = 16

/** A secret and each of its dot-separated parts long enough to identify it. */
export function secretParts(secret: string): string[] {
  const parts = secret.split('.').filter((part) => part.length >= MIN_REDACTED_PART_LENGTH && part !== secret)
  return [secret, ...parts]
}

/**
 * `eyJ` is how base64 of `{"` begins, so every JWT header (and payload) starts with it: a run of
 * it and what follows in base64url, with up to two more dot-separated parts, is a token (maybe
 * one this run never saw, or one cut short by whoever echoed it), never a message worth reading.
 */
const JWT_SHAPED = /eyJ[A-Za-z0-9_-]{10,}(?:\.[A-Za-z0-9_-]*){0,2}/gu

export function redactJwtShaped(text: string): string {
  return text.replace(JWT_SHAPED, '***')
}

/**
 * A JSON body as its reader sees it: parsed and written again, so `\u0065yJ…` becomes `eyJ…` and
 * a secret spelled with escapes can be found and redacted. Text that is not JSON is returned as it is.
 */
export function decodeJsonEscapes(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text))
  } catch {
    return text
  }
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
