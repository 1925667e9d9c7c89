/**
 * A real HTTP fake of the GitHub REST secrets endpoints on 127.0.0.1, so the
 * secret store is tested through its HTTP client, undici and the network stack.
 * It serves the five secret stores (repository, environment and organization
 * Actions secrets; repository and organization Dependabot secrets), each with its
 * own real X25519 key pair (libsodium), plus `GET /repos/{owner}/{repo}` for
 * repository IDs. Bodies are checked the way GitHub checks them: `key_id` must be
 * the id of that store's key; organization secrets need `visibility` (all,
 * private, selected), and `selected_repository_ids` (integers, repositories of
 * that organization) only with `selected`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { randomBytes } from 'node:crypto'
import sodium from 'libsodium-wrappers'
import { useServer } from './lifecycle.js'

const notFound = { status: 404, body: { message: 'Not Found' } }

export interface FakeGitHubOptions {
  /** Repositories that exist; default ['octo-org/app', 'octo-org/api', 'octo-org/web', 'someone/tool']. */
  repositories?: string[]
  /** Environments per repository; default { 'octo-org/app': ['production'] }. */
  environments?: Record<string, string[]>
  /** Organizations that exist; default ['octo-org']. */
  organizations?: string[]
}

/** The five places GitHub keeps secrets; each has its own key pair. */
export type SecretScopeName = 'repository' | 'environment' | 'organization' | 'dependabot-repository' | 'dependabot-organization'

export interface ScopeKey {
  keyPair: KeyPair
  keyId: string
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
  /** Organization secrets only. */
  visibility?: string
  selected_repository_ids?: number[]
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
  /** Every store's key pair and key_id (repository and environment are the two above). */
  keys: Record<SecretScopeName, ScopeKey>
  /** The id GitHub gives each repository (`GET /repos/{owner}/{repo}`). */
  repositoryIds: Map<string, number>
  requests: RecordedRequest[]
  /**
   * Keys: 'repo:owner/name:SECRET', 'env:owner/name:envname:SECRET', 'org:org:SECRET',
   * 'dependabot:owner/name:SECRET', 'dependabot-org:org:SECRET' (secret names upper-cased, as GitHub does).
   */
  secrets: Map<string, StoredSecret>
  /** Stores whose requests are refused with 403, as GitHub refuses a token without the permission; cleared per test. */
  deniedScopes: Set<SecretScopeName>
  /** Opens a sealed box with whichever of the fake's key pairs fits. */
  decrypt(encryptedBase64: string): Promise<string>
  /** Opens a sealed box with one store's key pair only; throws if it was sealed to another. */
  decryptFor(scope: SecretScopeName, encryptedBase64: string): Promise<string>
  /** The next requests get these answers, in order, instead of normal handling. */
  failNext(...responses: CannedResponse[]): void
  /** Awaited after a request is handled and before it is answered (e.g. to act right after a PUT). */
  beforeAnswer?: (request: RecordedRequest) => Promise<void> | void
  close(): Promise<void>
}

const SCOPE_KEY_IDS: Record<SecretScopeName, string> = {
  repository: '568250167242549743',
  environment: '712093470912834561',
  organization: '012345678912345678',
  'dependabot-repository': '3380204578043523366',
  'dependabot-organization': '4450912387012398471'
}

const VISIBILITIES = ['all', 'private', 'selected']

type Answer = { status: number; body?: unknown }

