/**
 * rotate-api-token names each generation `<token-name>-<UTC yyyymmddThhmmssZ>`; the first one,
 * created by hand or by create-api-token, may be `<token-name>` itself.
 */

/** `ci-20261204T203015Z` for base `ci` at 2026-12-04 20:30:15 UTC. */
export function generationName(baseName: string, at: Date): string {
  // 2026-12-04T20:30:15.123Z: the first 19 characters, without '-' and ':', then 'Z'.
  return `${baseName}-${at.toISOString().slice(0, 19).replace(/[-:]/gu, '')}Z`
}

const STAMP = /^\d{8}T\d{6}Z$/u

/** How much longer a generation's name is than its base name: `-yyyymmddThhmmssZ`, 17 characters (readConfig checks the fit). */
export const GENERATION_SUFFIX_LENGTH = generationName('', new Date(0)).length

/**
 * True for `<base>` and `<base>-<stamp>` exactly: never `<base>-other`, `<base>x` or a name that
 * only starts like one, since revoking someone's unrelated token cannot be undone.
 */
export function isGenerationOf(baseName: string, name: string): boolean {
  if (name === baseName) return true
  return name.startsWith(`${baseName}-`) && STAMP.test(name.slice(baseName.length + 1))
}
