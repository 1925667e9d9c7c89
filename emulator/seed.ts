/** The emulator's starting world: API tokens, the user account and organizations. */
import { readFileSync } from 'node:fs'

export interface SeedApiToken {
  name: string
  id: string
  /**
   * The bearer value. Turso's are JWTs; so are the emulator's, except the three first seeded ones
   * (`emulator-api-token-0001`..`0003`), kept because tests and the demo pass them by value.
   */
  value: string
  /** Username of the user who minted it; default: the seed's `user`. */
  owner?: string
  /** `YYYY-MM-DD`, as Turso lists it. */
  created_at: string
  /** Org-scoped token: may act only on this organization. */
  organization?: string
  /** Group-scoped token (needs `organization` and `scopes`). */
  group?: string
  scopes?: string[]
  /** Unix seconds; reported by GET /v1/auth/validate and enforced. Absent: never expires. */
  exp?: number
}

export interface SeedGroup {
  name: string
  uuid: string
  version: string
  primary: string
  locations: string[]
  delete_protection?: boolean
}

export interface SeedDatabase {
  name: string
  /** Reported as `DbId`; database tokens carry it as their `id` claim. */
  id: string
  group: string
  delete_protection?: boolean
  /** GET/PATCH .../databases/{db}/configuration; unset fields start empty or false. */
  configuration?: Partial<DatabaseConfiguration>
}

/** The configuration fields the emulator keeps (DatabaseConfigurationResponse in openapi.json). */
export interface DatabaseConfiguration {
  allowed_ips: string[]
  allowed_aws_vpc_ids: string[]
  block_reads: boolean
  block_writes: boolean
}

export type MemberRole = 'owner' | 'admin' | 'member' | 'viewer'

export interface SeedUser {
  username: string
  email: string
}

export interface SeedOrganization {
  slug: string
  name: string
  /** Members besides the personal account's own user (who owns a personal organization). */
  members?: { username: string; role: MemberRole }[]
  /** The user's own account; its slug is the username and the legacy `/v1/databases`, `/v1/groups` paths use it. */
  personal?: boolean
  groups: SeedGroup[]
  databases: SeedDatabase[]
}

export interface Seed {
  /** The account the first API token belongs to (the emulator's default caller). */
  user: SeedUser
  /** Other accounts, members of organizations, who own API tokens too. */
  users?: SeedUser[]
  apiTokens: SeedApiToken[]
  organizations: SeedOrganization[]
}

export function loadDefaultSeed(): Seed {
  const text = readFileSync(new URL('./seed.json', import.meta.url), 'utf8')
  return JSON.parse(text) as Seed
}

function assertUnique(names: string[], what: string): void {
  const seen = new Set<string>()
  for (const name of names) {
    if (seen.has(name)) throw new Error(`seed: duplicate ${what} "${name}"`)
    seen.add(name)
  }
}

/** Fails fast on a seed that could not describe a real account. */
export function validateSeed(seed: Seed): void {
  const allUsers = [seed.user, ...(seed.users ?? [])]
  assertUnique(allUsers.map((u) => u.username), 'username')
  const usernames = new Set(allUsers.map((u) => u.username))
  for (const token of seed.apiTokens) {
    if (token.owner !== undefined && !usernames.has(token.owner)) throw new Error(`seed: API token "${token.name}" has unknown owner "${token.owner}"`)
  }
  // Names are unique per user, not across users (revokeOrganizationAPIToken takes an ID for that reason).
  assertUnique(seed.apiTokens.map((t) => `${t.owner ?? seed.user.username}/${t.name}`), 'API token name of one user')
  assertUnique(seed.apiTokens.map((t) => t.id), 'API token id')
  assertUnique(seed.apiTokens.map((t) => t.value), 'API token value')
  assertUnique(seed.organizations.map((o) => o.slug), 'organization slug')
  const personal = seed.organizations.filter((o) => o.personal === true)
  if (personal.length !== 1 || personal[0]?.slug !== seed.user.username) {
    throw new Error(`seed: exactly one personal organization with slug "${seed.user.username}" is required`)
  }
  for (const org of seed.organizations) {
    assertUnique(org.groups.map((g) => g.name), `group in ${org.slug}`)
    assertUnique(org.databases.map((d) => d.name), `database in ${org.slug}`)
    for (const member of org.members ?? []) {
      if (!usernames.has(member.username)) throw new Error(`seed: organization ${org.slug} names unknown member "${member.username}"`)
    }
    for (const db of org.databases) {
      if (!org.groups.some((g) => g.name === db.group)) throw new Error(`seed: database ${org.slug}/${db.name} names unknown group "${db.group}"`)
    }
  }
}
