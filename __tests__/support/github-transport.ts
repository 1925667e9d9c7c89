/**
 * The secret store takes the run's one HttpClient; tests build one per call with the transport
 * settings they need (retries, timeout, backoff) and its log joined to theirs. Every client made
 * in a test file is closed after it.
 */
import { afterAll } from '@jest/globals'
import { HttpClient } from '../../src/http/http-client.js'
import type { SecretStoreOptions } from '../../src/github/secret-store.js'
import { USER_AGENT } from '../../src/version.js'

export interface TransportSettings {
  retries?: number
  timeoutMs?: number
  /** Backoff before the first retry (HttpClient's baseDelayMs); default 1 ms. */
  retryBaseDelayMs?: number
  /** Smallest wait a Retry-After can ask for; default 1 ms, so retries in tests cost nothing. */
  minDelayMs?: number
  /** Cap for one wait; default the client's own (30 s). */
  maxDelayMs?: number
}

export type StoreOptionOverrides = Partial<SecretStoreOptions> & TransportSettings

/** Returns a factory of SecretStoreOptions; `defaults` are the file's usual settings. */
export function useSecretStoreOptions(
  defaults: () => Omit<SecretStoreOptions, 'http'> & TransportSettings
): (overrides?: StoreOptionOverrides) => SecretStoreOptions {
  const clients: HttpClient[] = []
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()))
  })
  return (overrides = {}) => {
    const merged = { ...defaults(), ...overrides }
    const { retries = 0, timeoutMs = 2000, retryBaseDelayMs, minDelayMs = 1, maxDelayMs, http, ...store } = merged
    // An explicit `retryBaseDelayMs: undefined` asks for the client's own default.
    const baseDelayMs = 'retryBaseDelayMs' in merged ? retryBaseDelayMs : 1
    const client = http ?? new HttpClient({ timeoutMs, retries, baseDelayMs, minDelayMs, maxDelayMs, userAgent: USER_AGENT, log: (line) => store.log(line) })
    if (http === undefined) clients.push(client)
    return { ...store, http: client }
  }
}
