/**
 * A real HTTP fake of the GitHub REST secrets endpoints on 127.0.0.1, so the
 * secret store is tested through @actions/github, undici and the network stack.
 * It holds real X25519 key pairs (libsodium) and can open what it receives.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { randomBytes } from 'node:crypto'
import sodium from 'libsodium-wrappers'
import { useServer } from './lifecycle.js'

const notFound = { status: 404, body: { message: 'Not Found' } }

export interface FakeGitHubOptions {
  /** Repositories that exist; default ['octo-org/app']. */
  repositories?: string[]
  /** Environments per repository; default { 'octo-org/app': ['production'] }. */
  environments?: Record<string, string[]>
}

export interface RecordedRequest {
  method: string
  /** Raw request target, still percent-encoded. */
  path: string
  headers: Record<string, string | string[] | undefined>
  body: unknown
}

export interface CannedResponse {
  status: number
  body?: unknown
  headers?: Record<string, string>
  /** Wait this long before answering (to trigger client timeouts). */
  delayMs?: number
  /** Drop the connection without answering (a network error). */
  dropConnection?: boolean
}

export interface StoredSecret {
  encrypted_value: string
  key_id: string
}

export interface KeyPair {
  publicKey: Uint8Array
  privateKey: Uint8Array
}

export interface FakeGitHub {
  url: string
  /** The only bearer token accepted. */
  token: string
  /** Repository public key pair and its key_id. */
  keyPair: KeyPair
  keyId: string
  /** Environments get their own key pair, as on GitHub. */
  environmentKeyPair: KeyPair
  environmentKeyId: string
  requests: RecordedRequest[]
  /** Keys: 'repo:owner/name:SECRET' or 'env:owner/name:envname:SECRET'. */
  secrets: Map<string, StoredSecret>
  /** Opens a sealed box with whichever of the fake's key pairs fits. */
  decrypt(encryptedBase64: string): Promise<string>
  /** The next requests get these answers, in order, instead of normal handling. */
  failNext(...responses: CannedResponse[]): void
  /** Awaited after a request is handled and before it is answered (e.g. to act right after a PUT). */
  beforeAnswer?: (request: RecordedRequest) => Promise<void> | void
  close(): Promise<void>
}

export async function startFakeGitHub(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  await sodium.ready
  const repositories = new Set(options.repositories ?? ['octo-org/app'])
  const environments = options.environments ?? { 'octo-org/app': ['production'] }
  const token = `ghp_fake${randomBytes(16).toString('hex')}`
  const repoKeys = sodium.crypto_box_keypair()
  const envKeys = sodium.crypto_box_keypair()
  const keyId = '568250167242549743'
  const environmentKeyId = '712093470912834561'
  const requests: RecordedRequest[] = []
  const secrets = new Map<string, StoredSecret>()
  const canned: CannedResponse[] = []
  const pendingTimers = new Set<NodeJS.Timeout>()

  const route = (request: RecordedRequest): { status: number; body?: unknown } => {
    const auth = request.headers.authorization
    const presented = typeof auth === 'string' ? /^(?:Bearer|token) (.+)$/i.exec(auth)?.[1] : undefined
    if (presented !== token) return { status: 401, body: { message: 'Bad credentials' } }

    const segments = new URL(request.path, 'http://fake').pathname.split('/').slice(1).map(decodeURIComponent)
    if (segments[0] !== 'repos' || segments.length < 4) return notFound
    const repository = `${segments[1]}/${segments[2]}`
    if (!repositories.has(repository)) return notFound

    let scope: { keyId: string; publicKey: Uint8Array; prefix: string }
    let rest: string[]
    if (segments[3] === 'actions' && segments[4] === 'secrets') {
      scope = { keyId, publicKey: repoKeys.publicKey, prefix: `repo:${repository}` }
      rest = segments.slice(5)
    } else if (segments[3] === 'environments' && segments[5] === 'secrets' && segments[4] !== undefined) {
      if (!(environments[repository] ?? []).includes(segments[4])) return notFound
      scope = { keyId: environmentKeyId, publicKey: envKeys.publicKey, prefix: `env:${repository}:${segments[4]}` }
      rest = segments.slice(6)
    } else {
      return notFound
    }
    if (rest.length !== 1 || rest[0] === undefined) return notFound

    if (rest[0] === 'public-key' && request.method === 'GET') {
      return { status: 200, body: { key_id: scope.keyId, key: Buffer.from(scope.publicKey).toString('base64') } }
    }
    if (request.method === 'PUT') {
      const body = request.body as Partial<StoredSecret> | undefined
      if (typeof body?.encrypted_value !== 'string' || typeof body.key_id !== 'string') {
        return { status: 422, body: { message: 'Invalid request: encrypted_value and key_id are required' } }
      }
      if (body.key_id !== scope.keyId) return { status: 422, body: { message: 'Bad key_id' } }
      const name = `${scope.prefix}:${rest[0].toUpperCase()}`
      const existed = secrets.has(name)
      secrets.set(name, { encrypted_value: body.encrypted_value, key_id: body.key_id })
      return { status: existed ? 204 : 201, body: existed ? undefined : {} }
    }
    return notFound
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8')
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: { ...req.headers },
        body: text === '' ? undefined : (JSON.parse(text) as unknown)
      }
      requests.push(recorded)
      const forced = canned.shift()
      if (forced?.dropConnection) {
        req.socket.destroy()
        return
      }
      const answer = forced ?? route(recorded)
      const hook = fake.beforeAnswer
      const send = (): void => {
        if (res.destroyed) return
        const headers = { ...(forced?.headers ?? {}) }
        if (answer.body === undefined) {
          res.writeHead(answer.status, headers).end()
        } else {
          res
            .writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8', ...headers })
            .end(JSON.stringify(answer.body))
        }
      }
      if (hook !== undefined) {
        void Promise.resolve(hook(recorded)).then(send, send)
      } else if (forced?.delayMs) {
        const timer = setTimeout(() => {
          pendingTimers.delete(timer)
          send()
        }, forced.delayMs)
        pendingTimers.add(timer)
      } else {
        send()
      }
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo

  const fake: FakeGitHub = {
    url: `http://127.0.0.1:${port}`,
    token,
    keyPair: { publicKey: repoKeys.publicKey, privateKey: repoKeys.privateKey },
    keyId,
    environmentKeyPair: { publicKey: envKeys.publicKey, privateKey: envKeys.privateKey },
    environmentKeyId,
    requests,
    secrets,
    async decrypt(encryptedBase64: string): Promise<string> {
      await sodium.ready
      const sealed = Buffer.from(encryptedBase64, 'base64')
      for (const keys of [repoKeys, envKeys]) {
        try {
          return sodium.to_string(sodium.crypto_box_seal_open(sealed, keys.publicKey, keys.privateKey))
        } catch {
          // not sealed to this key pair; try the next
        }
      }
      throw new Error('fake GitHub: ciphertext does not open with any of its key pairs')
    },
    failNext(...responses: CannedResponse[]): void {
      canned.push(...responses)
    },
    close(): Promise<void> {
      for (const timer of pendingTimers) clearTimeout(timer)
      server.closeAllConnections()
      return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())))
    }
  }
  return fake
}

/** One fake GitHub per test file, with its request log cleared before each test. */
export function useFakeGitHub(): FakeGitHub {
  return useServer(() => startFakeGitHub(), (github) => {
    github.requests.length = 0
    github.beforeAnswer = undefined
  })
}
