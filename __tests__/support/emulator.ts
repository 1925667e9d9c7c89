import { expect } from '@jest/globals'
import { startEmulator, type Emulator } from '../../emulator/server.js'
import { HttpClient } from '../../src/http/http-client.js'
import { USER_AGENT } from '../../src/version.js'
import type { Clock } from '../../src/verify/readiness.js'
import type { FakeGitHub } from './fake-github.js'
import { useServer } from './lifecycle.js'

/** One emulator per test file, with requests and faults cleared before each test. */
export function useEmulator(): Emulator {
  return useServer(startEmulator, (emulator) => {
    emulator.clearRequests()
    emulator.clearFaults()
    emulator.setAvailability({})
  })
}

/**
 * Another workflow rotating the default group (through another of its databases) the moment the
 * secret is written: hand it to the fake GitHub's `beforeAnswer`.
 */
export function rotateGroupOnSecretWrite(emulator: Emulator): (request: { method: string }) => Promise<void> {
  return async (request) => {
    if (request.method !== 'PUT') return
    const response = await fetch(`${emulator.url}/v1/organizations/acme/databases/analytics/auth/rotate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${emulator.apiToken}` }
    })
    await response.arrayBuffer()
  }
}

/**
 * For the readiness loop's tests: an emulator whose downtime windows run on `clock`, and an HTTP
 * client without retries (the loop alone decides, so every wait is on the fake clock) logging to `log`.
 */
export function useClockedEmulator(clock: Clock, log: (line: string) => void): { emulator: Emulator; http: HttpClient } {
  // The client first: it is closed first, so the emulator has no keep-alive connection left to wait for.
  const http = useServer(async () => new HttpClient({ timeoutMs: 2000, retries: 0, userAgent: USER_AGENT, log }))
  const emulator = useServer(() => startEmulator({ monotonicNow: () => clock.now() }))
  return { emulator, http }
}

/**
 * A database token of acme's `database` (default app-db) minted outside the action, as the one a
 * previous run stored; `expiration` is sent as the query's expiration when given. The emulator's
 * requests and the fake GitHub's secrets are cleared after it, so the test sees only the run's.
 */
export async function mintDatabaseToken(emulator: Emulator, github: FakeGitHub, { database = 'app-db', expiration }: { database?: string; expiration?: string } = {}): Promise<string> {
  const query = expiration === undefined ? '' : `?expiration=${expiration}`
  const response = await fetch(`${emulator.url}/v1/organizations/acme/databases/${database}/auth/tokens${query}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${emulator.apiToken}` }
  })
  const { jwt } = (await response.json()) as { jwt: string }
  emulator.clearRequests()
  github.secrets.clear()
  return jwt
}

/** An API token called `name` restricted to acme, created with `bearer` (default the emulator's own API token). */
export async function createApiToken(emulator: Emulator, name: string, bearer: string = emulator.apiToken): Promise<{ token: string; id: string }> {
  const response = await fetch(`${emulator.url}/v1/auth/api-tokens/${name}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${bearer}` },
    body: JSON.stringify({ organization: 'acme' })
  })
  expect(response.status).toBe(200)
  return (await response.json()) as { token: string; id: string }
}

/** Whether the emulator accepts `token` as an API token. */
export async function validates(emulator: Emulator, token: string): Promise<boolean> {
  return (await fetch(`${emulator.url}/v1/auth/validate`, { headers: { authorization: `Bearer ${token}` } })).status === 200
}

/** The names of the API tokens the emulator's own API token lists. */
export async function listedNames(emulator: Emulator): Promise<string[]> {
  const response = await fetch(`${emulator.url}/v1/auth/api-tokens`, { headers: { authorization: `Bearer ${emulator.apiToken}` } })
  return ((await response.json()) as { tokens: Array<{ name: string }> }).tokens.map((token) => token.name)
}

/** createApiToken (the token alone, made with the emulator's own API token), validates and listedNames, bound to `emulator`. */
export function apiTokensOf(emulator: Emulator): { createToken(name: string): Promise<string>; validates(token: string): Promise<boolean>; listedNames(): Promise<string[]> } {
  return {
    createToken: async (name) => (await createApiToken(emulator, name)).token,
    validates: (token) => validates(emulator, token),
    listedNames: () => listedNames(emulator)
  }
}
