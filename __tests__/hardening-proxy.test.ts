/**
 * Proxies: the action reads HTTP_PROXY / HTTPS_PROXY / NO_PROXY (and their lower-case forms)
 * through undici's EnvHttpProxyAgent, created when the run starts, after run-action has set the
 * environment. A real proxy on 127.0.0.1 records what passed through it.
 */
import { request as httpRequest } from 'node:http'
import { describe, expect, it } from '@jest/globals'
import { runBundledAction } from '../scripts/lib/runner.js'
import { useEmulator } from './support/emulator.js'
import { useHttpProxy } from './support/http-proxy.js'
import { expectNoLeaks } from './support/leaks.js'
import { runAction } from './support/run-action.js'
import { errorLines } from './support/workflow-commands.js'

const emulator = useEmulator()
const proxy = useHttpProxy()

const MINT = 'POST /v1/organizations/acme/databases/app-db/auth/tokens?expiration=never&authorization=full-access'
const LOOKUP = 'GET /v1/organizations/acme/databases/app-db'

function inputs(extra: Record<string, string> = {}): Record<string, string> {
  return { operation: 'create-token', 'api-url': emulator.url, 'api-token': emulator.apiToken, organization: 'acme', database: 'app-db', ...extra }
}

const emulatorHost = (): string => new URL(emulator.url).host
/** Every request went through a CONNECT tunnel to the emulator, and these are the requests inside them. */
function expectTunnelledToEmulator(requestLines: string[]): void {
  expect(new Set(proxy.requests.map((request) => `${request.kind} ${request.target}`))).toEqual(new Set([`connect ${emulatorHost()}`]))
  // The database lookup runs alongside the mint, so the order between them is not fixed.
  expect(proxy.requests.flatMap((request) => request.requestLines).sort()).toEqual([...requestLines].sort())
}


