import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/**
 * Whether dist/ was built from the sources as they are now: then it runs the code you see. The
 * build records a SHA-256 of each file that shapes the bundle in dist/sources.json; the demo
 * calls `ensureFreshDist`, which compares those with the files' contents now. Contents, not
 * modification times: a fresh clone's checkout gives every file the time of the checkout, in
 * whatever order, which says nothing about which was built from which.
 */

/** What dist/ is built from, besides src/: the locked dependencies, the compiler settings and the build itself. */
const BUILD_INPUTS = ['package-lock.json', 'tsconfig.json', 'scripts/build.ts']

export const SOURCES_MANIFEST = 'sources.json'

function filesUnder(root: string, dir: string): string[] {
  const full = join(root, dir)
  if (!existsSync(full)) return []
  return readdirSync(full, { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`
    return entry.isDirectory() ? filesUnder(root, path) : [path]
  })
}

/** `path → sha256` of every file under src/ and of the build inputs, sorted by path, `/` separated. */
export function sourceHashes(root: string): Record<string, string> {
  const paths = [...filesUnder(root, 'src'), ...BUILD_INPUTS.filter((path) => existsSync(join(root, path)))].sort()
  return Object.fromEntries(paths.map((path) => [path, createHash('sha256').update(readFileSync(join(root, path))).digest('hex')]))
}

/** Written by `npm run build` next to the bundle. */
export function writeSourcesManifest(root: string, outDir: string): void {
  writeFileSync(join(outDir, SOURCES_MANIFEST), `${JSON.stringify(sourceHashes(root), null, 2)}\n`)
}

/** Why dist/ needs a rebuild (missing, or which source differs from what it was built from), or undefined if it does not. */
export function staleDistReason(root: string): string | undefined {
  if (!existsSync(join(root, 'dist', 'index.js'))) return 'dist/index.js does not exist'
  let built: Record<string, string>
  try {
    built = JSON.parse(readFileSync(join(root, 'dist', SOURCES_MANIFEST), 'utf8')) as Record<string, string>
  } catch {
    return `dist/${SOURCES_MANIFEST} (the record of what dist/ was built from) is missing or unreadable`
  }
  const now = sourceHashes(root)
  const changed = Object.keys(now).filter((path) => built[path] !== undefined && built[path] !== now[path])
  const added = Object.keys(now).filter((path) => built[path] === undefined)
  const removed = Object.keys(built).filter((path) => now[path] === undefined)
  const parts = [
    changed.length > 0 ? `${changed.join(', ')} changed` : '',
    added.length > 0 ? `${added.join(', ')} added` : '',
    removed.length > 0 ? `${removed.join(', ')} removed` : ''
  ].filter((part) => part !== '')
  return parts.length === 0 ? undefined : `since dist/ was built, ${parts.join('; ')}`
}

/**
 * Rebuilds dist/ with `npm run build` when it is stale; says so first. Returns false (after a
 * warning) if the build failed, so the caller can stop instead of running old code.
 */
export function ensureFreshDist(root: string, log: (line: string) => void = console.log): boolean {
  const reason = staleDistReason(root)
  if (reason === undefined) return true
  log(`${reason}: rebuilding it with npm run build, so the demo runs the code in src/`)
  const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] })
  if (build.status === 0) return true
  log(`WARNING: npm run build failed (exit ${build.status ?? build.signal}); fix the build, or the demo would run an old dist/`)
  return false
}
