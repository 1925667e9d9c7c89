/**
 * The bundled action's start-up path over TLS, run as the runner runs it (dist/index.js, INPUT_*):
 * a throw-away certificate trusted through NODE_EXTRA_CA_CERTS, a TLS front for the emulator,
 * and a real proxy on loopback. src/startup's own behaviour is in startup.test.ts.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { runBundledAction } from '../scripts/lib/runner.js'
import { makeThrowAwayCertificate, startLatencyRelay, startTlsFront, type ThrowAwayCertificate, type TlsFront } from '../scripts/lib/tls-fixture.js'
import { useEmulator } from './support/emulator.js'
import { startHttpProxy, type TestProxy } from './support/http-proxy.js'
import { expectNoLeaks } from './support/leaks.js'

const emulator = useEmulator()
let certificate: ThrowAwayCertificate
let front: TlsFront
let proxy: TestProxy
beforeAll(async () => {
  certificate = makeThrowAwayCertificate()
  front = await startTlsFront(new URL(emulator.url), certificate)
  proxy = await startHttpProxy()
})
afterAll(async () => {
  await proxy.close()
  await front.close()
  certificate.remove()
})
afterEach(() => {
  front.reset()
  proxy.requests.length = 0
})

const inputs = (extra: Record<string, string> = {}): Record<string, string> => ({
  operation: 'create-token',
  'api-url': front.url,
  organization: 'acme',
  group: 'default',
  retries: '0',
  ...extra
})
const maskLines = (stdout: string, secret: string): number => stdout.split('\n').filter((line) => line === `::add-mask::${secret}`).length

describe('dist/index.js over https', () => {
  it('mints through a trusted TLS server, on one connection, with the API token masked once and first', async () => {
    const run = await runBundledAction(inputs(), { TURSO_API_TOKEN: emulator.apiToken, NODE_EXTRA_CA_CERTS: certificate.certFile })
    expect(run.stderr).toBe('')
    expect(run.exitCode).toBe(0)
    expect(emulator.verifyDatabaseToken(run.outputs.token, 'app-db', 'acme').valid).toBe(true)
    const lines = run.stdout.split('\n')
    expect(lines[0]).toBe(`::add-mask::${emulator.apiToken}`)
    expect(lines[1]).toBe(`::add-mask::${run.outputs.token}`)
    expect(maskLines(run.stdout, emulator.apiToken)).toBe(1)
    expect(front.secureConnections).toBe(1)
    expect(emulator.requests).toHaveLength(1)
    expectNoLeaks(run, [emulator.apiToken, run.outputs.token])
  })

  it('over a link with latency, the run waits for the early handshake it hands to the client', async () => {
    // The connection is unreferenced until a request needs it; this run would end early (exit 13)
    // if the request's wait for the handshake did not keep the process alive.
    const relay = await startLatencyRelay(new URL(front.url), 40)
    try {
      const run = await runBundledAction(inputs({ 'api-url': relay.url }), { TURSO_API_TOKEN: emulator.apiToken, NODE_EXTRA_CA_CERTS: certificate.certFile })
      expect(run.exitCode).toBe(0)
      expect(run.outputs.token).toBeTruthy()
      expect(relay.connections).toBe(1)
    } finally {
      await relay.close()
    }
  })

  it('an untrusted certificate fails the run as a TLS error; no request reaches the server', async () => {
    const run = await runBundledAction(inputs(), { TURSO_API_TOKEN: emulator.apiToken })
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toMatch(/^::error::.*self[- ]signed certificate/m)
    expect(run.stdout.split('\n')[0]).toBe(`::add-mask::${emulator.apiToken}`)
    expect(front.connections).toBeGreaterThan(0)
    expect(front.secureConnections).toBe(0)
    expect(emulator.requests).toEqual([])
    expectNoLeaks(run, [emulator.apiToken])
  })

  it('with HTTPS_PROXY set, every connection to the API goes through the proxy: no early direct connection', async () => {
    const run = await runBundledAction(inputs(), { TURSO_API_TOKEN: emulator.apiToken, NODE_EXTRA_CA_CERTS: certificate.certFile, HTTPS_PROXY: proxy.url })
    expect(run.exitCode).toBe(0)
    const tunnels = proxy.requests.filter((request) => request.kind === 'connect')
    expect(tunnels.map((request) => request.target)).toEqual([new URL(front.url).host])
    expect(front.connections).toBe(tunnels.length)
    expectNoLeaks(run, [emulator.apiToken, run.outputs.token])
  })

  it('invalid inputs: the masks still come first, in order, once each; nothing is connected', async () => {
    const github = 'ghp_startupexample0000000000000000000000'
    const run = await runBundledAction(inputs({ expiration: '10 days', 'github-token': github }), { TURSO_API_TOKEN: emulator.apiToken })
    expect(run.exitCode).toBe(1)
    expect(run.stdout.split('\n').slice(0, 2)).toEqual([`::add-mask::${emulator.apiToken}`, `::add-mask::${github}`])
    expect(maskLines(run.stdout, emulator.apiToken)).toBe(1)
    expect(maskLines(run.stdout, github)).toBe(1)
    expect(run.stdout).toMatch(/^::error::Input 'expiration'/m)
    expect(front.connections).toBe(0)
  })
})
