/**
 * Turns the database's Turso hostname (`db-org.turso.io`, or `127.0.0.1:PORT` for the
 * emulator) into the base URL the Hrana HTTP requests go to. Only a bare `host[:port]`
 * is accepted, so a value can never smuggle in a path, credentials or another scheme.
 */
import { TokenVerificationError } from './errors.js'
import { sanitizeServerText } from './sanitize.js'

// A DNS name / IPv4 address, or a bracketed IPv6 address, then an optional port.
const HOST_AND_PORT = /^(?<host>\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?)(?::(?<port>\d{1,5}))?$/
const LOOPBACK_IPV4 = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/

/** True for `localhost`, `127.0.0.0/8` and `[::1]`: the hosts the emulator serves plain http on. */
export function isLoopbackHost(host: string): boolean {
  const lower = host.toLowerCase()
  if (lower === 'localhost' || lower === '[::1]') return true
  const octets = LOOPBACK_IPV4.exec(lower)
  return octets !== null && octets.slice(1).every((octet) => Number(octet) <= 255)
}

/** `https://<hostname>`, or `http://<hostname>` for a loopback host. Throws on anything but `host[:port]`. */
export function databaseBaseUrl(hostname: string, token = ''): string {
  const reject = (problem: string): never => {
    const shown = sanitizeServerText(JSON.stringify(hostname), token, 120)
    throw new TokenVerificationError(
      `Cannot verify the new token: the database hostname ${shown} ${problem}. ` +
        'Give the bare hostname reported by Turso, e.g. "my-db-my-org.turso.io" (or "127.0.0.1:PORT" for the emulator).',
      { check: 'hostname' }
    )
  }

  if (hostname === '') return reject('is empty')
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(hostname)) return reject('must not include a scheme such as libsql:// or https://')
  if (/\s/.test(hostname)) return reject('must not contain whitespace')
  if (hostname.includes('/')) return reject('must not contain "/"')
  if (hostname.includes('@')) return reject('must not contain "@"')

  const match = HOST_AND_PORT.exec(hostname)
  const host = match?.groups?.host
  if (host === undefined) return reject('is not of the form host or host:port')
  const port = match?.groups?.port
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) return reject('has a port outside 1-65535')

  const scheme = isLoopbackHost(host) ? 'http' : 'https'
  let parsed: URL
  try {
    parsed = new URL(`${scheme}://${hostname}`)
  } catch {
    return reject('is not a valid host')
  }
  // `origin` lower-cases the host and drops a default port; nothing else can differ after the checks above.
  return parsed.origin
}
