import { describe, expect, it } from '@jest/globals'
import { evaluate, interpolate, stepRuns, type Contexts } from './support/workflow.js'

/** The subset of GitHub's expression language that the workflow tests rely on. */
describe('workflow expressions (test support)', () => {
  const contexts: Contexts = {
    env: { HAS: 'true', EMPTY: '' },
    secrets: { TOKEN: 'x' },
    vars: { NAME: 'app-db' },
    steps: { mint: { outputs: { 'expires-at': '2026-01-01T00:00:00Z' }, outcome: 'failure' } },
    jobFailed: false
  }

  it('compares like GitHub: strings case-insensitively, a missing secret or variable as empty', () => {
    expect(evaluate("secrets.TOKEN != ''", contexts)).toBe(true)
    expect(evaluate("secrets.MISSING != ''", contexts)).toBe(false)
    expect(evaluate("env.HAS == 'TRUE'", contexts)).toBe(true)
    expect(evaluate("vars.OTHER == ''", contexts)).toBe(true)
    expect(evaluate("steps.mint.outcome == 'failure'", contexts)).toBe(true)
  })

  it('combines with && || ! and parentheses, returning operands as GitHub does', () => {
    expect(evaluate("env.HAS == 'true' && env.EMPTY != ''", contexts)).toBe(false)
    expect(evaluate("!(env.HAS == 'false') && (env.EMPTY || vars.NAME)", contexts)).toBe('app-db')
    expect(evaluate("env.EMPTY || 'fallback'", contexts)).toBe('fallback')
  })

  it('interpolates ${{ }} in strings, output names with hyphens included', () => {
    expect(interpolate('db ${{ vars.NAME }} until ${{ steps.mint.outputs.expires-at }}', contexts)).toBe('db app-db until 2026-01-01T00:00:00Z')
  })

  it('runs a step by success() unless its if: uses a status function', () => {
    expect(stepRuns(undefined, contexts)).toBe(true)
    expect(stepRuns("env.HAS == 'true'", { ...contexts, jobFailed: true })).toBe(false)
    expect(stepRuns('${{ always() }}', { ...contexts, jobFailed: true })).toBe(true)
    expect(stepRuns('failure()', { ...contexts, jobFailed: true })).toBe(true)
  })

  it('refuses what it does not understand instead of guessing', () => {
    expect(() => evaluate('github.ref', contexts)).toThrow('unsupported context reference: github.ref')
    expect(() => evaluate("contains(env.HAS, 'x')", contexts)).toThrow()
    expect(() => evaluate("env.HAS == 'true' extra", contexts)).toThrow('unsupported expression')
  })
})
