/**
 * Turns the database's Turso hostname (`db-org.turso.io`, or `127.0.0.1:PORT` for the
 * emulator) into the base URL the Hrana HTTP requests go to. Only a bare `host[:port]`
 * is accepted, so a value can never smuggle in a path, credentials or another scheme.
 */
import { isLoopbackHost } from '../parsers/api-url.js'
import { splitHostAndPort } from '../parsers/host.js'
import { TokenVerificationError } from './errors.js'
import { sanitizeServerText } from './sanitize.js'

/** `https://<hostname>`, or `http://<hostname>` for a loopback host (the emulator). Throws on anything but `host[:port]`. */
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

  const split = splitHostAndPort(hostname)
  if (split === undefined && /:\d+$/.test(hostname) && splitHostAndPort(hostname.replace(/:\d+$/, '')) !== undefined) {
    return reject('has a port outside 1-65535')
  }
  if (split === undefined) return reject('is not of the form host or host:port')
  const { host } = split

  // The same loopback rule as api-url (127.0.0.0/8, localhost, [::1]); it takes the host without the port.
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
