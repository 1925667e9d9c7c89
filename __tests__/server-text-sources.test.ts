/**
 * Server text is made printable where it enters, not only by the entry's last line of defence:
 * each source on its own, without src/main.ts in between.
 */
import { describe, expect, it } from '@jest/globals'
import { explainFailure } from '../src/github/failure-guidance.js'
import { GitHubAnswerError } from '../src/github/github-api.js'
import { storeSecret } from '../src/github/secret-store.js'
import { assertValidSecretTarget } from '../src/github/secret-target.js'
import { HttpClient, NetworkError } from '../src/http/http-client.js'
import { describeFailure } from '../src/http/retry-policy.js'
import { renderSummary, newReport } from '../src/runner/report.js'
import { TursoClient } from '../src/turso/client.js'
import { useEmulator } from './support/emulator.js'
import { useFakeGitHub } from './support/fake-github.js'
import { useSecretStoreOptions } from './support/github-transport.js'
import { commandLines } from './support/workflow-commands.js'

const emulator = useEmulator()
const github = useFakeGitHub()
const storeOptions = useSecretStoreOptions(() => ({ githubToken: github.token, apiUrl: github.url, retries: 1, log: () => undefined }))

const HOSTILE = '\n::stop-commands::pwned\r\n::set-env name=X::pwned\u2028\u202e'
// eslint-disable-next-line no-control-regex
const RAW_UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/u
const INJECTED_TEXT = /::[A-Za-z-]+( [^:]*)?::pwned/

function expectPrintable(text: string): void {
  expect(text).not.toMatch(RAW_UNSAFE)
  expect(text).not.toMatch(INJECTED_TEXT)
  expect(commandLines(text)).toEqual([])
}

async function withTurso<T>(use: (turso: TursoClient) => Promise<T>): Promise<T> {
  const http = new HttpClient({ timeoutMs: 2000, retries: 0, userAgent: 'test', log: () => {} })
  try {
    return await use(new TursoClient(http, new URL(emulator.url), emulator.apiToken, () => {}))
  } finally {
    await http.close()
  }
}

describe('TursoClient', () => {
  it("getDatabase: a database's group comes back printable, its words kept", async () => {
    const real = await withTurso((turso) => turso.getDatabase('acme', 'app-db'))
    emulator.addFault({
      method: 'GET',
      path: '/v1/organizations/acme/databases/app-db',
      status: 200,
      body: JSON.stringify({ database: { Hostname: real.hostname, group: `default${HOSTILE}` } })
    })
    const database = await withTurso((turso) => turso.getDatabase('acme', 'app-db'))
    expect(database).toEqual({ hostname: real.hostname, group: 'default : :stop-commands: :pwned : :set-env name=X: :pwned' })
  })

  it('getDatabase: a group that is nothing but control characters counts as no group', async () => {
    const real = await withTurso((turso) => turso.getDatabase('acme', 'app-db'))
    emulator.addFault({ method: 'GET', path: '/v1/organizations/acme/databases/app-db', status: 200, body: JSON.stringify({ database: { Hostname: real.hostname, group: '\n\u202e' } }) })
    expect((await withTurso((turso) => turso.getDatabase('acme', 'app-db'))).group).toBeNull()
  })

  it.each(['ci-deployer%0A::warning::pwned', 'ci-deployer ##[set-env name=X;]pwned', `ci-deployer${HOSTILE}`])(
    'revokeApiToken: a reported name the server-text rule would change (%j) gives way to the name sent',
    async (reported) => {
      emulator.addFault({ method: 'DELETE', status: 200, body: JSON.stringify({ token: reported }) })
      expect(await withTurso((turso) => turso.revokeApiToken('ci-deployer'))).toEqual({ outcome: 'revoked', reported: 'ci-deployer' })
    }
  )

  it('revokeApiToken: a printable reported name is kept as reported', async () => {
    emulator.addFault({ method: 'DELETE', status: 200, body: JSON.stringify({ token: 'ci deployer (old): 2024' }) })
    expect(await withTurso((turso) => turso.revokeApiToken('ci-deployer'))).toEqual({ outcome: 'revoked', reported: 'ci deployer (old): 2024' })
  })
})

