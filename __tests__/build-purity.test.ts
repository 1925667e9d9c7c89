import { afterAll, describe, expect, it } from '@jest/globals'
import { spawn, type ChildProcess } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { projectRoot } from '../scripts/lib/runner.js'

/**
 * `npm run build` is a pure function of the sources: finished or cancelled (CI cancels with
 * SIGTERM), it leaves node_modules exactly as npm installed it. A write through a hard link, a
 * file left behind or removed, a changed symbolic link: each changes this snapshot. (Not the link
 * count: a cancelled build's hard-linked build input stays in the output folder until the next.)
 */
function snapshot(folder: string): Map<string, string> {
  const entries = new Map<string, string>()
  const walk = (path: string): void => {
    const stat = lstatSync(path, { bigint: true })
    const link = stat.isSymbolicLink() ? ` -> ${readlinkSync(path)}` : ''
    entries.set(path, `${stat.mode} ${stat.size} ${stat.mtimeNs} ${stat.ino}${link}`)
    if (stat.isDirectory()) for (const name of readdirSync(path)) walk(join(path, name))
  }
  walk(folder)
  return entries
}

function changes(before: Map<string, string>, after: Map<string, string>): string[] {
  const paths = new Set([...before.keys(), ...after.keys()])
  return [...paths].filter((path) => before.get(path) !== after.get(path)).map((path) => `${path}: ${before.get(path) ?? 'absent'} => ${after.get(path) ?? 'absent'}`)
}

const sha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex')

const nodeModules = join(projectRoot, 'node_modules')
// The files the build used to patch in place: their contents, besides their metadata.
const undiciClient = join(nodeModules, 'undici', 'lib', 'dispatcher', 'client.js')
const httpClientUndici = join(nodeModules, '@actions', 'http-client', 'node_modules')
// In the project (on node_modules' file system, as dist/ is), ignored by git.
mkdirSync(join(projectRoot, '.tmp'), { recursive: true })
const outDir = mkdtempSync(join(projectRoot, '.tmp', 'build-purity-'))
const buildInput = join(outDir, '.build-input')

function startBuild(): { child: ChildProcess; exited: Promise<number | null> } {
  const tsx = join(nodeModules, 'tsx', 'dist', 'cli.mjs')
  // Its own process group, so that a signal reaches the build and ncc, as a cancelled job's does.
  const child = spawn(process.execPath, [tsx, join('scripts', 'build.ts'), '--out', outDir], { cwd: projectRoot, detached: true, stdio: 'ignore' })
  // tsx relays the signal to the build and exits 128 + 15 itself.
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  return { child, exited }
}

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 60_000
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

afterAll(() => {
  rmSync(outDir, { recursive: true, force: true })
})

describe('npm run build never writes to node_modules', () => {
  const before = snapshot(nodeModules)
  const clientHash = sha256(undiciClient)

  it.each([
    ['while it mirrors the project into the build input', () => existsSync(join(buildInput, 'node_modules'))],
    ['while ncc bundles (the shim and the adjusted undici in the build input)', () => existsSync(join(buildInput, 'node_modules', '@actions', 'http-client', 'node_modules', 'undici', 'index.js'))]
  ])('a build cancelled with SIGTERM %s leaves node_modules as it was', async (_when, reached) => {
    const build = startBuild()
    await until(reached, 'the build to reach that point')
    process.kill(-(build.child.pid as number), 'SIGTERM')
    expect(await build.exited).not.toBe(0)
    expect(changes(before, snapshot(nodeModules))).toEqual([])
    expect(sha256(undiciClient)).toBe(clientHash)
    expect(existsSync(httpClientUndici)).toBe(false)
  }, 120_000)

  it('a finished build (after the cancelled ones) leaves node_modules as it was, and no build input behind', async () => {
    const build = startBuild()
    expect(await build.exited).toBe(0)
    expect(existsSync(join(outDir, 'index.js'))).toBe(true)
    expect(readFileSync(join(outDir, 'index.js'), 'utf8')).not.toContain('.build-input')
    expect(existsSync(buildInput)).toBe(false)
    expect(changes(before, snapshot(nodeModules))).toEqual([])
    expect(sha256(undiciClient)).toBe(clientHash)
    expect(existsSync(httpClientUndici)).toBe(false)
  }, 180_000)
})
