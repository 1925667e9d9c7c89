/* global fetch */
/**
 * The benchmark's floor: the least a Node process can do to mint a database token — one
 * create-token request with the global fetch, the JSON read, nothing printed (the JWT is a
 * secret). `npm run bench` runs it with BENCH_API_URL, BENCH_ORGANIZATION, BENCH_DATABASE and
 * TURSO_API_TOKEN set; it exits 1 if no token came back.
 */
const { BENCH_API_URL, BENCH_ORGANIZATION, BENCH_DATABASE, TURSO_API_TOKEN } = process.env
const path = `/v1/organizations/${encodeURIComponent(BENCH_ORGANIZATION)}/databases/${encodeURIComponent(BENCH_DATABASE)}/auth/tokens`
const response = await fetch(new URL(`${path}?expiration=never&authorization=full-access`, BENCH_API_URL), {
  method: 'POST',
  headers: { authorization: `Bearer ${TURSO_API_TOKEN}` }
})
const body = await response.json()
if (!response.ok || typeof body.jwt !== 'string' || body.jwt === '') {
  console.error(`floor request failed: HTTP ${response.status}`)
  process.exitCode = 1
}