describe('transport errors can quote the far end (a certificate, a proxy): describeFailure', () => {
  it('prints undici’s message by the server-text rule', () => {
    const reason = describeFailure({ code: 'ERR_TLS_CERT_ALTNAME_INVALID', message: `Host: a. is not in the cert's altnames: DNS:evil${HOSTILE}` })
    expect(reason).toContain("is not in the cert's altnames: DNS:evil")
    expectPrintable(reason)
  })
})

describe('GitHub', () => {
  const target = { repository: 'octo-org/app', secretName: 'TURSO_AUTH_TOKEN' }
  const scope = { kind: 'repository', type: 'actions', owner: 'octo-org', repo: 'app' } as const

  it('explainFailure: GitHub’s message (or the transport’s) is printed by the rule', () => {
    const fromBody = explainFailure(new GitHubAnswerError(403, {}, `Resource not accessible${HOSTILE}`, 1), scope)
    expect(fromBody.message).toContain('Resource not accessible : :stop-commands: :pwned')
    expectPrintable(fromBody.message)
    expectPrintable(explainFailure(new GitHubAnswerError(301, { location: `https://elsewhere${HOSTILE}` }, 'moved', 1), scope).message)
    expectPrintable(explainFailure(new NetworkError(`GET x failed: proxy said${HOSTILE}`, 1, `proxy said${HOSTILE}`), scope).message)
    expectPrintable(explainFailure(new Error(`fetch failed${HOSTILE}`), scope).message)
    expectPrintable(explainFailure(`thrown text${HOSTILE}`, scope).message)
  })

  it('a retry line and the final error of the secret store hold GitHub’s message only made printable', async () => {
    const logs: string[] = []
    const answer = { status: 502, body: { message: `Bad gateway${HOSTILE}` }, headers: { 'retry-after': '0' } }
    github.failNext(answer, answer)
    const failure = await storeSecret('a-value-to-store', target, storeOptions({ log: (line) => logs.push(line) })).catch((error: Error) => error)
    // The retry line is the one client's: the status, not GitHub's words.
    expect(logs).toEqual([expect.stringContaining('failed (HTTP 502); retrying in')])
    for (const line of logs) expectPrintable(line)
    expect((failure as Error).message).toContain('Bad gateway')
    expectPrintable((failure as Error).message)
  })
})

describe('the job summary', () => {
  it('puts each cell on one line that cannot hold an injected command, whatever a fact holds', () => {
    const report = newReport('rotate')
    report.target = `group 'x${HOSTILE}'`
    report.facts.push(['Invalidated', `every token of group 'y${HOSTILE}'`])
    report.failure = `z${HOSTILE}`
    const summary = renderSummary(report, 1000)
    expect(summary.replace(/\n/g, '')).not.toMatch(RAW_UNSAFE)
    expect(summary).not.toMatch(INJECTED_TEXT)
    expect(summary).toContain("| Target | group 'x : :stop-commands: :pwned : :set-env name=X: :pwned ' |")
  })
})

describe('secret-environment (user input, same rule)', () => {
  it.each(['prod\u202e', 'prod\u0085', 'prod\n::stop-commands::pwned'])('%j is refused and echoed with visible escapes', (environment) => {
    const error = (() => {
      try {
        assertValidSecretTarget({ repository: 'octo-org/app', secretName: 'TOKEN', environment })
      } catch (thrown) {
        return thrown as Error
      }
      throw new Error('accepted')
    })()
    expect(error.message).toMatch(/^Invalid secret-environment "prod\\/)
    expectPrintable(error.message)
  })
})
