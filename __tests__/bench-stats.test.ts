import { describe, it, expect } from '@jest/globals'
import {
  formatBytes,
  formatKibibytes,
  formatMs,
  formatRatio,
  markdownTable,
  median,
  percentile,
  summarize,
  verdict
} from '../scripts/lib/bench-stats.js'

describe('median', () => {
  it.each([
    [[5], 5],
    [[3, 1, 2], 2],
    [[4, 1, 3, 2], 2.5],
    [[10, 10, 10, 40], 10],
    [[-1, 1], 0]
  ])('of %j is %d', (values, expected) => {
    expect(median(values)).toBe(expected)
  })

  it('does not reorder its input', () => {
    const values = [3, 1, 2]
    median(values)
    expect(values).toEqual([3, 1, 2])
  })

  it('refuses no samples and non-finite samples', () => {
    expect(() => median([])).toThrow('no samples')
    expect(() => median([1, Number.NaN])).toThrow('finite')
  })
})

describe('percentile (nearest rank)', () => {
  const oneToThirty = Array.from({ length: 30 }, (_, i) => 30 - i)

  it('p95 of 30 samples is the 29th smallest, the second largest', () => {
    expect(percentile(oneToThirty, 95)).toBe(29)
  })

  it('p95 of 20 samples is the 19th smallest; of 100 samples the 95th', () => {
    expect(percentile(Array.from({ length: 20 }, (_, i) => i + 1), 95)).toBe(19)
    expect(percentile(Array.from({ length: 100 }, (_, i) => i + 1), 95)).toBe(95)
  })

  it('p100 is the maximum and a tiny p the minimum', () => {
    expect(percentile(oneToThirty, 100)).toBe(30)
    expect(percentile(oneToThirty, 0.1)).toBe(1)
  })

  it('p50 is an observed sample, not an interpolation', () => {
    expect(percentile([1, 2, 3, 4], 50)).toBe(2)
  })

  it('with fewer than 20 samples p95 is the maximum', () => {
    expect(percentile([7, 1, 3], 95)).toBe(7)
  })

  it.each([0, -5, 101, Number.NaN])('refuses p = %d', (p) => {
    expect(() => percentile([1, 2], p)).toThrow('percentile must be in (0, 100]')
  })
})

describe('summarize', () => {
  it('reports count, min, median, p95 and max', () => {
    expect(summarize([12, 10, 11, 50])).toEqual({ runs: 4, min: 10, median: 11.5, p95: 50, max: 50 })
  })
})

describe('formatting', () => {
  it('formats milliseconds with one decimal', () => {
    expect(formatMs(12.345)).toBe('12.3 ms')
    expect(formatMs(-3)).toBe('-3.0 ms')
  })

  it('formats bytes with separators and the right binary unit', () => {
    expect(formatBytes(512)).toBe('512 B')
    expect(formatBytes(663192)).toBe('663,192 B (647.6 KiB)')
    expect(formatBytes(1048576)).toBe('1,048,576 B (1.00 MiB)')
  })

  it('formats kibibytes as MiB and ratios with a times sign', () => {
    expect(formatKibibytes(40228)).toBe('39.3 MiB')
    expect(formatRatio(1.2345)).toBe('1.23×')
  })
})

describe('verdict', () => {
  it('passes at or under the limit and misses above it', () => {
    expect(verdict(1.29, 1.3)).toBe('PASS')
    expect(verdict(60, 60)).toBe('PASS')
    expect(verdict(60.1, 60)).toBe('MISS')
  })
})

describe('markdownTable', () => {
  it('renders a header, a separator and one line per row, escaping pipes', () => {
    expect(markdownTable(['a', 'b'], [['1', 'x | y'], ['2', 'two\nlines']])).toBe(
      ['| a | b |', '| --- | --- |', '| 1 | x \\| y |', '| 2 | two lines |'].join('\n')
    )
  })

  it('refuses a row with the wrong number of cells', () => {
    expect(() => markdownTable(['a', 'b'], [['1']])).toThrow('row has 1 cells, the table 2 columns')
  })
})
