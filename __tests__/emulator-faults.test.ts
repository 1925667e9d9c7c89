/** Programmable faults, request recording and the `/_emulator/` control routes. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { startEmulator, type Emulator } from '../emulator/server.js'

let emulator: Emulator

beforeAll(async () => {
  emulator = await startEmulator()
})

afterAll(async () => {
  await emulator.close()
})

beforeEach(() => {
  emulator.clearFaults()
  emulator.clearRequests()
})

const auth = (): Record<string, string> => ({ authorization: `Bearer ${emulator.apiToken}` })
const MINT = '/v1/organizations/acme/databases/app-db/auth/tokens'

async function status(method: string, path: string): Promise<number> {
  const response = await fetch(`${emulator.url}${path}`, { method, headers: auth() })
  await response.arrayBuffer()
  return response.status
}

describe('faults', () => {
  it('answer a status sequence: a fault applies `times` times, then the real answer returns', async () => {
    emulator.addFault({ method: 'POST', path: MINT, status: 503, times: 2 })
    expect([await status('POST', MINT), await status('POST', MINT), await status('POST', MINT)]).toEqual([503, 503, 200])
  })

  it('use the first matching fault with uses left, in queue order', async () => {
    emulator.addFault({ path: MINT, status: 500 }, { path: MINT, status: 502, times: 2 })
    expect([await status('POST', MINT), await status('POST', MINT), await status('POST', MINT), await status('POST', MINT)]).toEqual([500, 502, 502, 200])
  })

  it('send canned headers and body, such as 429 with Retry-After', async () => {
    emulator.addFault({ path: '/v1/auth/validate', status: 429, headers: { 'Retry-After': '2' }, body: '{"error":"rate limited"}' })
    const response = await fetch(`${emulator.url}/v1/auth/validate`, { headers: auth() })
    expect(response.status).toBe(429)
    expect(response.headers.get('retry-after')).toBe('2')
    expect(await response.json()).toEqual({ error: 'rate limited' })
  })

  it('let canned headers replace the default content type, whatever their case', async () => {
    emulator.addFault({ path: '/v1/auth/validate', status: 503, headers: { 'Content-Type': 'text/html' }, body: '<h1>down</h1>' })
    const response = await fetch(`${emulator.url}/v1/auth/validate`, { headers: auth() })
    expect(response.headers.get('content-type')).toBe('text/html')
    expect(await response.text()).toBe('<h1>down</h1>')
  })

  it('default to a JSON error body named after the status', async () => {
    emulator.addFault({ path: '/v1/auth/validate', status: 502 })
    const response = await fetch(`${emulator.url}/v1/auth/validate`, { headers: auth() })
    expect(response.headers.get('content-type')).toBe('application/json')
    expect(await response.json()).toEqual({ error: 'Bad Gateway' })
  })

  it('delay the real answer by delayMs', async () => {
    emulator.addFault({ path: '/v1/auth/validate', delayMs: 150 })
    const started = performance.now()
    const response = await fetch(`${emulator.url}/v1/auth/validate`, { headers: auth() })
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ exp: -1 })
    expect(performance.now() - started).toBeGreaterThanOrEqual(140)
  })

  it('reset the connection without answering', async () => {
    emulator.addFault({ path: '/v1/auth/validate', reset: true })
    await expect(fetch(`${emulator.url}/v1/auth/validate`, { headers: auth() })).rejects.toThrow()
    expect(await status('GET', '/v1/auth/validate')).toBe(200)
  })

  it('match by method, by path prefix ending in * and by RegExp', async () => {
    emulator.addFault({ method: 'delete', path: '/v1/auth/api-tokens/*', status: 500 }, { path: /\/auth\/rotate$/, status: 504 })
    expect(await status('GET', '/v1/auth/api-tokens')).toBe(200)
    expect(await status('DELETE', '/v1/auth/api-tokens/nobody')).toBe(500)
    expect(await status('POST', '/v1/organizations/acme/groups/staging/auth/rotate')).toBe(504)
    expect(await status('POST', '/v1/organizations/acme/groups/staging/auth/rotate')).toBe(200)
  })

  it('match the decoded path', async () => {
    emulator.addFault({ method: 'DELETE', path: '/v1/auth/api-tokens/my bot', status: 500 })
    expect(await status('DELETE', '/v1/auth/api-tokens/my%20bot')).toBe(500)
  })

  it('apply to the database listeners only with target libsql', async () => {
    emulator.addFault({ target: 'libsql', path: '/v2/pipeline', status: 503 })
    expect(await status('GET', '/v1/auth/validate')).toBe(200)
    const response = await fetch(`http://${emulator.hostnameOf('app-db')}/v2/pipeline`, { method: 'POST', body: '{}' })
    expect(response.status).toBe(503)
  })

  it('are dropped by clearFaults', async () => {
    emulator.addFault({ path: '/v1/auth/validate', status: 500, times: 5 })
    emulator.clearFaults()
    expect(await status('GET', '/v1/auth/validate')).toBe(200)
  })

  it('reject malformed definitions', () => {
    expect(() => emulator.addFault({ status: 42 })).toThrow('fault field "status" must be an integer from 100 to 599')
    expect(() => emulator.addFault({ times: 0 })).toThrow('fault field "times"')
  })
})

describe('request recording', () => {
  it('records raw path, query, lower-cased headers and body of API and libsql requests, faulted ones too', async () => {
    emulator.addFault({ method: 'DELETE', status: 503 })
    await fetch(`${emulator.url}/v1/auth/api-tokens/my%20bot?dry=1&x=a%20b`, { method: 'DELETE', headers: { ...auth(), 'X-Trace': 'abc' }, body: 'payload' })
    await fetch(`http://${emulator.hostnameOf('analytics')}/v2/pipeline`, { method: 'POST', body: '{"requests":[]}' })
    await fetch(`${emulator.url}/_emulator/requests`)

    expect(emulator.requests).toHaveLength(2)
    const [api, libsql] = emulator.requests
    expect(api).toMatchObject({
      method: 'DELETE',
      path: '/v1/auth/api-tokens/my%20bot',
      query: { dry: '1', x: 'a b' },
      body: 'payload',
      target: 'api'
    })
    expect(api?.headers).toMatchObject({ authorization: `Bearer ${emulator.apiToken}`, 'x-trace': 'abc' })
    expect(api).not.toHaveProperty('database')
    expect(libsql).toMatchObject({ method: 'POST', path: '/v2/pipeline', query: {}, body: '{"requests":[]}', target: 'libsql', database: 'analytics' })
  })

  it('records an empty body as the empty string, and clearRequests empties the same array', async () => {
    const list = emulator.requests
    await status('GET', '/v1/auth/validate')
    expect(list[0]?.body).toBe('')
    emulator.clearRequests()
    expect(emulator.requests).toBe(list)
    expect(list).toHaveLength(0)
  })
})

describe('control routes under /_emulator/', () => {
  async function control(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
    const response = await fetch(`${emulator.url}/_emulator/${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) })
    return { status: response.status, json: await response.json() }
  }

  it('queue faults from JSON (one or an array) and clear them', async () => {
    expect(await control('POST', 'faults', { path: '/v1/auth/validate', status: 500 })).toEqual({ status: 200, json: { queued: 1, pending: 1 } })
    expect(await control('POST', 'faults', [{ path: '/v1/auth/api-tokens', status: 502, times: 3 }, { delayMs: 1 }])).toEqual({
      status: 200,
      json: { queued: 2, pending: 3 }
    })
    expect(await status('GET', '/v1/auth/validate')).toBe(500)
    expect(await control('DELETE', 'faults')).toEqual({ status: 200, json: { cleared: true } })
    expect(await status('GET', '/v1/auth/api-tokens')).toBe(200)
  })

  it('refuse a malformed fault with 400', async () => {
    expect(await control('POST', 'faults', { status: 'soon' })).toEqual({ status: 400, json: { error: 'fault field "status" must be an integer from 100 to 599' } })
    expect(await control('POST', 'faults', { colour: 'red' })).toEqual({ status: 400, json: { error: 'unknown fault field "colour"' } })
  })

  it('list and clear recorded requests', async () => {
    await status('GET', '/v1/auth/validate')
    const listed = await control('GET', 'requests')
    expect((listed.json as { requests: { path: string }[] }).requests.map((r) => r.path)).toEqual(['/v1/auth/validate'])
    await control('DELETE', 'requests')
    expect(emulator.requests).toHaveLength(0)
  })

  it('verify database tokens like verifyDatabaseToken', async () => {
    const minted = await fetch(`${emulator.url}${MINT}?authorization=read-only`, { method: 'POST', headers: auth() })
    const { jwt } = (await minted.json()) as { jwt: string }
    const valid = await control('POST', 'verify', { token: jwt, database: 'app-db', organization: 'acme' })
    expect(valid).toEqual({ status: 200, json: emulator.verifyDatabaseToken(jwt, 'app-db', 'acme') })
    expect(valid.json).toMatchObject({ valid: true, access: 'ro' })
    expect((await control('POST', 'verify', { token: jwt, database: 'staging-db' })).json).toMatchObject({ valid: false })
    expect((await control('POST', 'verify', { database: 'app-db' })).status).toBe(400)
  })

  it('list databases with their hostnames, and 404 unknown control routes', async () => {
    const listed = (await control('GET', 'databases')).json as { databases: { name: string; hostname: string }[] }
    expect(listed.databases.find((d) => d.name === 'app-db')?.hostname).toBe(emulator.hostnameOf('app-db'))
    expect((await control('GET', 'nothing')).status).toBe(404)
  })
})
