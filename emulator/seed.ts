/** The emulator's starting world: API tokens, the user account and organizations. */
import { readFileSync } from 'node:fs'

export interface SeedApiToken {
  name: string
  id: string
  /** The bearer value. Seeded values are obviously fake, e.g. `emulator-api-token-0001`. */
  value: string
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
}

export interface SeedOrganization {
  slug: string
  name: string
  /** The user's own account; its slug is the username and the legacy `/v1/databases`, `/v1/groups` paths use it. */
  personal?: boolean
  groups: SeedGroup[]
  databases: SeedDatabase[]
}

export interface Seed {
  user: { username: string; email: string }
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
  assertUnique(seed.apiTokens.map((t) => t.name), 'API token name')
  assertUnique(seed.apiTokens.map((t) => t.value), 'API token value')
  assertUnique(seed.organizations.map((o) => o.slug), 'organization slug')
  const personal = seed.organizations.filter((o) => o.personal === true)
  if (personal.length !== 1 || personal[0]?.slug !== seed.user.username) {
    throw new Error(`seed: exactly one personal organization with slug "${seed.user.username}" is required`)
  }
  for (const org of seed.organizations) {
    assertUnique(org.groups.map((g) => g.name), `group in ${org.slug}`)
    assertUnique(org.databases.map((d) => d.name), `database in ${org.slug}`)
    for (const db of org.databases) {
      if (!org.groups.some((g) => g.name === db.group)) throw new Error(`seed: database ${org.slug}/${db.name} names unknown group "${db.group}"`)
    }
  }
}
