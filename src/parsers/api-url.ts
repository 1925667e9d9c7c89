import { hasControlCharacter, invalidInput } from './input-error.js'

const INPUT = 'api-url'
const ACCEPTED =
  'an https:// URL such as https://api.turso.tech (http:// only for loopback hosts: 127.0.0.0/8, localhost, [::1]), ' +
  'without user name, password, query or fragment'

// 127.0.0.0/8 as a plain dotted quad: four decimal parts of 0-255 without leading zeros.
const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)'
const LOOPBACK_IPV4 = new RegExp(`^127\\.${OCTET}\\.${OCTET}\\.${OCTET}$`, 'u')

/**
 * True for a host name that is the local machine, in the spellings the loopback rule names:
 * `localhost` (any case, optional trailing dot), a dotted quad in 127.0.0.0/8, or `[::1]`
 * (`::1` without brackets). Other spellings of the same addresses (`127.1`, `2130706433`,
 * `0x7f.0.0.1`, `0:0:0:0:0:0:0:1`, `::ffff:127.0.0.1`) are refused: nobody types them for an
 * emulator, and every extra form is one more to get wrong. Takes a host name only: with a
 * port (`localhost:8080`) the answer is false. Names that merely resolve to a loopback
 * address (`*.localhost`, /etc/hosts entries) do not count.
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase()
  return host === 'localhost' || host === 'localhost.' || host === '[::1]' || host === '::1' || LOOPBACK_IPV4.test(host)
}

/** The host part of an authority (`host`, `host:port`, `[v6]:port`), as the user wrote it. */
function hostAsWritten(authority: string): string {
  if (authority.startsWith('[')) return authority.slice(0, authority.indexOf(']') + 1)
  const colon = authority.lastIndexOf(':')
  return colon < 0 ? authority : authority.slice(0, colon)
}

/** Far beyond any real base URL; a longer value is a mistake that would flood the log. */
export const MAX_API_URL_LENGTH = 2048

/**
 * Parses the `api-url` input into the API base URL.
 *
 * - `https://` always; `http://` only for a loopback host (the emulator),
 *   because the Platform API token travels in every request.
 * - No credentials, query or fragment: they would be sent along or dropped
 *   silently, and credentials would end up in logs.
 * - A path is allowed as a base prefix, for a proxy that serves the API under
 *   e.g. `/turso`; `.`/`..` segments are refused. Trailing slashes are removed,
 *   so the returned pathname is `/` or a prefix such as `/turso` without a
 *   trailing slash. Build request URLs with {@link apiEndpoint}.
 */
export function parseApiUrl(value: string): URL {
  const text = value.trim()
  // Whatever is wrong, a user name or password in the value is never echoed.
  const echoed = value.replace(/^(\s*[a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/iu, '$1<redacted>@')
  const fail = (reason: string) => invalidInput(INPUT, ACCEPTED, echoed, reason)
  if (text === '') throw fail('it is empty')
  if (text.length > MAX_API_URL_LENGTH) throw fail(`it is longer than ${MAX_API_URL_LENGTH} characters`)
  // The URL parser silently drops tabs and newlines and reads '\\' as '/'; refuse them instead.
  if (hasControlCharacter(text) || /[\s\\]/u.test(text)) throw fail("it contains whitespace, a control character or '\\'")
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//iu.exec(text)?.[1]?.toLowerCase()
  if (scheme === undefined) throw fail('it is not an absolute URL starting with https://')
  if (scheme !== 'https' && scheme !== 'http') throw fail(`scheme '${scheme}:' is not https:`)

  const authority = text.slice(scheme.length + 3).replace(/[/?#].*$/su, '')
  if (authority.includes('@')) {
    throw fail('remove the user name and password; the API token is passed in the api-token input')
  }

  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw fail('it is not a valid URL')
  }
  if (url.hostname === '') throw fail('it has no host')
  // The host as written: the URL parser would turn `2130706433` or `127.1` into 127.0.0.1.
  if (url.protocol === 'http:' && !isLoopbackHost(hostAsWritten(authority))) {
    throw fail('plain http:// is allowed only for loopback hosts, since the API token would travel unencrypted')
  }
  // url.search is '' for a bare '?', so look at the text as well.
  if (url.search !== '' || text.includes('?')) throw fail('remove the query string')
  if (url.hash !== '' || text.includes('#')) throw fail('remove the fragment')
  // Checked on the text because the URL parser has already resolved dot segments (also %2e).
  const rawPath = text.slice(scheme.length + 3 + authority.length)
  if (/(?:^|\/)(?:\.|%2e){1,2}(?:\/|$)/iu.test(rawPath)) throw fail("the path must not contain '.' or '..' segments")

  url.pathname = url.pathname.replace(/\/+$/u, '') || '/'
  return url
}

/**
 * The URL of an API endpoint under the base from {@link parseApiUrl}, keeping
 * its path prefix: `apiEndpoint(https://proxy/turso, '/v1/auth/validate')` is
 * `https://proxy/turso/v1/auth/validate`. `path` must start with '/'; its
 * segments must already be percent-encoded by the caller.
 */
export function apiEndpoint(base: URL, path: string): URL {
  if (!path.startsWith('/')) throw new Error(`API path must start with '/': ${path}`)
  const url = new URL(base.href)
  url.pathname = `${base.pathname.replace(/\/+$/u, '')}${path}`
  return url
}
