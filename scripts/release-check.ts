/**
 * `npm run release:check -- vX.Y.Z`: before the release workflow moves the major tag, the tag
 * must be a plain semantic version and every version string must agree with it: package.json's
 * `version` and src/version.ts's ACTION_VERSION (sent in the User-Agent). Prints each problem;
 * exits 1 on any, 0 with the major tag to move (`vX`) on stdout's last line.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

export interface VersionStrings {
  tag: string
  packageVersion: string | undefined
  actionVersion: string | undefined
}

const RELEASE_TAG = /^v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/

/** `v1` for `v1.2.3`; undefined for anything that is not a plain release tag (no pre-release). */
export function majorTag(tag: string): string | undefined {
  const match = RELEASE_TAG.exec(tag)
  return match === null ? undefined : `v${match[1]}`
}

/** What disagrees; empty when the release may go ahead. */
export function releaseProblems({ tag, packageVersion, actionVersion }: VersionStrings): string[] {
  if (majorTag(tag) === undefined) return [`the tag '${tag}' is not a release tag vX.Y.Z`]
  const version = tag.slice(1)
  const problems: string[] = []
  if (packageVersion !== version) problems.push(`package.json has version '${packageVersion ?? '(none)'}', the tag says ${version}`)
  if (actionVersion !== version) problems.push(`src/version.ts has ACTION_VERSION '${actionVersion ?? '(none)'}', the tag says ${version}`)
  return problems
}

/** The version strings as committed under `root`. */
export function committedVersions(root: string): Omit<VersionStrings, 'tag'> {
  const packageJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version?: unknown }
  const versionTs = readFileSync(join(root, 'src', 'version.ts'), 'utf8')
  return {
    packageVersion: typeof packageJson.version === 'string' ? packageJson.version : undefined,
    actionVersion: /^export const ACTION_VERSION = '([^']*)'/m.exec(versionTs)?.[1]
  }
}

function main(): void {
  const tag = process.argv[2] ?? ''
  const root = fileURLToPath(new URL('..', import.meta.url))
  const problems = releaseProblems({ tag, ...committedVersions(root) })
  for (const problem of problems) console.log(`::error::${problem}`)
  if (problems.length > 0) {
    process.exitCode = 1
    return
  }
  console.log(`${tag}: package.json and src/version.ts agree`)
  console.log(majorTag(tag))
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) main()
