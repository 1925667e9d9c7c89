import type { EarlyConnection } from '../startup/early-connection.js'
import { errors, type Connector } from './undici.js'

/**
 * An undici `connect` function whose connections to an origin are first those opened at start-up
 * for it (src/startup/early-connection.ts), each once its handshake is done, taken one per
 * connect from `take`; every other connection, and one whose early connection failed or has
 * closed since, comes from `fallback`, the connector undici would have used. A connect that timed
 * out early is reported as undici's connect timeout: the attempt has then waited its whole bound.
 */
export function connectorWithEarlyConnection(take: (origin: string) => EarlyConnection | undefined, fallback: Connector): Connector {
  return (options, callback) => {
    // A tunnel's inner connection (httpSocket) is never an early one.
    const candidate = options.httpSocket === undefined ? take(originOf(options)) : undefined
    if (candidate === undefined) {
      fallback(options, callback)
      return
    }
    // Unreferenced so far (an unused connection must not hold the run); now a request waits on it.
    candidate.hold()
    void candidate.settled.then((outcome) => {
      if (!outcome.connected) {
        if (outcome.timedOut) {
          const address = `${options.hostname}:${options.port || defaultPort(options.protocol)}`
          callback(new errors.ConnectTimeoutError(`Connect Timeout Error (attempted address: ${address}, early connection)`), null)
        } else {
          fallback(options, callback)
        }
        return
      }
      const socket = candidate.adopt()
      if (socket === undefined) fallback(options, callback)
      else callback(null, socket)
    })
  }
}

function defaultPort(protocol: string): number {
  return protocol === 'https:' ? 443 : 80
}

/** The origin undici is connecting to, spelt as URL.origin spells it. */
function originOf(options: Parameters<Connector>[0]): string {
  const host = options.hostname.includes(':') && !options.hostname.startsWith('[') ? `[${options.hostname}]` : options.hostname
  const port = options.port ? `:${options.port}` : ''
  return new URL(`${options.protocol}//${host}${port}`).origin
}
