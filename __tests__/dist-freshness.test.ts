import { afterEach, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ensureFreshDist, staleDistReason } from '../scripts/lib/dist-freshness.js'

/** A project with src/a.ts, src/deep/b.ts and dist/index.js at chosen modification times. */
function project(times: { a: number; b: number; dist?: number }, buildScript = 'node -e "require(\'fs\').utimesSync(\'dist/index.js\', 4000, 4000)"'): string {
  const root = mkdtempSync(join(tmpdir(), 'dist-freshness-'))
  mkdirSync(join(root, 'src', 'deep'), { recursive: true })
  writeFileSync(join(root, 'src', 'a.ts'), '')
  writeFileSync(join(root, 'src', 'deep', 'b.ts'), '')
  utimesSync(join(root, 'src', 'a.ts'), times.a, times.a)
  utimesSync(join(root, 'src', 'deep', 'b.ts'), times.b, times.b)
  if (times.dist !== undefined) {
    mkdirSync(join(root, 'dist'))
    writeFileSync(join(root, 'dist', 'index.js'), '')
    utimesSync(join(root, 'dist', 'index.js'), times.dist, times.dist)
  }
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'p', private: true, scripts: { build: buildScript } }))
  roots.push(root)
  return root
}

const roots: string[] = []
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true })
})

describe('dist/ freshness before the demo', () => {
  it('is fresh when dist/index.js is at least as new as every file of src/', () => {
    expect(staleDistReason(project({ a: 1000, b: 2000, dist: 2000 }))).toBeUndefined()
  })

  it('names the newest src/ file, however deep, that is newer than dist/index.js', () => {
    expect(staleDistReason(project({ a: 1000, b: 3000, dist: 2000 }))).toBe(`dist/index.js is older than ${join('src', 'deep', 'b.ts')}`)
    expect(staleDistReason(project({ a: 1000, b: 1000 }))).toBe('dist/index.js does not exist')
  })

  it('does nothing when fresh; rebuilds and says why when stale', () => {
    const lines: string[] = []
    expect(ensureFreshDist(project({ a: 1000, b: 1000, dist: 2000 }), (line) => lines.push(line))).toBe(true)
    expect(lines).toEqual([])

    const stale = project({ a: 3000, b: 1000, dist: 2000 })
    expect(ensureFreshDist(stale, (line) => lines.push(line))).toBe(true)
    expect(lines).toEqual([`dist/index.js is older than ${join('src', 'a.ts')}: rebuilding it with npm run build, so the demo runs the code in src/`])
    expect(staleDistReason(stale)).toBeUndefined()
  })

  it('warns and reports false when the rebuild fails', () => {
    const lines: string[] = []
    expect(ensureFreshDist(project({ a: 3000, b: 1000, dist: 2000 }, 'exit 3'), (line) => lines.push(line))).toBe(false)
    expect(lines[1]).toBe('WARNING: npm run build failed (exit 3); fix the build, or the demo would run an old dist/')
  })
})
