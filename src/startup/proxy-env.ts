/**
 * Whether undici's EnvHttpProxyAgent (our HTTP client's dispatcher) would send a request for
 * `url` through a proxy. The same reading as undici 7's lib/dispatcher/env-http-proxy-agent.js:
 * lower-case variables win over upper-case ones even when set but empty (`??`), an empty proxy
 * variable means none, an https URL falls back to the http proxy, and NO_PROXY entries match the
 * host or any subdomain of it (a leading `*.` or `.` ignored), optionally on one port; `*` matches
 * everything. The early connection is skipped whenever this says yes, so the answer errs towards
 * "proxied": a wrong "yes" only costs the head start, a wrong "no" would bypass the proxy.
 */
export function proxyApplies(url: URL, env: NodeJS.ProcessEnv): boolean {
  const httpProxy = proxyVariable(env, 'http').value
  const httpsProxy = proxyVariable(env, 'https').value
  const proxy = url.protocol === 'https:' ? httpsProxy || httpProxy : httpProxy
  if (!proxy) return false
  const hostname = url.host.replace(/:\d*$/, '').toLowerCase()
  const port = Number.parseInt(url.port, 10) || (url.protocol === 'https:' ? 443 : 80)
  return !excludedByNoProxy(hostname, port, env.no_proxy ?? env.NO_PROXY ?? '')
}

/**
 * The proxy variable undici reads for `scheme`, and its value: `http_proxy` / `https_proxy` when
 * set, even to nothing, else the upper-case one. src/http/proxy-variables.ts checks the same one.
 */
export function proxyVariable(env: NodeJS.ProcessEnv, scheme: 'http' | 'https'): { name: string; value: string | undefined } {
  const lower = `${scheme}_proxy`
  const name = env[lower] !== undefined ? lower : lower.toUpperCase()
  return { name, value: env[name] }
}

function excludedByNoProxy(hostname: string, port: number, noProxy: string): boolean {
  const entries = noProxy.split(/[,\s]/).filter((entry) => entry !== '')
  if (entries.length === 0) return false
  if (noProxy === '*') return true
  return entries.some((entry) => {
    const parsed = /^(.+):(\d+)$/.exec(entry)
    const entryHost = (parsed ? parsed[1] : entry).replace(/^\*?\./, '').toLowerCase()
    const entryPort = parsed ? Number.parseInt(parsed[2], 10) : 0
    if (entryPort !== 0 && entryPort !== port) return false
    return hostname === entryHost || hostname.endsWith(`.${entryHost}`)
  })
}
