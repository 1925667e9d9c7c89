import { describe, expect, it } from '@jest/globals'
import { generationName, isGenerationOf } from '../src/operations/api-token-generations.js'

describe('generationName', () => {
  it.each([
    ['ci', '2026-12-04T20:30:15.000Z', 'ci-20261204T203015Z'],
    ['ci-deployer', '2027-01-09T03:04:05.999Z', 'ci-deployer-20270109T030405Z'],
    ['x', '2026-02-28T23:59:59.001Z', 'x-20260228T235959Z']
  ])('%s at %s -> %s', (base, at, name) => {
    expect(generationName(base, new Date(at))).toBe(name)
  })
})

describe('isGenerationOf', () => {
  it.each([
    ['ci', 'ci'],
    ['ci', 'ci-20261204T203015Z'],
    ['ci-deployer', 'ci-deployer-19991231T235959Z']
  ])('%s: %s is a generation', (base, name) => {
    expect(isGenerationOf(base, name)).toBe(true)
  })

  it.each([
    ['ci', 'ci-other'],
    ['ci', 'cix'],
    ['ci', 'xci'],
    ['ci', 'ci-'],
    ['ci', 'ci-20261204T203015'],
    ['ci', 'ci-20261204T203015Zx'],
    ['ci', 'ci-20261204T203015Z-20261204T203015Z'],
    ['ci', 'ci_20261204T203015Z'],
    ['ci', 'ci-2026120T203015Z'],
    ['ci', 'ci-20261204X203015Z'],
    ['ci', 'ci-20261204t203015z'],
    ['ci', 'CI'],
    ['ci', 'ci-deployer-20261204T203015Z'],
    ['ci-deployer', 'ci-20261204T203015Z'],
    ['ci', 'x-ci-20261204T203015Z']
  ])('%s: %s is not', (base, name) => {
    expect(isGenerationOf(base, name)).toBe(false)
  })
})
