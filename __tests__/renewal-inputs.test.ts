/**
 * Renewal's inputs and its decision on their own: what readConfig refuses before any request
 * (naming the input), what parseRenewWithin accepts, and, on a clock under the test's control,
 * that a daily schedule mints exactly once per renewal window.
 */
import { describe, expect, it } from '@jest/globals'
import { readConfig, type Config, type Renewal } from '../src/inputs.js'
import type { OperationContext } from '../src/operations/context.js'
import { checkRenewal } from '../src/operations/renewal.js'
import { parseRenewWithin } from '../src/parsers/duration.js'
import type { InputError } from '../src/parsers/input-error.js'
import { newReport } from '../src/runner/report.js'
import { rejection } from './support/rejection.js'

const BASE = { operation: 'create-token', 'api-token': 'tok', organization: 'acme', database: 'app-db', expiration: '30d' }
const CURRENT = 'eyJhbGciOiJFZERTQSJ9.eyJleHAiOjE3OTAwMDAwMDB9.c2ln'

function read(inputs: Record<string, string>): { config: Config; masked: string[] } {
  const masked: string[] = []
  const config = readConfig({ readInput: (name) => inputs[name] ?? '', env: {}, maskSecret: (value) => masked.push(value), warn: () => undefined })
  return { config, masked }
}

const refusal = (inputs: Record<string, string>): InputError => rejection(() => read(inputs))

describe('readConfig: renewal inputs', () => {
  it('renew-within with current-token: the window in milliseconds, the token masked as it is read', () => {
    const { config, masked } = read({ ...BASE, 'renew-within': '7d', 'current-token': CURRENT })
    expect(config.operation === 'create-token' && config.renewal).toEqual({ currentToken: CURRENT, window: '7d', windowMs: 7 * 86_400_000 })
    expect(masked).toContain(CURRENT)
  })

  it('renew-within with an empty current-token is a first run, not a mistake', () => {
    const { config } = read({ ...BASE, 'renew-within': '36h' })
    expect(config.operation === 'create-token' && config.renewal).toEqual({ currentToken: '', window: '36h', windowMs: 36 * 3_600_000 })
  })

  it('neither: no renewal', () => {
    const { config } = read(BASE)
    expect(config.operation === 'create-token' && config.renewal).toBeUndefined()
  })

  it('current-token is masked even when the inputs are refused', () => {
    const masked: string[] = []
    expect(() =>
      readConfig({ readInput: (name) => ({ ...BASE, operation: 'nope', 'current-token': CURRENT })[name] ?? '', env: {}, maskSecret: (value) => masked.push(value), warn: () => undefined })
    ).toThrow()
    expect(masked).toContain(CURRENT)
  })

  it.each<[string, Record<string, string>, string, RegExp]>([
    ['expiration never', { 'renew-within': '7d', expiration: 'never' }, 'renew-within', /^Input 'renew-within' needs an 'expiration' other than never/],
    ['expiration left at its default', { 'renew-within': '7d', expiration: '' }, 'renew-within', /needs an 'expiration' other than never/],
    ['a window as long as the lifetime', { 'renew-within': '30d' }, 'renew-within', /^Input 'renew-within' \(30d\) must be shorter than 'expiration' \(30d\)/],
    ['a window longer than the lifetime', { 'renew-within': '5w' }, 'renew-within', /must be shorter than 'expiration'/],
    ['a window with no unit', { 'renew-within': '7' }, 'renew-within', /^Input 'renew-within' must be a duration such as 7d.*a number needs a unit/],
    ['never as a window', { 'renew-within': 'never' }, 'renew-within', /'never' is not a window/],
    ['current-token without renew-within', { 'current-token': CURRENT }, 'current-token', /^Input 'current-token' is used only with 'renew-within'/],
    ['renew-within on rotate', { operation: 'rotate', 'renew-within': '7d' }, 'renew-within', /^Input 'renew-within' applies only to operation 'create-token'.*not to 'rotate'/],
    ['current-token on revoke', { operation: 'revoke', 'token-name': 'x', 'current-token': CURRENT }, 'current-token', /^Input 'current-token' applies only to operation 'create-token'.*not to 'revoke'/]
  ])('refuses %s, naming the input', (_label, extra, input, message) => {
    const error = refusal({ ...BASE, ...extra })
    expect(error.input).toBe(input)
    expect(error.message).toMatch(message)
    expect(error.message).not.toContain(CURRENT)
  })
})

