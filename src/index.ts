import { discardEarlyConnection } from './startup/early-connection.js'
import { startEarly } from './startup/early-start.js'

// Masks first, then the connection to the API; the rest of the action loads during its handshake.
const early = startEarly(process.env)
const { run, noteMaskedSecret } = await import('./startup/deferred.js')
for (const value of early.masked) noteMaskedSecret(value)
try {
  await run()
} finally {
  discardEarlyConnection()
}
