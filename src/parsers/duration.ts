import { echoValue, invalidInput, type InputError } from './input-error.js'

/**
 * The `expiration` input. The Turso API parses it with go-str2duration v2's
 * `ParseDuration` (Go's `time.ParseDuration` plus `d` and `w`), or takes the
 * literal `never`. It is checked here first so a bad value fails before any
 * request; a valid one is forwarded to the API as typed (trimmed).
 */
export type Expiration = { kind: 'never' } | { kind: 'duration'; text: string }

const INPUT = 'expiration'
const ACCEPTED = "a duration such as 30m, 12h, 7d, 1w2d6h3ns or 1.5h, or 'never'"

const MAX_INT64 = (1n << 63n) - 1n

// go-str2duration v2.1.0 `unitMap`, in nanoseconds. Case-sensitive.
const NANOSECONDS_PER_UNIT: ReadonlyMap<string, bigint> = new Map([
  ['ns', 1n],
  ['us', 1_000n],
  ['µs', 1_000n], // U+00B5 micro sign
  ['μs', 1_000n], // U+03BC Greek small letter mu
  ['ms', 1_000_000n],
  ['s', 1_000_000_000n],
  ['m', 60_000_000_000n],
  ['h', 3_600_000_000_000n],
  ['d', 86_400_000_000_000n],
  ['w', 604_800_000_000_000n]
])

const UNIT_LIST = 'ns, us, µs, ms, s, m, h, d, w'

const TOO_LARGE = 'too long: the API limit is about 292 years (2^63-1 nanoseconds)'

// A JWT `exp` is whole seconds, so a shorter lifetime yields a token that has
// expired by the time anyone could use it.
const MINIMUM_NANOSECONDS = 1_000_000_000n

/** Why go-str2duration would reject the text; carries a reason for the user. */
class DurationSyntaxError extends Error {}

function isDigit(character: string | undefined): boolean {
  return character !== undefined && character >= '0' && character <= '9'
}

/**
 * A line-by-line port of go-str2duration v2.1.0 `ParseDuration`
 * (github.com/xhit/go-str2duration/v2, str2duration.go), which itself is Go's
 * `time.ParseDuration` with days and weeks. BigInt stands in for Go's int64 so
 * the overflow checks fire exactly where Go's do; the fraction is computed in
 * float64 as in Go. Returns nanoseconds; a leading sign is handled by the
 * caller (this port is only fed unsigned text).
 */
