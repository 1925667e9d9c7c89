/**
 * `npm run build`: bundles src/index.ts into dist/ with ncc, as before, with one difference in
 * what gets bundled. @actions/http-client (loaded by @actions/core) imports `{ ProxyAgent }` from
 * 'undici', and undici's index loads all of undici: fetch, WebSocket, the cache and mock layers,
 * node:zlib, and, through the web layer's use of the `File`/`Headers` globals, Node's own internal
 * copy of undici. For the duration of the build, a tiny package named undici is placed where
 * webpack looks first for that import (node_modules/@actions/http-client/node_modules/undici); it
 * re-exports ProxyAgent from the same undici files. One line of undici is adjusted the same way
 * (see SOURCE_ADJUSTMENTS). Both exist only while ncc runs: the package is removed and the file
 * restored when it is done, so tests and everything else see node_modules as npm installed it.
 *
 * The output: dist/index.js (the entry: masks, validates, opens the connection), the chunk with the
 * rest of the action that it imports while the handshake runs, the lazily loaded chunks, and
 * dist/sources.json (a hash of each source it was built from).
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildSync } from 'esbuild'
import { writeSourcesManifest } from './lib/dist-freshness.js'

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

/**
 * undici's client.js requires its HTTP/2 client at load, which loads node:http2 (one of the
 * costliest built-in modules to load) in every run, although ALPN offers only http/1.1 and
 * HTTP/2 is never used. In the bundle it is required on first use instead: the same function,
 * called the same way. The file is patched for the duration of the build and restored after.
 */
const SOURCE_ADJUSTMENTS = [
  {
    file: join(undiciLib, 'dispatcher', 'client.js'),
    from: "const connectH2 = require('./client-h2.js')",
    to: "let loadedConnectH2; const connectH2 = (...args) => (loadedConnectH2 ??= require('./client-h2.js'))(...args) // build: loaded on first use"
  }
]

function adjustSources(): () => void {
  const originals: { file: string; text: string }[] = []
  try {
    for (const { file, from, to } of SOURCE_ADJUSTMENTS) {
      const text = readFileSync(file, 'utf8')
      if (text.split(from).length !== 2) throw new Error(`${relative(root, file)} no longer contains exactly one \`${from}\`: review the build's source adjustments for this undici version`)
      originals.push({ file, text })
      writeFileSync(file, text.replace(from, to))
    }
  } catch (error) {
    for (const { file, text } of originals) writeFileSync(file, text)
    throw error
  }
  return () => {
    for (const { file, text } of originals) writeFileSync(file, text)
  }
}

// `npm run build -- --out <dir>` builds elsewhere (e.g. a candidate for BENCH_DIST).
const outFlag = process.argv.indexOf('--out')
const outDir = resolve(root, outFlag >= 0 ? process.argv[outFlag + 1] : 'dist')

/**
 * ncc minifies only the entry; the chunks it writes stay as webpack emits them, comments and all,
 * and the one with the rest of the action is compiled in every run. They are minified the way ncc
 * minifies the entry (whitespace and names, no other rewriting, function and class names kept),
 * with esbuild, which composes each chunk's source map with ncc's through its sourceMappingURL.
 */
function minifyChunks(dir: string): void {
  for (const file of readdirSync(dir).filter((name) => /^\d+\.index\.js$/.test(name))) {
    const path = join(dir, file)
    buildSync({
      entryPoints: [path],
      outfile: path,
      allowOverwrite: true,
      bundle: false,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      minifyWhitespace: true,
      minifyIdentifiers: true,
      minifySyntax: false,
      keepNames: true,
      legalComments: 'none',
      sourcemap: 'linked',
      sourcesContent: true,
      logLevel: 'error'
    })
  }
}

placeShim()
const restoreSources = adjustSources()
try {
  const ncc = join(root, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js')
  const args = [ncc, 'build', 'src/index.ts', '--out', outDir, '--minify', '--source-map', '--no-source-map-register', '--license', 'licenses.txt']
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' })
  process.exitCode = result.status ?? 1
} finally {
  restoreSources()
  removeShim()
}
if (process.exitCode === 0) {
  minifyChunks(outDir)
  // What this bundle was built from, so the demo can tell a stale dist/ by content (scripts/lib/dist-freshness.ts).
  writeSourcesManifest(root, outDir)
}
