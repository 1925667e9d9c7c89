/**
 * `npm run build`: bundles src/index.ts into dist/ with ncc, as before, with one difference in
 * what gets bundled. @actions/http-client (loaded by @actions/core) imports `{ ProxyAgent }` from
 * 'undici', and undici's index loads all of undici: fetch, WebSocket, the cache and mock layers,
 * node:zlib, and, through the web layer's use of the `File`/`Headers` globals, Node's own internal
 * copy of undici. For the duration of the build, a tiny package named undici is placed where
 * webpack looks first for that import (node_modules/@actions/http-client/node_modules/undici); it
 * re-exports ProxyAgent from the same undici files. Nothing in node_modules is changed for tests or
 * at any other time: the package is removed when ncc is done.
 *
 * The output: dist/index.js (the entry: masks, validates, opens the connection), the chunk with the
 * rest of the action that it imports while the handshake runs, and the lazily loaded chunks.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, rmdirSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const undiciLib = join(root, 'node_modules', 'undici', 'lib')
const shimDir = join(root, 'node_modules', '@actions', 'http-client', 'node_modules', 'undici')

function placeShim(): void {
  if (existsSync(shimDir)) throw new Error(`${relative(root, shimDir)} already exists: remove it (a stale build shim?) and build again`)
  if (!existsSync(join(root, 'node_modules', '@actions', 'http-client'))) throw new Error('node_modules/@actions/http-client is missing: run npm ci')
  const lib = (file: string): string => JSON.stringify(relative(shimDir, join(undiciLib, file)).split('\\').join('/'))
  mkdirSync(shimDir, { recursive: true })
  writeFileSync(join(shimDir, 'package.json'), `${JSON.stringify({ name: 'undici', version: '0.0.0-build-shim', main: 'index.js', type: 'commonjs' }, null, 2)}\n`)
  writeFileSync(
    join(shimDir, 'index.js'),
    `'use strict'
// Build-time stand-in for undici's index, for @actions/http-client (see scripts/build.ts).
const Dispatcher = require(${lib('dispatcher/dispatcher.js')})
Object.assign(Dispatcher.prototype, require(${lib('api/index.js')}))
exports.ProxyAgent = require(${lib('dispatcher/proxy-agent.js')})
`
  )
}

function removeShim(): void {
  rmSync(shimDir, { recursive: true, force: true })
  try {
    // The node_modules folder the shim needed, unless something else is in it.
    rmdirSync(dirname(shimDir))
  } catch {
    // Not empty or already gone: leave it.
  }
}

placeShim()
try {
  const ncc = join(root, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js')
  const args = [ncc, 'build', 'src/index.ts', '--out', 'dist', '--minify', '--source-map', '--no-source-map-register', '--license', 'licenses.txt', ...process.argv.slice(2)]
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' })
  process.exitCode = result.status ?? 1
} finally {
  removeShim()
}
