/**
 * GitHub's secrets endpoints, as the action uses them, served by the emulator under `/github` on
 * the API port (`GITHUB_API_URL=http://127.0.0.1:8787/github`), so that storing a minted token
 * can be tried on one machine. Five destinations, each with its own X25519 key pair and key_id:
 * repository and environment Actions secrets, organization Actions secrets, and repository and
 * organization Dependabot secrets; `GET /repos/{owner}/{repo}` for repository IDs. A PUT is
 * opened with the destination's private key (libsodium, an implementation independent of the
 * action's) and refused with 422 when its key_id is not the current one or it does not open.
 *
 * Sources: ../shared/reference/github-secrets-api.md (routes, bodies, key per destination,
 * organization visibility rules), GitHub's REST docs (201 created, 204 updated; 401 "Requires
 * authentication"; 404 "Not Found"). Guesses: the wording of every 422, and that any non-empty
 * token is accepted (the emulator does not model permissions).
 */
import { randomInt } from 'node:crypto'
import sodium from 'libsodium-wrappers'

export type GitHubDestinationKind = 'repository' | 'environment' | 'organization' | 'dependabot' | 'dependabot-organization'

/** One of the places GitHub keeps secrets, named as a `secret-targets` line names it: `environment acme/app production`. */
export interface GitHubDestination {
  kind: GitHubDestinationKind
  /** `owner/name` for repository kinds, the organization login otherwise. */
  owner: string
  environment?: string
}

export interface StoredGitHubSecret {
  /** E.g. `repository acme/app`, `environment acme/app production`, `organization acme`. */
  destination: string
  /** Upper-cased, as GitHub stores names. */
  name: string
  /** The opened value: shown only by the control API and in-process, never by a GitHub route. */
  value: string
  keyId: string
  visibility?: string
  selectedRepositoryIds?: number[]
  createdAt: string
  updatedAt: string
}

export interface GitHubSeed {
  /** `owner/name` → repository ID. */
  repositories: Record<string, number>
  /** `owner/name` → its environments. */
  environments: Record<string, string[]>
  organizations: string[]
}

/** What exists on the emulator's GitHub: the Turso seed's organizations as GitHub owners too. */
export const DEFAULT_GITHUB_SEED: GitHubSeed = {
  repositories: { 'acme/app': 1296269, 'acme/api': 1296270, 'acme/web': 1296271, 'octo/notes': 1296272 },
  environments: { 'acme/app': ['production', 'staging'], 'acme/api': ['production'] },
  organizations: ['acme']
}

export interface GitHubRequest {
  method: string
  /** Decoded path segments after `/github`. */
  segments: string[]
  headers: Record<string, string>
  body: string
}

export interface GitHubAnswer {
  status: number
  /** Undefined: no body (204). */
  json?: unknown
}

interface KeyPair {
  keyId: string
  publicKey: Uint8Array
  privateKey: Uint8Array
}

const DOCS = 'https://docs.github.com/rest'
const SECRET_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/u
const VISIBILITIES = ['all', 'private', 'selected']

function message(status: number, text: string, documentation = DOCS): GitHubAnswer {
  return { status, json: { message: text, documentation_url: documentation, status: String(status) } }
}

const NOT_FOUND = message(404, 'Not Found')

/** `environment acme/app production`: the same words as a `secret-targets` line. */
export function describeDestination(destination: GitHubDestination): string {
  return destination.environment === undefined ? `${destination.kind} ${destination.owner}` : `${destination.kind} ${destination.owner} ${destination.environment}`
}

export class GitHubSide {
  private readonly keys = new Map<string, KeyPair>()
  private readonly stored = new Map<string, StoredGitHubSecret>()
  /** Armed by rotateKeys({ afterNextRead: true }): the next public-key read rotates that key after answering. */
  private rotateAfterNextRead = false

  private constructor(
    private readonly seed: GitHubSeed,
    private readonly now: () => number
  ) {}

  static async create(seed: GitHubSeed = DEFAULT_GITHUB_SEED, now: () => number = Date.now): Promise<GitHubSide> {
    await sodium.ready
    return new GitHubSide(seed, now)
  }

  /** Every stored secret with its opened value, in the order first written. */
  secrets(): StoredGitHubSecret[] {
    return [...this.stored.values()].map((secret) => ({ ...secret }))
  }

  /** The opened value of one secret, e.g. secretValue('repository acme/app', 'TURSO_DB_TOKEN'). */
  secretValue(destination: string, name: string): string | undefined {
    return this.stored.get(`${destination}\n${name.toUpperCase()}`)?.value
  }

  /** The current public key of a destination (`repository acme/app`): what a client seals to. */
  publicKey(destination: string): { keyId: string; key: string } {
    const pair = this.keyOf(destination)
    return { keyId: pair.keyId, key: Buffer.from(pair.publicKey).toString('base64') }
  }

