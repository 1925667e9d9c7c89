/**
 * A second floor for `npm run bench`: the same single create-token request as bench-floor.mjs,
 * made with node:http instead of the global fetch. Node's http parser is native, whereas fetch
 * (undici) compiles its llhttp WebAssembly parser in every process. Nothing is printed; exits 1 if
 * no token came back.
 */
import { request } from 'node:http'

const { BENCH_API_URL, BENCH_ORGANIZATION, BENCH_DATABASE, TURSO_API_TOKEN } = process.env
const path = `/v1/organizations/${encodeURIComponent(BENCH_ORGANIZATION)}/databases/${encodeURIComponent(BENCH_DATABASE)}/auth/tokens`
const url = new URL(`${path}?expiration=never&authorization=full-access`, BENCH_API_URL)

const { status, body } = await new Promise((resolve, reject) => {
  const req = request(url, { method: 'POST', headers: { authorization: `Bearer ${TURSO_API_TOKEN}`, 'content-length': '0' } }, (res) => {
    let text = ''
    res.setEncoding('utf8')
    res.on('data', (chunk) => (text += chunk))
    res.on('end', () => resolve({ status: res.statusCode, body: text }))
    res.on('error', reject)
  })
  req.on('error', reject)
  req.end()
})
const jwt = status === 200 ? JSON.parse(body).jwt : undefined
if (typeof jwt !== 'string' || jwt === '') {
  console.error(`floor request failed: HTTP ${status}`)
  process.exitCode = 1
}
