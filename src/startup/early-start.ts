import { EOL } from 'node:os'
import { readConfig } from '../inputs.js'
import { offerEarlyConnection, openEarlyConnection } from './early-connection.js'
import { proxyApplies } from './proxy-env.js'

/**
 * The first thing the action does, before the bulk of it (@actions/core, undici, the operations)
 * has loaded: mask the secrets among the inputs, and, when the inputs are valid, the run is not a
 * dry run and no proxy applies to the API, open the connection to the API so that its handshake
 * overlaps the loading. Invalid inputs are left alone here: the normal path reports them, with
 * nothing sent, exactly as before.
 */
export interface EarlyStart {
  /** Secrets already announced with `::add-mask::`, in order. */
  masked: string[]
  /** Whether a connection was opened (for tests and the benchmark's sake). */
  connecting: boolean
  /** How many: two when the first requests go out side by side (see earlyConnectionCount). */
  connections: number
  /** See EarlyConnection.started, for all of them; resolved at once when nothing was opened. */
  started: Promise<void>
}

/** An input as @actions/core `getInput` reads it: INPUT_<NAME> (spaces as '_', upper case), trimmed. */
export function readRunnerInput(env: NodeJS.ProcessEnv, name: string): string {
  return (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] || '').trim()
}

/** The workflow command @actions/core `setSecret` writes, byte for byte. */
export function maskCommand(value: string): string {
  return `::add-mask::${value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')}${EOL}`
}

export function startEarly(env: NodeJS.ProcessEnv, write: (text: string) => void = (text) => process.stdout.write(text)): EarlyStart {
  const masked: string[] = []
  const maskSecret = (value: string): void => {
    if (value === '' || masked.includes(value)) return
    masked.push(value)
    write(maskCommand(value))
  }
  let config: ReturnType<typeof readConfig>
  try {
    // The same reading and validation as the normal path, which repeats it (with its warnings).
    config = readConfig({ readInput: (name) => readRunnerInput(env, name), env, maskSecret, warn: () => undefined })
  } catch {
    return { masked, connecting: false, connections: 0, started: Promise.resolve() }
  }
  if (config.dryRun || proxyApplies(config.connection.apiUrl, env)) return { masked, connecting: false, connections: 0, started: Promise.resolve() }
  const connections = Array.from({ length: earlyConnectionCount(config) }, () => openEarlyConnection(config.connection.apiUrl, config.connection.timeoutMs))
  for (const connection of connections) offerEarlyConnection(connection)
  return { masked, connecting: true, connections: connections.length, started: Promise.all(connections.map((connection) => connection.started)).then(() => undefined) }
}

/**
 * A database token's create-token sends its two requests at once (the mint, and the lookup that
 * fills database-url: src/operations/mint.ts), so both get a connection whose handshake overlaps
 * the loading; the mint, sent first, takes the first. Every other run starts with one request
 * and reuses its connection for the next (rotate's lookup, invalidate and mint go one after the
 * other), so a second connection would be a handshake for nothing.
 */
export function earlyConnectionCount(config: ReturnType<typeof readConfig>): number {
  return config.operation === 'create-token' && config.target.kind === 'database' ? 2 : 1
}
