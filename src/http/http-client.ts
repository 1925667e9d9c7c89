import { hasEarlyConnection, takeEarlyConnection } from '../startup/early-connection.js'
import { connectorWithEarlyConnection } from './early-connector.js'
import { buildConnector, EnvHttpProxyAgent, errors, interceptors, Pool, type ConnectorOptions, type Dispatcher } from './undici.js'
import { checkProxyVariables } from './proxy-variables.js'
import { describeFailure, undiciRetryDecision, MAX_RETRY_WAIT_MS, RETRYABLE_ERROR_CODES, RETRYABLE_STATUS_CODES } from './retry-policy.js'

/** Turso, libSQL and GitHub answer these requests in a few hundred bytes; anything near this is not their answer. */
export const MAX_RESPONSE_BYTES = 1024 * 1024

export interface HttpClientOptions {
  /** Bounds each attempt: connecting, waiting for headers, and each pause in the body. */
  timeoutMs: number
  retries: number
  userAgent: string
  log: (message: string) => void
  /** Backoff before the first retry; tests shorten it. */
  baseDelayMs?: number
  /** Cap for one wait, including a server's Retry-After; default MAX_RETRY_WAIT_MS (30 s). */
  maxDelayMs?: number
  /** Floor for a wait a server asks for (Retry-After: 0); default MIN_RETRY_WAIT_MS. Tests shorten it. */
  minDelayMs?: number
  random?: () => number
}

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE'
  url: URL
  headers?: Record<string, string>
  body?: string
  /** Overrides the client's retries for this request (verify's readiness loop does its own retrying). */
  retries?: number
  /** Ends the request, wherever it is, when aborted: verify bounds its whole phase with it. */
  signal?: AbortSignal
}

export interface HttpResponse {
  status: number
  /** Read by verify's readiness loop, which honours the database's Retry-After between checks. */
  headers: Record<string, string | string[] | undefined>
  text: string
  /** Attempts made, 1 when the first one answered. */
  attempts: number
}

/** The request never got a usable answer: no connection, a timeout, a reset, an oversized body. */
export class NetworkError extends Error {
  constructor(
    message: string,
    readonly attempts: number,
    /** What went wrong, without the request line: e.g. "timed out", "connection refused". */
    readonly reason: string = message
  ) {
    super(message)
    this.name = 'NetworkError'
  }
}

/**
 * One HTTP client for the whole run: undici's environment proxy agent (HTTPS_PROXY, HTTP_PROXY,
 * NO_PROXY) composed with undici's retry interceptor. Redirects are never followed: undici only
 * follows them with its redirect interceptor, which we do not add, so an Authorization header
 * never travels to another origin.
 */
export class HttpClient {
  private readonly dispatcher: Dispatcher
  private readonly agent: EnvHttpProxyAgent

  constructor(private readonly options: HttpClientOptions) {
    checkProxyVariables(process.env)
    this.agent = new EnvHttpProxyAgent({
      connect: { timeout: options.timeoutMs },
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      maxResponseSize: MAX_RESPONSE_BYTES,
      // The connection to a proxy, its answer to CONNECT and the TLS handshake inside the tunnel
      // get the same bound. Without these, undici's ProxyAgent uses its own defaults (10 s to
      // connect, then 300 s for the CONNECT answer), so a proxy that accepts and stays silent
      // held each attempt for five minutes whatever the timeout input said.
      proxyTls: { timeout: options.timeoutMs },
      requestTls: { timeout: options.timeoutMs },
      clientFactory: (origin: URL, clientOptions: object) =>
        new Pool(origin, { ...clientOptions, headersTimeout: options.timeoutMs, bodyTimeout: options.timeoutMs }),
      // The pools for each origin, direct or inside a proxy tunnel: a direct one may start with the
      // connection opened at start-up.
      factory: (origin: URL | string, poolOptions: { connect?: unknown }) =>
        new Pool(origin, { ...poolOptions, connect: withEarlyConnection(origin, poolOptions.connect) as ConnectorOptions })
    } as ConstructorParameters<typeof EnvHttpProxyAgent>[0])
    this.dispatcher = this.agent.compose(
      interceptors.retry({
        // Each response is handed back to us (not thrown) so a final 5xx still shows Turso's message.
        throwOnError: false,
        // POST is retried too, and that is safe for each POST this action sends. Rotate: invalidating
        // twice leaves the same state as once. Create-token: if an answer is lost, the retry mints
        // another token; the first one was never delivered to anyone, so nobody can use it, and
        // the next rotation kills it like every other. The libSQL verify pipeline changes nothing.
        // DELETE (revoke) is idempotent; a 404 on its retry is settled by listing again (operations/revoke.ts).
        // PUT (a GitHub secret) writes the same sealed value again.
        methods: ['GET', 'POST', 'PUT', 'DELETE'],
        statusCodes: RETRYABLE_STATUS_CODES,
        errorCodes: RETRYABLE_ERROR_CODES
      })
    )
  }

