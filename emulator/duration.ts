/**
 * Turso parses the `expiration` query parameter with github.com/xhit/go-str2duration.
 * Version 2 of that library (`ParseDuration`) is Go's `time.ParseDuration` with two extra
 * units, `d` (24h) and `w` (168h). This is a port of that algorithm, including its
 * int64-nanosecond overflow rules, so the emulator accepts and rejects the same strings.
 *
 * Grammar: `[-+]?([0-9]*(\.[0-9]*)?[a-zµμ]+)+`, or the bare string `0`.
 */

const NANOS_PER_UNIT: ReadonlyMap<string, bigint> = new Map([
  ['ns', 1n],
  ['us', 1_000n],
  ['µs', 1_000n], // U+00B5 micro sign
  ['μs', 1_000n], // U+03BC Greek small letter mu
  ['ms', 1_000_000n],
  ['s', 1_000_000_000n],
  ['m', 60n * 1_000_000_000n],
  ['h', 3_600n * 1_000_000_000n],
  ['d', 24n * 3_600n * 1_000_000_000n],
  ['w', 168n * 3_600n * 1_000_000_000n]
])

const INT64_LIMIT = 1n << 63n // |minimum int64|; the maximum is one less

export type DurationResult = { ok: true; nanoseconds: bigint } | { ok: false; error: string }

function isDigit(ch: string | undefined): boolean {
  return ch !== undefined && ch >= '0' && ch <= '9'
}

/** Parses a go-str2duration v2 duration into signed nanoseconds. */
export function parseGoDuration(input: string): DurationResult {
  const invalid: DurationResult = { ok: false, error: `time: invalid duration "${input}"` }
  let rest = input
  let negative = false
  if (rest.startsWith('-') || rest.startsWith('+')) {
    negative = rest.startsWith('-')
    rest = rest.slice(1)
  }
  if (rest === '0') return { ok: true, nanoseconds: 0n }
  if (rest === '') return invalid

  let total = 0n
  while (rest !== '') {
    if (!(rest[0] === '.' || isDigit(rest[0]))) return invalid

    // Integer part: Go fails on overflow of the integer before the unit is applied.
    let i = 0
    let whole = 0n
    while (isDigit(rest[i])) {
      if (whole > INT64_LIMIT / 10n) return invalid
      whole = whole * 10n + BigInt(rest.charCodeAt(i) - 48)
      if (whole > INT64_LIMIT) return invalid
      i++
    }
    const hadWhole = i > 0
    rest = rest.slice(i)

    // Fraction part: digits past int64 precision are read and ignored, as Go does.
    let fraction = 0n
    let scale = 1
    let hadFraction = false
    if (rest[0] === '.') {
      rest = rest.slice(1)
      let j = 0
      let overflowed = false
      while (isDigit(rest[j])) {
        if (!overflowed) {
          const next = fraction * 10n + BigInt(rest.charCodeAt(j) - 48)
          if (fraction > (INT64_LIMIT - 1n) / 10n || next > INT64_LIMIT) {
            overflowed = true
          } else {
            fraction = next
            scale *= 10
          }
        }
        j++
      }
      hadFraction = j > 0
      rest = rest.slice(j)
    }
    if (!hadWhole && !hadFraction) return invalid

    // Unit: everything up to the next digit or dot.
    let k = 0
    while (k < rest.length && !(rest[k] === '.' || isDigit(rest[k]))) k++
    if (k === 0) return { ok: false, error: `time: missing unit in duration "${input}"` }
    const unitName = rest.slice(0, k)
    rest = rest.slice(k)
    const unit = NANOS_PER_UNIT.get(unitName)
    if (unit === undefined) return { ok: false, error: `time: unknown unit "${unitName}" in duration "${input}"` }

    if (whole > INT64_LIMIT / unit) return invalid
    let value = whole * unit
    if (fraction > 0n) {
      // Go uses float64 here too, so fractions of large units round the same way.
      value += BigInt(Math.trunc(Number(fraction) * (Number(unit) / scale)))
      if (value > INT64_LIMIT) return invalid
    }
    total += value
    if (total > INT64_LIMIT) return invalid
  }
  if (negative) return { ok: true, nanoseconds: -total }
  if (total > INT64_LIMIT - 1n) return invalid
  return { ok: true, nanoseconds: total }
}