describe('parseRenewWithin', () => {
  it.each<[string, bigint]>([
    ['7d', 7n * 86_400_000_000_000n],
    [' 1w ', 604_800_000_000_000n],
    ['1.5h', 5_400_000_000_000n],
    ['1s', 1_000_000_000n]
  ])('%s', (text, nanoseconds) => {
    expect(parseRenewWithin(text)).toBe(nanoseconds)
  })

  it.each<[string, RegExp]>([
    ['0', /shorter than 1s/],
    ['500ms', /shorter than 1s/],
    ['-1d', /cannot be negative/],
    ['7y', /unknown unit 'y'/],
    ['NEVER', /'never' is not a window/],
    ['', /empty duration/]
  ])('refuses %j, naming renew-within', (text, reason) => {
    const error = rejection(() => parseRenewWithin(text))
    expect(error.input).toBe('renew-within')
    expect(error.message).toMatch(/^Input 'renew-within' must be a duration such as 7d, 36h or 1w \(the grammar of expiration, without never\); got /)
    expect(error.message).toMatch(reason)
  })
})

describe('a daily schedule mints once per renewal window', () => {
  const DAY = 86_400_000
  const renewal = (currentToken: string): Renewal => ({ currentToken, window: '7d', windowMs: 7 * DAY })
  const delivery = { verify: false, verifyTimeoutMs: 0, exportEnv: false }
  const target = { kind: 'database' as const, organization: 'acme', database: 'app-db' }

  function context(): OperationContext {
    const unused = (): never => {
      throw new Error('no request is expected without verify')
    }
    return {
      turso: new Proxy({}, { get: unused }) as OperationContext['turso'],
      http: new Proxy({}, { get: unused }) as OperationContext['http'],
      connection: { apiUrl: new URL('https://api.turso.tech'), apiToken: 'tok', retries: 0, timeoutMs: 1000 },
      report: newReport('create-token'),
      info: () => undefined,
      warning: () => undefined,
      notice: () => undefined,
      setOutput: () => undefined,
      exportVariable: () => undefined
    }
  }

  function tokenExpiringAt(ms: number): string {
    const payload = Buffer.from(JSON.stringify({ exp: Math.floor(ms / 1000) })).toString('base64url')
    return `eyJhbGciOiJFZERTQSJ9.${payload}.c2ln`
  }

  it('over 90 daily runs with 30-day tokens and a 7-day window: a mint every 23 or 24 days, never two in a window', async () => {
    const start = Date.UTC(2026, 0, 1, 6)
    let expiresAt = start + 30 * DAY
    const mintedOn: number[] = []
    for (let day = 1; day <= 90; day += 1) {
      const now = start + day * DAY
      const check = await checkRenewal(context(), target, delivery, renewal(tokenExpiringAt(expiresAt)), now)
      if (check.due) {
        mintedOn.push(day)
        expiresAt = now + 30 * DAY
      } else {
        expect(check.renewAt.getTime()).toBe(Math.floor(expiresAt / 1000) * 1000 - 7 * DAY)
      }
    }
    expect(mintedOn).toEqual([23, 46, 69])
  })

  it('the boundary: due exactly at renew-within before expiry, not a second earlier', async () => {
    const expiresAt = Date.UTC(2026, 5, 1)
    const token = tokenExpiringAt(expiresAt)
    expect((await checkRenewal(context(), target, delivery, renewal(token), expiresAt - 7 * DAY)).due).toBe(true)
    expect((await checkRenewal(context(), target, delivery, renewal(token), expiresAt - 7 * DAY - 1)).due).toBe(false)
    expect(await checkRenewal(context(), target, delivery, renewal(token), expiresAt)).toMatchObject({ due: true, reason: 'current-token expired at 2026-06-01T00:00:00.000Z' })
    expect(await checkRenewal(context(), target, delivery, renewal(token), expiresAt - 1)).toMatchObject({
      due: true,
      reason: 'current-token expires at 2026-06-01T00:00:00.000Z, within renew-within (7d)'
    })
  })

  it('says why in the summary', async () => {
    const ctx = context()
    const check = await checkRenewal(ctx, target, delivery, renewal(tokenExpiringAt(Date.UTC(2026, 5, 1))), Date.UTC(2026, 4, 30))
    expect(check).toMatchObject({ due: true, reason: 'current-token expires at 2026-06-01T00:00:00.000Z, within renew-within (7d)' })
    expect(ctx.report.facts).toEqual([['Renewal', 'due: current-token expires at 2026-06-01T00:00:00.000Z, within renew-within (7d)']])
  })
})