export async function startFakeGitHub(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  await sodium.ready
  const repositories = new Set(options.repositories ?? ['octo-org/app', 'octo-org/api', 'octo-org/web', 'someone/tool'])
  const environments = options.environments ?? { 'octo-org/app': ['production'] }
  const organizations = new Set(options.organizations ?? ['octo-org'])
  const token = `ghp_fake${randomBytes(16).toString('hex')}`
  const keys = Object.fromEntries(
    Object.entries(SCOPE_KEY_IDS).map(([scope, keyId]) => {
      const pair = sodium.crypto_box_keypair()
      return [scope, { keyId, keyPair: { publicKey: pair.publicKey, privateKey: pair.privateKey } }]
    })
  ) as Record<SecretScopeName, ScopeKey>
  const repositoryIds = new Map([...repositories].map((repository, index) => [repository, 1_296_269 + index * 7]))
  const requests: RecordedRequest[] = []
  const secrets = new Map<string, StoredSecret>()
  const deniedScopes = new Set<SecretScopeName>()
  const canned: CannedResponse[] = []
  const pendingTimers = new Set<NodeJS.Timeout>()

  /** Which store a path names, and the rest of the path after `.../secrets`. */
  const locate = (segments: string[]): { scope: SecretScopeName; prefix: string; organization?: string; rest: string[] } | Answer => {
    if (segments[0] === 'orgs' && segments[1] !== undefined && segments[3] === 'secrets') {
      if (!organizations.has(segments[1])) return notFound
      const organization = segments[1]
      if (segments[2] === 'actions') return { scope: 'organization', prefix: `org:${organization}`, organization, rest: segments.slice(4) }
      if (segments[2] === 'dependabot') return { scope: 'dependabot-organization', prefix: `dependabot-org:${organization}`, organization, rest: segments.slice(4) }
      return notFound
    }
    if (segments[0] !== 'repos' || segments.length < 4) return notFound
    const repository = `${segments[1]}/${segments[2]}`
    if (!repositories.has(repository)) return notFound
    if (segments[3] === 'actions' && segments[4] === 'secrets') return { scope: 'repository', prefix: `repo:${repository}`, rest: segments.slice(5) }
    if (segments[3] === 'dependabot' && segments[4] === 'secrets') {
      return { scope: 'dependabot-repository', prefix: `dependabot:${repository}`, rest: segments.slice(5) }
    }
    if (segments[3] === 'environments' && segments[5] === 'secrets' && segments[4] !== undefined) {
      if (!(environments[repository] ?? []).includes(segments[4])) return notFound
      return { scope: 'environment', prefix: `env:${repository}:${segments[4]}`, rest: segments.slice(6) }
    }
    return notFound
  }

  /** GitHub's checks of an organization secret's body; undefined when it passes. */
  const organizationBodyProblem = (organization: string, body: Record<string, unknown>): string | undefined => {
    const visibility = body.visibility
    if (visibility === undefined) return 'Invalid request.\n\n"visibility" wasn\'t supplied.'
    if (typeof visibility !== 'string' || !VISIBILITIES.includes(visibility)) {
      return `Invalid request.\n\n${JSON.stringify(visibility)} is not a member of ["all", "private", "selected"].`
    }
    const ids = body.selected_repository_ids
    if (ids === undefined) return undefined
    if (visibility !== 'selected') return 'selected_repository_ids can only be used when visibility is set to selected.'
    if (!Array.isArray(ids) || !ids.every((id) => Number.isInteger(id))) return 'Invalid request.\n\nFor \'items\', a list of integers is expected.'
    for (const id of ids as number[]) {
      const repository = [...repositoryIds].find(([, candidate]) => candidate === id)?.[0]
      if (repository === undefined || repository.split('/')[0] !== organization) return `Repository ${id} is not a repository of ${organization}.`
    }
    return undefined
  }

  const route = (request: RecordedRequest): Answer => {
    const auth = request.headers.authorization
    const presented = typeof auth === 'string' ? /^(?:Bearer|token) (.+)$/i.exec(auth)?.[1] : undefined
    if (presented !== token) return { status: 401, body: { message: 'Bad credentials' } }

    const segments = new URL(request.path, 'http://fake').pathname.split('/').slice(1).map(decodeURIComponent)
    if (segments[0] === 'repos' && segments.length === 3 && request.method === 'GET') {
      const repository = `${segments[1]}/${segments[2]}`
      const id = repositoryIds.get(repository)
      if (id === undefined) return notFound
      return { status: 200, body: { id, name: segments[2], full_name: repository, owner: { login: segments[1] } } }
    }
    const located = locate(segments)
    if ('status' in located) return located
    const { scope, prefix, organization, rest } = located
    if (rest.length !== 1 || rest[0] === undefined) return notFound
    if (deniedScopes.has(scope)) return { status: 403, body: { message: 'Resource not accessible by personal access token' } }
    const { keyId, keyPair } = keys[scope]

    if (rest[0] === 'public-key' && request.method === 'GET') {
      return { status: 200, body: { key_id: keyId, key: Buffer.from(keyPair.publicKey).toString('base64') } }
    }
    if (request.method === 'PUT') {
      const body = (typeof request.body === 'object' && request.body !== null ? request.body : {}) as Record<string, unknown>
      if (typeof body.encrypted_value !== 'string' || typeof body.key_id !== 'string') {
        return { status: 422, body: { message: 'Invalid request: encrypted_value and key_id are required' } }
      }
      if (body.key_id !== keyId) return { status: 422, body: { message: 'Bad key_id' } }
      if (organization !== undefined) {
        const problem = organizationBodyProblem(organization, body)
        if (problem !== undefined) return { status: 422, body: { message: problem } }
      }
      const name = `${prefix}:${rest[0].toUpperCase()}`
      const existed = secrets.has(name)
      const stored: StoredSecret = { encrypted_value: body.encrypted_value, key_id: body.key_id }
      if (organization !== undefined) {
        stored.visibility = body.visibility as string
        if (body.selected_repository_ids !== undefined) stored.selected_repository_ids = body.selected_repository_ids as number[]
      }
      secrets.set(name, stored)
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

  const open = (keyPair: KeyPair, encryptedBase64: string): string =>
    sodium.to_string(sodium.crypto_box_seal_open(Buffer.from(encryptedBase64, 'base64'), keyPair.publicKey, keyPair.privateKey))

  const fake: FakeGitHub = {
    url: `http://127.0.0.1:${port}`,
    token,
    keyPair: keys.repository.keyPair,
    keyId: keys.repository.keyId,
    environmentKeyPair: keys.environment.keyPair,
    environmentKeyId: keys.environment.keyId,
    keys,
    repositoryIds,
    requests,
    secrets,
    deniedScopes,
    async decrypt(encryptedBase64: string): Promise<string> {
      await sodium.ready
      for (const { keyPair } of Object.values(keys)) {
        try {
          return open(keyPair, encryptedBase64)
        } catch {
          // not sealed to this key pair; try the next
        }
      }
      throw new Error('fake GitHub: ciphertext does not open with any of its key pairs')
    },
    async decryptFor(scope: SecretScopeName, encryptedBase64: string): Promise<string> {
      await sodium.ready
      return open(keys[scope].keyPair, encryptedBase64)
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
    github.deniedScopes.clear()
    github.beforeAnswer = undefined
  })
}
