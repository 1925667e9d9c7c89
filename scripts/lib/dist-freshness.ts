import { spawnSync } from 'node:child_process'
import { readdirSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'

/**
 * Whether dist/index.js is older than a file of src/: then it does not run the code you see.
 * The demo calls `ensureFreshDist` before running dist/index.js, so a change to src/ is never
 * demonstrated with an old bundle by mistake.
 */

/** The most recently modified file under `dir`, or undefined for an empty tree. */
export function newestFile(dir: string): { path: string; mtimeMs: number } | undefined {
  let newest: { path: string; mtimeMs: number } | undefined
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    const candidate = entry.isDirectory() ? newestFile(path) : { path, mtimeMs: statSync(path).mtimeMs }
    if (candidate !== undefined && (newest === undefined || candidate.mtimeMs > newest.mtimeMs)) newest = candidate
  }
  return newest
}

/** Why dist/ needs a rebuild (missing, or older than which src/ file), or undefined if it does not. */
export function staleDistReason(root: string): string | undefined {
  let built: number
  try {
    built = statSync(join(root, 'dist', 'index.js')).mtimeMs
  } catch {
    return 'dist/index.js does not exist'
  }
  const newest = newestFile(join(root, 'src'))
  if (newest === undefined || newest.mtimeMs <= built) return undefined
  return `dist/index.js is older than ${relative(root, newest.path)}`
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