  /**
   * Replaces key pairs, as GitHub may between a client's GET and its PUT: a PUT sealed to the old
   * key (its old key_id) is then refused with 422. Now, every key; or, with `afterNextRead`, the
   * key of the next public-key read, right after it is answered.
   */
  rotateKeys(options: { afterNextRead?: boolean } = {}): void {
    if (options.afterNextRead === true) {
      this.rotateAfterNextRead = true
      return
    }
    this.keys.clear()
  }

  handle(request: GitHubRequest): GitHubAnswer {
    const authorization = (request.headers.authorization ?? '').trim()
    if (!/^(?:bearer|token)\s+\S+/iu.test(authorization)) {
      return message(401, 'Requires authentication', 'https://docs.github.com/rest/overview/authenticating-to-the-rest-api')
    }
    const { segments, method } = request
    if (segments[0] === 'repos' && segments.length === 3) {
      if (method !== 'GET') return NOT_FOUND
      return this.repository(`${segments[1]}/${segments[2]}`)
    }
    const located = this.locate(segments)
    if (located === undefined) return NOT_FOUND
    const { destination, rest } = located
    if (rest.length !== 1 || rest[0] === undefined) return NOT_FOUND
    if (rest[0] === 'public-key') return method === 'GET' ? this.readKey(destination) : NOT_FOUND
    if (method !== 'PUT') return NOT_FOUND
    return this.write(destination, rest[0], request.body)
  }

  private repository(fullName: string): GitHubAnswer {
    const entry = Object.entries(this.seed.repositories).find(([name]) => name.toLowerCase() === fullName.toLowerCase())
    if (entry === undefined) return NOT_FOUND
    const [name, id] = entry
    const [owner = '', repo = ''] = name.split('/')
    return { status: 200, json: { id, name: repo, full_name: name, private: true, owner: { login: owner, type: this.isOrganization(owner) ? 'Organization' : 'User' } } }
  }

  private isOrganization(login: string): boolean {
    return this.seed.organizations.some((organization) => organization.toLowerCase() === login.toLowerCase())
  }

  private canonicalRepository(owner: string | undefined, repo: string | undefined): string | undefined {
    const fullName = `${owner}/${repo}`.toLowerCase()
    return Object.keys(this.seed.repositories).find((name) => name.toLowerCase() === fullName)
  }

  /** The destination a secrets path names, and the path after `.../secrets`; undefined for 404. */
  private locate(segments: string[]): { destination: GitHubDestination; rest: string[] } | undefined {
    if (segments[0] === 'orgs' && segments[3] === 'secrets') {
      const organization = this.seed.organizations.find((candidate) => candidate.toLowerCase() === segments[1]?.toLowerCase())
      if (organization === undefined) return undefined
      if (segments[2] === 'actions') return { destination: { kind: 'organization', owner: organization }, rest: segments.slice(4) }
      if (segments[2] === 'dependabot') return { destination: { kind: 'dependabot-organization', owner: organization }, rest: segments.slice(4) }
      return undefined
    }
    if (segments[0] !== 'repos') return undefined
    const repository = this.canonicalRepository(segments[1], segments[2])
    if (repository === undefined) return undefined
    if (segments[3] === 'actions' && segments[4] === 'secrets') return { destination: { kind: 'repository', owner: repository }, rest: segments.slice(5) }
    if (segments[3] === 'dependabot' && segments[4] === 'secrets') return { destination: { kind: 'dependabot', owner: repository }, rest: segments.slice(5) }
    if (segments[3] === 'environments' && segments[5] === 'secrets') {
      const environment = (this.seed.environments[repository] ?? []).find((candidate) => candidate.toLowerCase() === segments[4]?.toLowerCase())
      if (environment === undefined) return undefined
      return { destination: { kind: 'environment', owner: repository, environment }, rest: segments.slice(6) }
    }
    return undefined
  }

  private keyOf(destination: string): KeyPair {
    let pair = this.keys.get(destination)
    if (pair === undefined) {
      const generated = sodium.crypto_box_keypair()
      // GitHub's key_ids are long decimal strings.
      const keyId = `${randomInt(100_000_000, 999_999_999)}${randomInt(100_000_000, 999_999_999)}`
      pair = { keyId, publicKey: generated.publicKey, privateKey: generated.privateKey }
      this.keys.set(destination, pair)
    }
    return pair
  }

  private readKey(destination: GitHubDestination): GitHubAnswer {
    const name = describeDestination(destination)
    const pair = this.keyOf(name)
    const answer = { status: 200, json: { key_id: pair.keyId, key: Buffer.from(pair.publicKey).toString('base64') } }
    if (this.rotateAfterNextRead) {
      this.rotateAfterNextRead = false
      this.keys.delete(name)
    }
    return answer
  }

