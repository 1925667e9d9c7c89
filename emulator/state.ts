/** The emulator's mutable world: organizations, groups (with signing keys), databases and API tokens. */
import { generateSigningKey, type SigningKey } from './jwt.js'
import type { DatabaseConfiguration, MemberRole, Seed, SeedApiToken, SeedDatabase, SeedGroup } from './seed.js'

export interface OrganizationState {
  slug: string
  name: string
  personal: boolean
  /** Username → role; the user of a personal organization is its owner. */
  members: Map<string, MemberRole>
  groups: Map<string, GroupState>
  databases: Map<string, DatabaseState>
}

export interface GroupState {
  organization: OrganizationState
  seed: SeedGroup
  /** Tokens are signed per group; rotation replaces this key, so older tokens stop verifying. */
  signingKey: SigningKey
  /** When its tokens were last rotated (EmulatorState.monotonicNow), for the downtime that follows; see availability.ts. */
  rotatedAt?: number
}

export interface DatabaseState {
  organization: OrganizationState
  seed: SeedDatabase
  group: GroupState
  /** `127.0.0.1:<port>` of this database's own loopback listener, set once it listens. */
  hostname: string
  /** When it last answered and whether it is waking up (EmulatorState.monotonicNow); see availability.ts. */
  activity: { lastActiveAt?: number; wakingSince?: number }
  /** Its configuration (GET/PATCH .../configuration), from the seed; tests change it with PATCH. */
  configuration: DatabaseConfiguration
}

/** A live Platform API token; `owner` is the username of the user who minted it. */
export type ApiTokenState = SeedApiToken & { owner: string }

export type DatabaseLookup = { found: DatabaseState } | { error: 'unknown' | 'ambiguous' }

export class EmulatorState {
  readonly username: string
  /** Username → email of every account. */
  readonly users = new Map<string, string>()
  readonly organizations = new Map<string, OrganizationState>()
  /** Live (non-revoked) Platform API tokens in creation order. */
  readonly apiTokens: ApiTokenState[]

  constructor(
    seed: Seed,
    /** Monotonic milliseconds for the downtime windows (availability.ts); injectable so tests need not wait. */
    readonly monotonicNow: () => number = () => performance.now()
  ) {
    this.username = seed.user.username
    for (const user of [seed.user, ...(seed.users ?? [])]) this.users.set(user.username, user.email)
    this.apiTokens = seed.apiTokens.map((token) => ({ ...token, owner: token.owner ?? seed.user.username }))
    for (const orgSeed of seed.organizations) {
      const organization: OrganizationState = {
        slug: orgSeed.slug,
        name: orgSeed.name,
        personal: orgSeed.personal === true,
        members: new Map((orgSeed.members ?? []).map((member) => [member.username, member.role])),
        groups: new Map(),
        databases: new Map()
      }
      if (organization.personal) organization.members.set(seed.user.username, 'owner')
      for (const groupSeed of orgSeed.groups) {
        organization.groups.set(groupSeed.name, { organization, seed: groupSeed, signingKey: generateSigningKey() })
      }
      for (const dbSeed of orgSeed.databases) {
        const group = organization.groups.get(dbSeed.group)
        if (group === undefined) throw new Error(`seed: unknown group ${dbSeed.group}`)
        const configuration: DatabaseConfiguration = {
          allowed_ips: [...(dbSeed.configuration?.allowed_ips ?? [])],
          allowed_aws_vpc_ids: [...(dbSeed.configuration?.allowed_aws_vpc_ids ?? [])],
          block_reads: dbSeed.configuration?.block_reads ?? false,
          block_writes: dbSeed.configuration?.block_writes ?? false
        }
        organization.databases.set(dbSeed.name, { organization, seed: dbSeed, group, hostname: '', activity: {}, configuration })
      }
      this.organizations.set(organization.slug, organization)
    }
  }

  /** The user's own account, addressed by the legacy org-less paths. */
  personalOrganization(): OrganizationState {
    const org = this.organizations.get(this.username)
    if (org === undefined) throw new Error('seed has no personal organization')
    return org
  }

  allDatabases(): DatabaseState[] {
    return [...this.organizations.values()].flatMap((org) => [...org.databases.values()])
  }

  /** Finds a database by name, in one organization or (if unique) across all of them. */
  findDatabase(name: string, organizationSlug?: string): DatabaseLookup {
    if (organizationSlug !== undefined) {
      const found = this.organizations.get(organizationSlug)?.databases.get(name)
      return found === undefined ? { error: 'unknown' } : { found }
    }
    const matches = this.allDatabases().filter((db) => db.seed.name === name)
    if (matches.length === 0) return { error: 'unknown' }
    if (matches.length > 1) return { error: 'ambiguous' }
    return { found: matches[0] as DatabaseState }
  }

  databasesInGroup(group: GroupState): DatabaseState[] {
    return [...group.organization.databases.values()].filter((db) => db.group === group)
  }

  findApiTokenByValue(value: string): ApiTokenState | undefined {
    return this.apiTokens.find((token) => token.value === value)
  }

  /** Invalidates every token of the group (and so of each of its databases). */
  rotateGroup(group: GroupState): void {
    group.signingKey = generateSigningKey()
    group.rotatedAt = this.monotonicNow()
  }
}
