import type { Emulator } from '../../emulator/server.js'
import type { FakeGitHub } from './fake-github.js'

export type Inputs = Record<string, string>

/**
 * create-token of acme's app-db on the emulator, with the fake GitHub's token for the secret
 * leg; `extra` adds inputs (the secret's name and place) or replaces these.
 */
export function createTokenInputs(emulator: Emulator, github: FakeGitHub, extra: Inputs = {}): Inputs {
  return {
    operation: 'create-token',
    'api-url': emulator.url,
    'api-token': emulator.apiToken,
    organization: 'acme',
    database: 'app-db',
    'github-token': github.token,
    ...extra
  }
}

/**
 * Renewal of `currentToken`: create-token with a 30-day expiration, renewed within 7 days of it,
 * into the repository secret TURSO_DB_TOKEN of octo-org/app, without retries.
 */
export function renewalInputs(emulator: Emulator, github: FakeGitHub, currentToken: string, extra: Inputs = {}): Inputs {
  return createTokenInputs(emulator, github, {
    expiration: '30d',
    'renew-within': '7d',
    'current-token': currentToken,
    'secret-name': 'TURSO_DB_TOKEN',
    'secret-repository': 'octo-org/app',
    retries: '0',
    ...extra
  })
}
