/**
 * dist/ freshness before the demo: by content (dist/sources.json, written by the build), never by
 * modification times, which a fresh clone's checkout sets in no meaningful order.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ensureFreshDist, sourceHashes, staleDistReason, writeSourcesManifest } from '../scripts/lib/dist-freshness.js'

const BUILD = `node -e "require('fs').writeFileSync('dist/index.js', ''); require('./record.cjs')"`

/** A project with src/a.ts, src/deep/b.ts, package-lock.json and (built) dist/ whose manifest records them. */
function project(buildScript = BUILD): string {
  const root = mkdtempSync(join(tmpdir(), 'dist-freshness-'))
  roots.push(root)
  mkdirSync(join(root, 'src', 'deep'), { recursive: true })
  writeFileSync(join(root, 'src', 'a.ts'), 'export const a = 1\n')
  writeFileSync(join(root, 'src', 'deep', 'b.ts'), 'export const b = 2\n')
  writeFileSync(join(root, 'package-lock.json'), '{}\n')
  mkdirSync(join(root, 'dist'))
  writeFileSync(join(root, 'dist', 'index.js'), '')
  writeSourcesManifest(root, join(root, 'dist'))
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'p', private: true, scripts: { build: buildScript } }))
  // The fake build records its sources as the real one does: a CommonJS copy of the manifest writer.
  const hashes = `const { createHash } = require('crypto'); const fs = require('fs'); const path = require('path')
const walk = (dir) => fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => e.isDirectory() ? walk(dir + '/' + e.name) : [dir + '/' + e.name]) : []
const files = [...walk('src'), ...['package-lock.json', 'tsconfig.json', 'scripts/build.ts'].filter((f) => fs.existsSync(f))].sort()
fs.writeFileSync(path.join('dist', 'sources.json'), JSON.stringify(Object.fromEntries(files.map((f) => [f, createHash('sha256').update(fs.readFileSync(f)).digest('hex')])), null, 2) + '\\n')`
  writeFileSync(join(root, 'record.cjs'), hashes)
  return root
}

const roots: string[] = []
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true })
})

describe('dist/ freshness before the demo', () => {
  it('is fresh when the sources hold what dist/ was built from, whatever their modification times', () => {
    const root = project()
    // A checkout: sources newer than dist/.
    utimesSync(join(root, 'dist', 'index.js'), 1000, 1000)
    utimesSync(join(root, 'src', 'a.ts'), 5000, 5000)
    expect(staleDistReason(root)).toBeUndefined()
  })

  it('names each source changed, added or removed since the build, however deep', () => {
    const root = project()
    writeFileSync(join(root, 'src', 'deep', 'b.ts'), 'export const b = 3\n')
    writeFileSync(join(root, 'package-lock.json'), '{"lockfileVersion":3}\n')
    writeFileSync(join(root, 'src', 'c.ts'), '')
    rmSync(join(root, 'src', 'a.ts'))
    expect(staleDistReason(root)).toBe('since dist/ was built, package-lock.json, src/deep/b.ts changed; src/c.ts added; src/a.ts removed')
  })

  it('is stale without dist/index.js or without the manifest', () => {
    const root = project()
    rmSync(join(root, 'dist', 'sources.json'))
    expect(staleDistReason(root)).toBe('dist/sources.json (the record of what dist/ was built from) is missing or unreadable')
    rmSync(join(root, 'dist', 'index.js'))
    expect(staleDistReason(root)).toBe('dist/index.js does not exist')
  })

  it('does nothing when fresh; rebuilds and says why when stale', () => {
    const lines: string[] = []
    expect(ensureFreshDist(project(), (line) => lines.push(line))).toBe(true)
    expect(lines).toEqual([])

    const stale = project()
    writeFileSync(join(stale, 'src', 'a.ts'), 'export const a = 2\n')
    expect(ensureFreshDist(stale, (line) => lines.push(line))).toBe(true)
    expect(lines).toEqual(['since dist/ was built, src/a.ts changed: rebuilding it with npm run build, so the demo runs the code in src/'])
    expect(staleDistReason(stale)).toBeUndefined()
  })

  it('warns and reports false when the rebuild fails', () => {
    const lines: string[] = []
    const root = project('exit 3')
    writeFileSync(join(root, 'src', 'a.ts'), '')
    expect(ensureFreshDist(root, (line) => lines.push(line))).toBe(false)
    expect(lines[1]).toBe('WARNING: npm run build failed (exit 3); fix the build, or the demo would run an old dist/')
  })
})

describe('the manifest the build writes', () => {
  it('holds a SHA-256 per source, src/ and the build inputs, sorted by path', () => {
    const root = project()
    const manifest = JSON.parse(readFileSync(join(root, 'dist', 'sources.json'), 'utf8')) as Record<string, string>
    expect(Object.keys(manifest)).toEqual(['package-lock.json', 'src/a.ts', 'src/deep/b.ts'])
    expect(manifest['src/a.ts']).toBe('a3b135bcfeaabda5d6780642cf256059889ad4649c9ba4f7a4d5d6e83a68b402') // sha256 of 'export const a = 1\n'
    expect(manifest).toEqual(sourceHashes(root))
  })
})