  private write(destination: GitHubDestination, secretName: string, bodyText: string): GitHubAnswer {
    if (!SECRET_NAME.test(secretName) || secretName.toUpperCase().startsWith('GITHUB_')) {
      return message(422, 'Secret names can only contain alphanumeric characters ([a-z], [A-Z], [0-9]) or underscores (_), must not start with a number, and must not start with the GITHUB_ prefix.')
    }
    let body: Record<string, unknown>
    try {
      const parsed: unknown = JSON.parse(bodyText)
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object')
      body = parsed as Record<string, unknown>
    } catch {
      return message(400, 'Problems parsing JSON')
    }
    const { encrypted_value: encrypted, key_id: keyId } = body
    if (typeof encrypted !== 'string' || typeof keyId !== 'string') {
      return message(422, 'Invalid request.\n\n"encrypted_value" and "key_id" are required strings.')
    }
    const name = describeDestination(destination)
    const pair = this.keyOf(name)
    if (keyId !== pair.keyId) {
      return message(422, `Bad request: key_id ${JSON.stringify(keyId.slice(0, 40))} is not the current key of this secret store; read the public key again and re-encrypt.`)
    }
    let value: string
    try {
      value = sodium.to_string(sodium.crypto_box_seal_open(sodium.from_base64(encrypted, sodium.base64_variants.ORIGINAL), pair.publicKey, pair.privateKey))
    } catch {
      return message(422, 'Bad request: encrypted_value could not be decrypted with the key of key_id (it must be a libsodium sealed box of the value, base64).')
    }
    const organizationRules = destination.kind === 'organization' || destination.kind === 'dependabot-organization' ? this.organizationProblem(destination.owner, body) : undefined
    if (organizationRules !== undefined) return message(422, organizationRules)

    const key = `${name}\n${secretName.toUpperCase()}`
    const existing = this.stored.get(key)
    const at = new Date(this.now()).toISOString().replace(/\.\d{3}Z$/u, 'Z')
    const secret: StoredGitHubSecret = { destination: name, name: secretName.toUpperCase(), value, keyId, createdAt: existing?.createdAt ?? at, updatedAt: at }
    if (typeof body.visibility === 'string') secret.visibility = body.visibility
    if (Array.isArray(body.selected_repository_ids)) secret.selectedRepositoryIds = body.selected_repository_ids as number[]
    this.stored.set(key, secret)
    // GitHub: 201 with an empty object when it creates the secret, 204 without a body when it updates one.
    return existing === undefined ? { status: 201, json: {} } : { status: 204 }
  }

  /** GitHub's rules for an organization secret's body; undefined when it passes. */
  private organizationProblem(organization: string, body: Record<string, unknown>): string | undefined {
    const { visibility, selected_repository_ids: ids } = body
    if (visibility === undefined) return 'Invalid request.\n\n"visibility" wasn\'t supplied.'
    if (typeof visibility !== 'string' || !VISIBILITIES.includes(visibility)) {
      return `Invalid request.\n\n${JSON.stringify(visibility)} is not a member of ["all", "private", "selected"].`
    }
    if (ids === undefined) return undefined
    if (visibility !== 'selected') return 'selected_repository_ids can only be used when visibility is set to selected.'
    if (!Array.isArray(ids) || !ids.every((id) => Number.isInteger(id))) return "Invalid request.\n\nFor 'items', a list of integers is expected."
    for (const id of ids as number[]) {
      const repository = Object.entries(this.seed.repositories).find(([, candidate]) => candidate === id)?.[0]
      if (repository === undefined || repository.split('/')[0]?.toLowerCase() !== organization.toLowerCase()) return `Repository ${id} is not a repository of ${organization}.`
    }
    return undefined
  }
}

/** The `/_emulator/github/...` control routes; undefined for a path that is not one. */
export function handleGitHubControl(github: GitHubSide, method: string, path: string, body: string): GitHubAnswer | undefined {
  const route = `${method} ${path.replace(/\/+$/u, '')}`
  switch (route) {
    case 'GET /_emulator/github/secrets':
      return { status: 200, json: { secrets: github.secrets() } }
    case 'POST /_emulator/github/rotate-keys': {
      let afterNextRead = false
      if (body.trim() !== '') {
        try {
          afterNextRead = (JSON.parse(body) as { afterNextRead?: unknown }).afterNextRead === true
        } catch {
          return { status: 400, json: { error: 'body must be empty or {"afterNextRead": true}' } }
        }
      }
      github.rotateKeys({ afterNextRead })
      return { status: 200, json: { rotated: afterNextRead ? 'after the next public-key read' : 'now' } }
    }
    default:
      return undefined
  }
}
