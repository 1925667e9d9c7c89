/**
 * `npm run build`: bundles src/index.ts into dist/ with ncc, with one difference in what gets
 * bundled. @actions/http-client (loaded by @actions/core) imports `{ ProxyAgent }` from 'undici',
 * and undici's index loads all of undici: fetch, WebSocket, the cache and mock layers, node:zlib,
 * and, through the web layer's use of the `File`/`Headers` globals, Node's own internal copy of
 * undici. So ncc is given, instead of webpack's usual view of node_modules, a build input in which
 * a tiny package named undici sits where webpack looks first for that import
 * (node_modules/@actions/http-client/node_modules/undici); it re-exports ProxyAgent from the same
 * undici files. One line of undici is adjusted the same way (see SOURCE_ADJUSTMENTS).
 *
 * The build is a pure function of the sources: it writes nothing outside its output folder. The
 * build input is a mirror of the project (package.json, tsconfig.json, src/, node_modules/) made
 * of hard links inside the output folder (`<out>/.build-input`, which ncc's clean-up of the
 * output folder skips), and the adjusted files in it are new files, never writes through a link.
 * A build interrupted at any moment leaves node_modules as npm installed it; the next build
 * removes the stale mirror. ncc's cache (under ~/.cache) is off for the same reason.
 *
 * The output: dist/index.js (the entry: masks, validates, opens the connection), the chunk with the
 * rest of the action that it imports while the handshake runs, the lazily loaded chunks, and
 * dist/sources.json (a hash of each source it was built from).
 */
import { spawnSync } from 'node:child_process'
import { copyFileSync, existsSync, linkSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildSync } from 'esbuild'
import { writeSourcesManifest } from './lib/dist-freshness.js'

const root = fileURLToPath(new URL('..', import.meta.url))

// `npm run build -- --out <dir>` builds elsewhere (e.g. a candidate for BENCH_DIST).
const outFlag = process.argv.indexOf('--out')
const outDir = resolve(root, outFlag >= 0 ? process.argv[outFlag + 1] : 'dist')
/** The build input: ncc's glob that empties the output folder skips dot folders. */
const inputDir = join(outDir, '.build-input')
const undiciLib = join(inputDir, 'node_modules', 'undici', 'lib')
const shimDir = join(inputDir, 'node_modules', '@actions', 'http-client', 'node_modules', 'undici')

/** ncc, run from the build input: it rewrites its V8 code caches (`*.js.cache`) next to itself on exit. */
const nccDir = join('node_modules', '@vercel', 'ncc', 'dist', 'ncc')

/**
 * `to` becomes a copy of `from` made of hard links (copies where the output folder is on another
 * file system, and of ncc, which writes to its own files); symbolic links stay symbolic links.
 */
function mirror(from: string, to: string, link: { hard: boolean }): void {
  mkdirSync(to)
  const copyAll = relative(root, from).startsWith(nccDir)
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const source = join(from, entry.name)
    const target = join(to, entry.name)
    if (entry.isDirectory()) mirror(source, target, link)
    else if (entry.isSymbolicLink()) symlinkSync(readlinkSync(source), target)
    else if (copyAll || !link.hard) copyFileSync(source, target)
    else {
      try {
        linkSync(source, target)
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error
        link.hard = false
        copyFileSync(source, target)
      }
    }
  }
}

/** The project as ncc needs to see it, in the output folder. */
function prepareBuildInput(): void {
  if (!existsSync(join(root, 'node_modules', '@actions', 'http-client'))) throw new Error('node_modules/@actions/http-client is missing: run npm ci')
  rmSync(inputDir, { recursive: true, force: true }) // left by an interrupted build
  mkdirSync(inputDir, { recursive: true })
  for (const file of ['package.json', 'tsconfig.json']) copyFileSync(join(root, file), join(inputDir, file))
  const link = { hard: true }
  for (const folder of ['src', 'node_modules']) mirror(join(root, folder), join(inputDir, folder), link)
  placeShim()
  adjustSources()
}

function placeShim(): void {
  if (existsSync(shimDir)) throw new Error('node_modules/@actions/http-client/node_modules/undici exists: @actions/http-client now has an undici of its own; review scripts/build.ts')
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

/**
 * undici's client.js requires its HTTP/2 client at load, which loads node:http2 (one of the
 * costliest built-in modules to load) in every run, although ALPN offers only http/1.1 and
 * HTTP/2 is never used. In the bundle it is required on first use instead: the same function,
 * called the same way.
 */
const SOURCE_ADJUSTMENTS = [
  {
    file: join(undiciLib, 'dispatcher', 'client.js'),
    from: "const connectH2 = require('./client-h2.js')",
    to: "let loadedConnectH2; const connectH2 = (...args) => (loadedConnectH2 ??= require('./client-h2.js'))(...args) // build: loaded on first use"
  }
]

/** In the build input only: the hard link is replaced by a new file, so node_modules keeps its own. */
function adjustSources(): void {
  for (const { file, from, to } of SOURCE_ADJUSTMENTS) {
    const text = readFileSync(file, 'utf8')
    if (text.split(from).length !== 2) throw new Error(`${relative(inputDir, file)} no longer contains exactly one \`${from}\`: review the build's source adjustments for this undici version`)
    unlinkSync(file)
    writeFileSync(file, text.replace(from, to))
  }
}

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

try {
  prepareBuildInput()
  // From the build input, so that webpack's module ids (which contain the loaders' paths relative
  // to the working folder) are the same as in a build from the project root.
  const ncc = join(inputDir, nccDir, 'cli.js')
  const args = [ncc, 'build', 'src/index.ts', '--out', outDir, '--minify', '--source-map', '--no-source-map-register', '--license', 'licenses.txt', '--no-cache']
  const result = spawnSync(process.execPath, args, { cwd: inputDir, stdio: 'inherit' })
  process.exitCode = result.status ?? 1
} finally {
  rmSync(inputDir, { recursive: true, force: true })
}
if (process.exitCode === 0) {
  minifyChunks(outDir)
  // What this bundle was built from, so the demo can tell a stale dist/ by content (scripts/lib/dist-freshness.ts).
  writeSourcesManifest(root, outDir)
}
