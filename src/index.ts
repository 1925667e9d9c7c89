import { discardEarlyConnection } from './startup/early-connection.js'
import { startEarly } from './startup/early-start.js'

// Masks first, then the connection to the API; the rest of the action loads during its handshake.
const early = startEarly(process.env)
// Compiling the rest blocks the event loop for a while: let a TCP connect that completes at once
// (a near API) send its ClientHello first, but never wait more than a few milliseconds for it.
let pause: ReturnType<typeof setTimeout> | undefined
await Promise.race([early.started, new Promise((resolve) => (pause = setTimeout(resolve, 5)))])
clearTimeout(pause)
const { run, noteMaskedSecret } = await import('./startup/deferred.js')
for (const value of early.masked) noteMaskedSecret(value)
try {
  await run()
} finally {
  discardEarlyConnection()
}
