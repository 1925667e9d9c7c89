/**
 * GitHub's REST API on the run's one HTTP client (src/http/http-client.ts): the same 1 MiB
 * answer cap, `timeout` on every phase (a proxy's CONNECT included), proxy reading, retries and
 * rate-limit waits as Turso and the database. This module knows GitHub's headers and JSON, not
 * sockets. Docs: https://docs.github.com/rest/using-the-rest-api/getting-started-with-the-rest-api
 */
import type { HttpClient } from '../http/http-client.js'

/** The REST API version the endpoints below were written against. */
const API_VERSION = '2022-11-28'

/** GitHub answered, but not with success. Its message is raw server text: print it only through the server-text rule. */
export class GitHubAnswerError extends Error {
  override readonly name = 'GitHubAnswerError'

  constructor(
    readonly status: number,
    readonly headers: Record<string, string | string[] | undefined>,
    /** GitHub's own `message`, or the body when it is not GitHub's JSON. */
    readonly gitHubMessage: string,
    /** Attempts made, retries included. */
    readonly attempts: number
  ) {
    super(`GitHub answered HTTP ${status}`)
  }
}

export interface GitHubAnswer {
  status: number
  /** The parsed JSON body; undefined for an empty one (204). */
  data: unknown
}

export class GitHubApi {
  constructor(
    private readonly http: HttpClient,
    /** Without a trailing slash, e.g. https://api.github.com or https://ghes.example/api/v3. */
    private readonly baseUrl: string,
    private readonly token: string
  ) {}

  get(path: string): Promise<GitHubAnswer> {
    return this.send('GET', path)
  }

  put(path: string, body: Record<string, unknown>): Promise<GitHubAnswer> {
    return this.send('PUT', path, body)
  }

  /** Throws NetworkError (no usable answer), GitHubAnswerError (not 2xx) or Error (2xx that is not JSON). */
  private async send(method: 'GET' | 'PUT', path: string, body?: Record<string, unknown>): Promise<GitHubAnswer> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.token}`,
      accept: 'application/vnd.github+json',
      'x-github-api-version': API_VERSION
    }
    const url = new URL(`${this.baseUrl}${path}`)
    const response = await this.http.send(
      body === undefined
        ? { method, url, headers }
        : { method, url, headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) }
    )
    // undici hands over no 1xx as a final answer: anything below 300 is a success.
    if (response.status >= 300) {
      throw new GitHubAnswerError(response.status, response.headers, messageOf(response.text), response.attempts)
    }
    if (response.text === '') return { status: response.status, data: undefined }
    try {
      return { status: response.status, data: JSON.parse(response.text) as unknown }
    } catch {
      throw new Error(`GitHub answered HTTP ${response.status} with a body that is not JSON`)
    }
  }
}

/** GitHub's error bodies are `{"message": "...", "documentation_url": "..."}`; anything else is shown as it came. */
function messageOf(text: string): string {
  try {
    const message: unknown = (JSON.parse(text) as { message?: unknown } | null)?.message
    if (typeof message === 'string' && message !== '') return message
  } catch {
    // not JSON: the text itself
  }
  return text === '' ? '(no message)' : text
}
