/**
 * Pure statistics and formatting for `npm run bench`. No clock, no I/O: everything here is
 * unit-tested in __tests__/bench-stats.test.ts.
 */

export interface Summary {
  runs: number
  min: number
  median: number
  p95: number
  max: number
}

function sortedCopy(values: readonly number[]): number[] {
  if (values.length === 0) throw new Error('no samples')
  if (values.some((value) => !Number.isFinite(value))) throw new Error('samples must be finite numbers')
  return [...values].sort((a, b) => a - b)
}

/** The middle sample; for an even count, the mean of the two middle samples. */
export function median(values: readonly number[]): number {
  const sorted = sortedCopy(values)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

/**
 * Nearest-rank percentile: the smallest sample such that at least `p` percent of the samples are
 * less than or equal to it, i.e. sorted[ceil(p/100 × n) − 1]. Always an observed sample, never an
 * interpolation; with 30 samples p95 is the 29th smallest (the second largest).
 */
export function percentile(values: readonly number[], p: number): number {
  if (!(p > 0 && p <= 100)) throw new Error(`percentile must be in (0, 100], got ${p}`)
  const sorted = sortedCopy(values)
  const rank = Math.ceil((p / 100) * sorted.length)
  return sorted[rank - 1]
}

export function summarize(values: readonly number[]): Summary {
  const sorted = sortedCopy(values)
  return {
    runs: sorted.length,
    min: sorted[0],
    median: median(sorted),
    p95: percentile(sorted, 95),
    max: sorted[sorted.length - 1]
  }
}

/** Milliseconds with one decimal: `12.3 ms`. */
export function formatMs(ms: number): string {
  return `${ms.toFixed(1)} ms`
}

/** Bytes with thousands separators and KiB/MiB: `663,192 B (647.6 KiB)`. */
export function formatBytes(bytes: number): string {
  const grouped = Math.round(bytes).toLocaleString('en-US')
  if (bytes < 1024) return `${grouped} B`
  const scaled = bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(2)} MiB` : `${(bytes / 1024).toFixed(1)} KiB`
  return `${grouped} B (${scaled})`
}

/** Kibibytes as reported by getrusage / `time -f %M`, shown in MiB: `40.2 MiB`. */
export function formatKibibytes(kib: number): string {
  return `${(kib / 1024).toFixed(1)} MiB`
}

/** `1.23×` */
export function formatRatio(ratio: number): string {
  return `${ratio.toFixed(2)}×`
}

export type Verdict = 'PASS' | 'MISS'

/** A target is an upper bound: met when the measured figure does not exceed it. */
export function verdict(measured: number, limit: number): Verdict {
  return measured <= limit ? 'PASS' : 'MISS'
}

/** A GitHub-flavoured markdown table; `|` inside a cell is escaped, newlines become spaces. */
export function markdownTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')
  const line = (cells: readonly string[]): string => `| ${cells.map(cell).join(' | ')} |`
  for (const row of rows) {
    if (row.length !== headers.length) throw new Error(`row has ${row.length} cells, the table ${headers.length} columns`)
  }
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n')
}
