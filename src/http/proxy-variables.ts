/**
 * The proxy variables as undici's EnvHttpProxyAgent reads them (lower case wins, even when set
 * but empty), checked before the agent is built: undici's own complaint for `proxy.example:8080`
 * ("Invalid URL protocol") names neither the variable nor the fix. Which variable counts is
 * proxyVariable's rule, the one the early connection's proxy check reads too.
 */
import { proxyVariable } from '../startup/proxy-env.js'

/** What undici's ProxyAgent can speak to. */
const PROXY_PROTOCOLS = ['http:', 'https:', 'socks5:', 'socks:']

/** Throws, naming the variable, when a proxy variable is set to something that is not a proxy URL. */
export function checkProxyVariables(env: NodeJS.ProcessEnv): void {
  for (const scheme of ['https', 'http'] as const) {
    const { name, value } = proxyVariable(env, scheme)
    if (value === undefined || value === '' || isProxyUrl(value)) continue
    throw new Error(
      `${name} is not a URL: "${withoutCredentials(value)}". Set it to the proxy's URL with its scheme, ` +
        'such as http://proxy.example:3128 (or http://user:password@proxy.example:3128), or unset it.'
    )
  }
}

function isProxyUrl(value: string): boolean {
  return URL.canParse(value) && PROXY_PROTOCOLS.includes(new URL(value).protocol)
}

/** A proxy password must not reach the log, even from a malformed value: all up to the last `@` of the authority goes. */
function withoutCredentials(value: string): string {
  return value.replace(/[^/]*@/u, '***@')
}
