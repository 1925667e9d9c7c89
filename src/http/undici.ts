/**
 * The parts of undici this action uses, loaded file by file. undici's index also loads its
 * fetch, WebSocket, EventSource, cache and mock layers; the web layer reads the `File`, `Headers`,
 * … globals as it loads, which makes Node load its own internal copy of undici as well, and
 * fetch loads node:zlib. A `request()` needs none of that. Same classes, same files, same version
 * as `import … from 'undici'`; only what is loaded at start-up changes.
 */
import type * as Undici from 'undici'
import DispatcherClass from 'undici/lib/dispatcher/dispatcher.js'
import api from 'undici/lib/api/index.js'
import PoolClass from 'undici/lib/dispatcher/pool.js'
import EnvHttpProxyAgentClass from 'undici/lib/dispatcher/env-http-proxy-agent.js'
import errorClasses from 'undici/lib/core/errors.js'
import buildConnectorFunction from 'undici/lib/core/connect.js'
import retryInterceptor from 'undici/lib/interceptor/retry.js'

// What undici's index does first: every dispatcher gets request(), connect(), … (a ProxyAgent
// opens its tunnels with connect()).
Object.assign((DispatcherClass as { prototype: object }).prototype, api)

export type { Dispatcher, RetryHandler } from 'undici'
export const Pool = PoolClass as typeof Undici.Pool
export const EnvHttpProxyAgent = EnvHttpProxyAgentClass as typeof Undici.EnvHttpProxyAgent
export type EnvHttpProxyAgent = Undici.EnvHttpProxyAgent
export const errors = errorClasses as typeof Undici.errors
export const buildConnector = buildConnectorFunction as typeof Undici.buildConnector
export type Connector = Undici.buildConnector.connector
export type ConnectorOptions = Undici.buildConnector.BuildOptions
export const interceptors = { retry: retryInterceptor as typeof Undici.interceptors.retry }
