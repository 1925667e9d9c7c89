/** A DNS name or IPv4 address, or a bracketed IPv6 address, then an optional port. */
const HOST_AND_PORT = /^(?<host>\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?)(?::(?<port>\d{1,5}))?$/

/**
 * Splits a bare `host[:port]`, the form in which Turso reports a database's Hostname
 * (`db-org.turso.io`; `127.0.0.1:PORT` in the emulator). Anything else (a scheme, a path,
 * credentials, whitespace, a port outside 1-65535) gives undefined, so such a value can never
 * smuggle itself into a URL or a log line.
 */
export function splitHostAndPort(value: string): { host: string; port?: number } | undefined {
  const match = HOST_AND_PORT.exec(value)
  const host = match?.groups?.host
  if (host === undefined) return undefined
  const port = match?.groups?.port
  if (port === undefined) return { host }
  const number = Number(port)
  return number >= 1 && number <= 65535 ? { host, port: number } : undefined
}