export function parseGoDuration(text: string): bigint {
  let rest = text
  // Special case: a bare "0" is zero and needs no unit.
  if (rest === '0') return 0n
  if (rest === '') throw new DurationSyntaxError('empty duration')
  let total = 0n
  while (rest !== '') {
    // The next character must be [0-9.]
    if (!(rest[0] === '.' || isDigit(rest[0]))) {
      throw new DurationSyntaxError(`expected a number before '${echoValue(rest.slice(0, 8))}'`)
    }
    // Consume [0-9]* (Go's leadingInt: fails on int64 overflow).
    let whole = 0n
    let index = 0
    while (isDigit(rest[index])) {
      if (whole > MAX_INT64 / 10n) throw new DurationSyntaxError(TOO_LARGE)
      whole = whole * 10n + BigInt(rest.charCodeAt(index) - 48)
      if (whole > MAX_INT64) throw new DurationSyntaxError(TOO_LARGE)
      index++
    }
    const hasWholeDigits = index > 0
    rest = rest.slice(index)

    // Consume (\.[0-9]*)? (Go's leadingFraction: stops gaining precision on overflow).
    let fraction = 0n
    let scale = 1 // float64 in Go
    let hasFractionDigits = false
    if (rest[0] === '.') {
      rest = rest.slice(1)
      let overflowed = false
      index = 0
      while (isDigit(rest[index])) {
        const digit = BigInt(rest.charCodeAt(index) - 48)
        index++
        if (overflowed) continue
        if (fraction > MAX_INT64 / 10n) {
          overflowed = true
          continue
        }
        const next = fraction * 10n + digit
        if (next > MAX_INT64) {
          overflowed = true
          continue
        }
        fraction = next
        scale *= 10
      }
      hasFractionDigits = index > 0
      rest = rest.slice(index)
    }
    if (!hasWholeDigits && !hasFractionDigits) {
      throw new DurationSyntaxError("a '.' needs digits before or after it")
    }

    // Consume the unit: everything up to the next '.' or digit.
    index = 0
    while (index < rest.length && !(rest[index] === '.' || isDigit(rest[index]))) index++
    if (index === 0) throw new DurationSyntaxError(`missing unit after a number; units: ${UNIT_LIST}`)
    const unitText = rest.slice(0, index)
    rest = rest.slice(index)
    const unit = NANOSECONDS_PER_UNIT.get(unitText)
    if (unit === undefined) throw new DurationSyntaxError(describeUnknownUnit(unitText))

    if (whole > MAX_INT64 / unit) throw new DurationSyntaxError(TOO_LARGE)
    let value = whole * unit
    if (fraction > 0n) {
      // Go: v += int64(float64(f) * (float64(unit) / scale))
      value += BigInt(Math.trunc(Number(fraction) * (Number(unit) / scale)))
      if (value > MAX_INT64) throw new DurationSyntaxError(TOO_LARGE)
    }
    total += value
    if (total > MAX_INT64) throw new DurationSyntaxError(TOO_LARGE)
  }
  return total
}

// English unit words people write (`2 weeks`, `90mins`), and the unit each means.
const UNIT_WORDS: ReadonlyMap<string, string> = new Map(
  (
    [
      ['ns', ['nanosecond', 'nanoseconds', 'nsec', 'nsecs']],
      ['us', ['microsecond', 'microseconds', 'usec', 'usecs']],
      ['ms', ['millisecond', 'milliseconds', 'msec', 'msecs']],
      ['s', ['sec', 'secs', 'second', 'seconds']],
      ['m', ['min', 'mins', 'minute', 'minutes']],
      ['h', ['hr', 'hrs', 'hour', 'hours']],
      ['d', ['day', 'days']],
      ['w', ['wk', 'wks', 'week', 'weeks']]
    ] as const
  ).flatMap(([unit, words]) => words.map((word) => [word, unit] as const))
)

/** `2 weeks` → `2w`, `1 hour 30 min` → `1h30m`: the compact form of a duration written in words or with spaces; undefined if it is not one. */
export function compactDuration(text: string): string | undefined {
  const part = /(\d+(?:\.\d*)?|\.\d+)\s*([^\s\d.]+)\s*/uy
  let compact = ''
  let index = 0
  while (index < text.length) {
    part.lastIndex = index
    const match = part.exec(text)
    if (match === null) return undefined
    const written = match[2] as string
    const unit = NANOSECONDS_PER_UNIT.has(written) ? written : UNIT_WORDS.get(written.toLowerCase())
    if (unit === undefined) return undefined
    compact += `${match[1] as string}${unit}`
    index = part.lastIndex
  }
  return compact === text ? undefined : compact
}

function describeUnknownUnit(unitText: string): string {
  const word = UNIT_WORDS.get(unitText.toLowerCase())
  const hint = NANOSECONDS_PER_UNIT.has(unitText.toLowerCase())
    ? `; units are case-sensitive, write '${unitText.toLowerCase()}'`
    : unitText === 'y'
      ? '; there is no year unit, use 52w or 365d'
      : word !== undefined
        ? `; write '${word}' for ${unitText}`
        : ''
  return `unknown unit '${echoValue(unitText)}'; units: ${UNIT_LIST}${hint}`
}