  /** The `timeout` input, in milliseconds: what one attempt may take in each of its phases. */
  get timeoutMs(): number {
    return this.options.timeoutMs
  }

  async send(req: HttpRequest): Promise<HttpResponse> {
    let failedAttempts = 0
    const decide = undiciRetryDecision({
      retries: req.retries ?? this.options.retries,
      baseDelayMs: this.options.baseDelayMs ?? 1000,
      maxDelayMs: this.options.maxDelayMs ?? MAX_RETRY_WAIT_MS,
      minDelayMs: this.options.minDelayMs,
      random: this.options.random,
      onRetry: (event) => {
        failedAttempts++
        this.options.log(
          `Attempt ${event.attempt - 1} of ${event.totalAttempts}: ${event.method} ${event.path} failed (${event.reason}); ` +
            `retrying in ${(event.delayMs / 1000).toFixed(1)} s`
        )
      }
    })
    // Aborted only once the headers are in: see readBody.
    const bodyDeadline = new AbortController()
    try {
      // Dispatcher.request is what undici's top-level request() calls after splitting the URL.
      const response = await this.dispatcher.request({
        origin: req.url.origin,
        path: `${req.url.pathname}${req.url.search}`,
        method: req.method,
        headers: { 'user-agent': this.options.userAgent, accept: 'application/json', ...req.headers },
        body: req.body,
        signal: req.signal === undefined ? bodyDeadline.signal : AbortSignal.any([bodyDeadline.signal, req.signal]),
        retryOptions: { retry: decide }
      } as Dispatcher.RequestOptions)
      const text = await this.readBody(response.body, bodyDeadline)
      return {
        status: response.statusCode,
        headers: response.headers,
        text,
        attempts: failedAttempts + 1
      }
    } catch (error) {
      const attempts = failedAttempts + 1
      const reason = describeTransportError(error)
      const tries = attempts === 1 ? '1 attempt' : `${attempts} attempts`
      throw new NetworkError(`${req.method} ${req.url.origin}${req.url.pathname} failed after ${tries}: ${reason}`, attempts, reason)
    }
  }

  /**
   * The whole body within one `timeout`. undici's bodyTimeout only bounds each pause between
   * chunks, so a server dripping a byte every few seconds could hold the step for hours.
   */
  private async readBody(body: Dispatcher.ResponseData['body'], deadline: AbortController): Promise<string> {
    const timer = setTimeout(() => deadline.abort(new errors.BodyTimeoutError()), this.options.timeoutMs)
    try {
      return await body.text()
    } finally {
      clearTimeout(timer)
    }
  }

  async close(): Promise<void> {
    await this.agent.close()
  }
}

/**
 * The connect option for a direct connection pool (the one for a proxy tunnel is a function of
 * undici's ProxyAgent and stays as it is): the connections opened at start-up for this origin, if
 * any, serve the pool's first connects; undici's usual connector does the rest.
 */
function withEarlyConnection(origin: URL | string, connect: unknown): unknown {
  if (connect !== undefined && (typeof connect !== 'object' || connect === null)) return connect
  if (!hasEarlyConnection(new URL(String(origin)).origin)) return connect
  return connectorWithEarlyConnection(takeEarlyConnection, buildConnector({ ...(connect as ConnectorOptions | undefined) }))
}

function describeTransportError(error: unknown): string {
  const failure = error as { code?: string; message?: string; statusCode?: number; cause?: { code?: string } }
  if (failure.code === 'UND_ERR_RES_EXCEEDED_MAX_SIZE') {
    return `the response was larger than ${MAX_RESPONSE_BYTES} bytes, far more than any answer the action expects`
  }
  // undici's ProxyAgent refuses a tunnel with "Proxy response (407) !== 200 when HTTP Tunneling".
  const proxyStatus = /^Proxy response \((\d{3})\)/u.exec(failure.message ?? '')?.[1]
  if (proxyStatus === '407') {
    return 'the proxy refused authentication (HTTP 407): give its user and password in the proxy variable, as http://user:password@host:port'
  }
  if (proxyStatus !== undefined) return `the proxy refused to open a tunnel (HTTP ${proxyStatus} to CONNECT)`
  const code = failure.code ?? failure.cause?.code
  return describeFailure({ code, message: failure.message })
}