describe('through HTTP_PROXY', () => {
  it.each(['HTTP_PROXY', 'http_proxy'])('%s: every API request goes through the proxy, and the action succeeds', async (variable) => {
    const run = await runAction(inputs(), { [variable]: proxy.url })
    expect(run.exitCode).toBe(0)
    // undici tunnels plain http through CONNECT too; the request lines are read inside the tunnels.
    expectTunnelledToEmulator([MINT, LOOKUP])
    expect(emulator.requests).toHaveLength(2)
    expect(emulator.verifyDatabaseToken(run.outputs.token, 'app-db', 'acme').valid).toBe(true)
    expectNoLeaks(run, [emulator.apiToken, run.outputs.token])
  })

  it('NO_PROXY=127.0.0.1 bypasses it: the proxy sees nothing and the action still succeeds', async () => {
    const run = await runAction(inputs(), { HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.1' })
    expect(run.exitCode).toBe(0)
    expect(proxy.requests).toEqual([])
    expect(emulator.requests).toHaveLength(2)
  })

  it('NO_PROXY naming another host does not bypass it', async () => {
    const run = await runAction(inputs(), { HTTP_PROXY: proxy.url, NO_PROXY: 'example.com,.internal' })
    expect(run.exitCode).toBe(0)
    expectTunnelledToEmulator([MINT, LOOKUP])
  })

  it('proxy credentials in the URL are sent as Proxy-Authorization and never printed, even when refused', async () => {
    const password = 'proxy-pass-5f1c9e'
    proxy.behaviour = { refuseWith: 407 }
    const run = await runAction(inputs({ retries: '0' }), { HTTP_PROXY: proxy.url.replace('//', `//ci-user:${password}@`) })
    expect(run.exitCode).toBe(1)
    expect(proxy.requests[0].headers['proxy-authorization']).toBe(`Basic ${Buffer.from(`ci-user:${password}`).toString('base64')}`)
    expect(errorLines(run.stdout)).toEqual([expect.stringContaining('the proxy refused authentication (HTTP 407)')])
    expect(errorLines(run.stdout)[0]).toContain('HTTPS_PROXY / NO_PROXY')
    expect(emulator.requests).toEqual([])
    expectNoLeaks(run, [emulator.apiToken, password, Buffer.from(`ci-user:${password}`).toString('base64')])
  })

  it('a proxy that accepts and never answers costs `timeout` per attempt, not undici\'s 5-minute default', async () => {
    // (That a timed-out attempt is retried is shown in hardening-retries; one attempt is enough here.)
    proxy.behaviour = { silent: true }
    const run = await runAction(inputs({ retries: '0', timeout: '0.3' }), { HTTP_PROXY: proxy.url })
    expect(run.exitCode).toBe(1)
    // Two tunnels asked for: the mint and the database lookup that runs alongside it.
    expect(proxy.requests.map((request) => request.kind)).toEqual(['connect', 'connect'])
    expect(errorLines(run.stdout)).toEqual([expect.stringContaining('failed after 1 attempt: timed out')])
    // 0.3 s + up to 1 s of undici's coarse timer.
    expect(run.elapsedMs).toBeLessThan(2000)
    expect(emulator.requests).toEqual([])
  })
})

describe('through HTTPS_PROXY', () => {
  it('an https api-url is tunnelled with CONNECT host:443; the proxy sees no request line and no API token', async () => {
    // The proxy refuses the tunnel, so nothing leaves this machine: the point is that it was asked.
    proxy.behaviour = { refuseWith: 502 }
    const run = await runAction(inputs({ 'api-url': 'https://api.turso.tech', retries: '0' }), { HTTPS_PROXY: proxy.url })
    expect(run.exitCode).toBe(1)
    // One tunnel each for the mint and the database lookup beside it.
    expect(proxy.requests.map((request) => [request.kind, request.target, request.requestLines])).toEqual([
      ['connect', 'api.turso.tech:443', []],
      ['connect', 'api.turso.tech:443', []]
    ])
    expect(JSON.stringify(proxy.requests.map((request) => request.headers))).not.toContain(emulator.apiToken)
    expect(errorLines(run.stdout)).toEqual([
      expect.stringMatching(/^::error::Could not create a token for database 'app-db' in organization 'acme': POST https:\/\/api\.turso\.tech\/\S+ failed after 1 attempt: the proxy refused to open a tunnel \(HTTP 502 to CONNECT\)\. Check that api-url/)
    ])
    expectNoLeaks(run, [emulator.apiToken])
  })

  it('HTTP_PROXY alone also carries https requests (undici falls back to it)', async () => {
    proxy.behaviour = { refuseWith: 502 }
    const run = await runAction(inputs({ 'api-url': 'https://api.turso.tech', retries: '0' }), { HTTP_PROXY: proxy.url })
    expect(run.exitCode).toBe(1)
    expect(proxy.requests.map((request) => request.target)).toEqual(['api.turso.tech:443', 'api.turso.tech:443'])
  })
})

describe('dist/index.js through the proxy', () => {
  it('the bundled action, run as a child process, honours HTTP_PROXY', async () => {
    const run = await runBundledAction(inputs({ 'api-token': '' }), { TURSO_API_TOKEN: emulator.apiToken, HTTP_PROXY: proxy.url })
    expect(run.stderr).toBe('')
    expect(run.exitCode).toBe(0)
    expectTunnelledToEmulator([MINT, LOOKUP])
    expect(emulator.verifyDatabaseToken(run.outputs.token, 'app-db', 'acme').valid).toBe(true)
    expectNoLeaks(run, [emulator.apiToken, run.outputs.token])
  })
})

describe('the test proxy itself', () => {
  it('also forwards absolute-form requests (what curl and older clients send), recording them', async () => {
    const target = `${emulator.url}/v1/auth/validate`
    const { port } = new URL(proxy.url)
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const request = httpRequest({ host: '127.0.0.1', port, method: 'GET', path: target, headers: { authorization: `Bearer ${emulator.apiToken}` } }, (answer) => {
        answer.resume()
        answer.on('end', () => resolve(answer.statusCode))
      })
      request.on('error', reject)
      request.end()
    })
    expect(status).toBe(200)
    expect(proxy.requests.map((request) => [request.kind, request.target, request.requestLines])).toEqual([['forward', emulatorHost(), ['GET /v1/auth/validate']]])
    expect(emulator.requests.map((request) => request.path)).toEqual(['/v1/auth/validate'])
  })
})