/**
 * Parses the `expiration` input.
 *
 * - `never`, and also the empty string, mean a token without expiry. The runner
 *   fills in the action.yml default `never` when the input is omitted, so an
 *   empty value only arrives from an expression that evaluated to '' (such as an
 *   unset `inputs.expiration` of a reusable workflow); treating it as the
 *   default is what such a workflow means.
 * - Otherwise the go-str2duration v2 grammar `(<digits>[.<digits>]<unit>)+`,
 *   except that a sign, zero and anything under one second are refused:
 *   a lifetime cannot be negative, and a token that is expired on arrival is useless.
 */
export function parseExpiration(value: string): Expiration {
  const text = value.trim()
  if (text === '' || text === 'never') return { kind: 'never' }
  throwIfObviouslyWrong(text, value)

  let nanoseconds: bigint
  try {
    nanoseconds = parseGoDuration(text)
  } catch (error) {
    if (error instanceof DurationSyntaxError) throw invalidInput(INPUT, ACCEPTED, value, error.message)
    throw error
  }
  if (nanoseconds === 0n) {
    throw invalidInput(INPUT, ACCEPTED, value, "a zero lifetime makes a token that is already expired; use 'never' for no expiry")
  }
  if (nanoseconds < MINIMUM_NANOSECONDS) {
    throw invalidInput(INPUT, ACCEPTED, value, 'shorter than 1s: token expiry has one-second resolution, so the token would be expired on arrival')
  }
  return { kind: 'duration', text }
}

/** Mistakes worth a specific message before the grammar is applied. */
function throwIfObviouslyWrong(text: string, value: string, fail: (value: string, reason: string) => InputError = failExpiration): void {
  const lower = text.toLowerCase()
  if (lower === 'never') throw fail(value, "write 'never' in lowercase")
  if (lower === 'none' || lower === 'default') {
    throw fail(value, `'${lower}' is a Turso CLI word the API does not document; use 'never' for no expiry`)
  }
  if (text[0] === '-') throw fail(value, 'a token lifetime cannot be negative')
  if (text[0] === '+') throw fail(value, "leave out the '+' sign")
  const compact = compactDuration(text)
  if (/\s/u.test(text)) throw fail(value, `no spaces inside: write ${compact === undefined ? 'the parts together, e.g. 1h30m' : `'${compact}'`}`)
  // Without spaces, a compact form that differs has a unit word in it, which the grammar refuses anyway.
  if (compact !== undefined) throw fail(value, `write '${compact}'`)
  if (/^(?:\d+(?:\.\d*)?|\.\d+)$/u.test(text) && text !== '0') {
    throw fail(value, `a number needs a unit, e.g. ${text}h or ${text}d; units: ${UNIT_LIST}`)
  }
}

function failExpiration(value: string, reason: string): InputError {
  return invalidInput(INPUT, ACCEPTED, value, reason)
}

const RENEW_WITHIN = 'renew-within'
const RENEW_WITHIN_ACCEPTED = 'a duration such as 7d, 36h or 1w (the grammar of expiration, without never)'

/**
 * The `renew-within` input, in nanoseconds: the `expiration` grammar and limits, since the two are
 * compared, but a window has no `never`, and a zero window would never renew a token ahead of time.
 */
export function parseRenewWithin(value: string): bigint {
  const text = value.trim()
  const fail = (reason: string): InputError => invalidInput(RENEW_WITHIN, RENEW_WITHIN_ACCEPTED, value, reason)
  if (text.toLowerCase() === 'never') throw fail("'never' is not a window: give how long before its expiry the current token is replaced")
  throwIfObviouslyWrong(text, value, (_value, reason) => fail(reason))
  let nanoseconds: bigint
  try {
    nanoseconds = parseGoDuration(text)
  } catch (error) {
    if (error instanceof DurationSyntaxError) throw fail(error.message)
    throw error
  }
  if (nanoseconds < MINIMUM_NANOSECONDS) throw fail('shorter than 1s: token expiry has one-second resolution')
  return nanoseconds
}
