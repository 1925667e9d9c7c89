import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'

/**
 * What `dist/` holds, for `npm run bench`: sizes, which lazily loaded chunk is loaded by what,
 * and which packages make up index.js (from its source map).
 */

export interface ChunkInfo {
  file: string
  bytes: number
  /** e.g. "`verify: true` → verifyDatabaseToken". */
  loadedBy: string
  /** Packages or source folders in the chunk, from its source map, largest first. */
  contents: string[]
}

export interface PackageShare {
  name: string
  /** Characters of index.js that the source map attributes to this package. */
  bytes: number
}

export interface DistReport {
  indexBytes: number
  indexGzipBytes: number
  /** index.js.map, 0 when absent. */
  indexMapBytes: number
  /** Files index.js imports statically (loaded on every run). */
  eagerFiles: { file: string; bytes: number }[]
  chunks: ChunkInfo[]
  /** index.js plus every chunk. */
  totalJsBytes: number
  /** index.js by package, largest first; empty without index.js.map. */
  composition: PackageShare[]
}

/** Names a lazy import loads, as the action uses them, with the input that triggers each. */
const KNOWN_LOADERS: Record<string, string> = {
  run: 'always: imported by index.js right after it has started the connection to the API (the rest of the action)',
  verifyDatabaseToken: '`verify: true` (libSQL check)',
  storeSecret: '`secret-name` set (GitHub secret store)'
}

export function analyzeDist(distDir: string): DistReport {
  const indexPath = join(distDir, 'index.js')
  const index = readFileSync(indexPath)
  const indexText = index.toString('utf8')
  const chunkFiles = readdirSync(distDir)
    .filter((file) => /^\d+\.index\.js$/.test(file))
    .sort()
  // A chunk can load others (the entry loads the rest of the action, which loads the lazy parts).
  const loaders = lazyLoaders([indexText, ...chunkFiles.map((file) => readFileSync(join(distDir, file), 'utf8'))].join('\n'))
  const chunks = chunkFiles
    .map((file): ChunkInfo => {
      const id = file.split('.')[0]
      const users = loaders.get(id) ?? []
      const mapPath = join(distDir, `${file}.map`)
      return {
        file,
        bytes: statSync(join(distDir, file)).size,
        loadedBy: users.length === 0 ? 'not found in index.js' : users.map((name) => KNOWN_LOADERS[name] ?? `lazy import of \`${name}\``).join('; '),
        contents: existsSync(mapPath) ? sourceMapPackages(readFileSync(mapPath, 'utf8')) : []
      }
    })
  const eagerFiles = [...indexText.slice(0, 2000).matchAll(/^import\s*'\.\/([^']+)';/g)].map(([, file]) => ({
    file,
    bytes: statSync(join(distDir, file)).size
  }))
  const indexMap = `${indexPath}.map`
  return {
    indexBytes: index.length,
    indexGzipBytes: gzipSync(index).length,
    indexMapBytes: existsSync(indexMap) ? statSync(indexMap).size : 0,
    eagerFiles,
    chunks,
    totalJsBytes: index.length + chunks.reduce((sum, chunk) => sum + chunk.bytes, 0),
    composition: existsSync(indexMap) ? attributeGeneratedCode(indexText, readFileSync(indexMap, 'utf8')) : []
  }
}

/**
 * Chunk id → names imported through it. ncc (webpack) compiles `await import('./x.js')` followed
 * by a destructuring into `const{name:v}=await r.e(747).then(...)` or, for several chunks,
 * `await Promise.all([r.e(686),r.e(230)]).then(...)`; in chunks, which ncc does not minify,
 * `const { name } = await __webpack_require__.e(/* import() *\/ 396).then(...)`.
 */
export function lazyLoaders(code: string): Map<string, string[]> {
  const loaders = new Map<string, string[]>()
  const pattern = /const\s*\{\s*(\w+)[^}]*\}\s*=\s*await\s+(Promise\.all\((?:\/\*[^*]*\*\/\s*)?\[[^\]]*\]\)|\w+\.e\((?:\/\*[^*]*\*\/\s*)?\d+\))/g
  for (const match of code.matchAll(pattern)) {
    for (const [, id] of match[2].matchAll(/\.e\((?:\/\*[^*]*\*\/\s*)?(\d+)\)/g)) {
      if (!(loaders.get(id) ?? []).includes(match[1])) loaders.set(id, [...(loaders.get(id) ?? []), match[1]])
    }
  }
  return loaders
}

/** `node_modules/@scope/pkg/...` → `@scope/pkg`; our own code → `src/<folder>`. */
export function packageOf(source: string): string {
  const parts = source.split('/').filter((part) => part !== '' && part !== '.' && part !== '..')
  const nodeModules = parts.lastIndexOf('node_modules')
  if (nodeModules >= 0) {
    const name = parts[nodeModules + 1] ?? '?'
    return name.startsWith('@') ? `${name}/${parts[nodeModules + 2] ?? '?'}` : name
  }
  if (parts[0] === 'src') return parts.length > 2 ? `src/${parts[1]}` : 'src'
  if (parts[0] === 'webpack') return 'webpack runtime'
  return parts.slice(0, 2).join('/')
}

interface SourceMap {
  sources: string[]
  sourcesContent?: (string | null)[]
  mappings: string
}

/** A small chunk's contents: packages by original source size (its mappings are not needed). */
function sourceMapPackages(mapText: string): string[] {
  const map = JSON.parse(mapText) as SourceMap
  const sizes = new Map<string, number>()
  map.sources.forEach((source, i) => {
    const name = packageOf(source)
    sizes.set(name, (sizes.get(name) ?? 0) + (map.sourcesContent?.[i]?.length ?? 0))
  })
  return [...sizes.entries()].sort((a, b) => b[1] - a[1]).map(([name]) => name)
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'

function decodeVlq(segment: string): number[] {
  const values: number[] = []
  let value = 0
  let shift = 0
  for (const char of segment) {
    const digit = BASE64.indexOf(char)
    if (digit < 0) throw new Error(`invalid base64 VLQ character '${char}'`)
    value += (digit & 31) * 2 ** shift
    if ((digit & 32) !== 0) {
      shift += 5
      continue
    }
    values.push(value % 2 === 1 ? -Math.floor(value / 2) : value / 2)
    value = 0
    shift = 0
  }
  return values
}

/**
 * Attributes every character of the generated file to the source its mapping segment points to
 * (up to the next segment), then sums by package. Unmapped spans count as "(unmapped)".
 */
function attributeGeneratedCode(generated: string, mapText: string): PackageShare[] {
  const map = JSON.parse(mapText) as SourceMap
  const lines = generated.split('\n')
  const sizes = new Map<string, number>()
  const add = (name: string, count: number): void => {
    if (count > 0) sizes.set(name, (sizes.get(name) ?? 0) + count)
  }
  let sourceIndex = 0
  map.mappings.split(';').forEach((lineMappings, lineNumber) => {
    const lineLength = (lines[lineNumber] ?? '').length
    let column = 0
    let current = '(unmapped)'
    let spanStart = 0
    for (const segment of lineMappings.split(',')) {
      if (segment === '') continue
      const fields = decodeVlq(segment)
      column += fields[0]
      add(current, column - spanStart)
      spanStart = column
      if (fields.length >= 4) {
        sourceIndex += fields[1]
        current = packageOf(map.sources[sourceIndex] ?? '?')
      } else {
        current = '(unmapped)'
      }
    }
    add(current, lineLength - spanStart)
  })
  return [...sizes.entries()].map(([name, bytes]) => ({ name, bytes })).sort((a, b) => b.bytes - a.bytes)
}
