import { describe, expect, it } from '@jest/globals'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { projectRoot } from '../scripts/lib/runner.js'

/** The README sends users to docs/ for everything it no longer says: a broken link loses that text. */
const pages = ['README.md', 'CONTRIBUTING.md', ...readdirSync(join(projectRoot, 'docs')).filter((name) => name.endsWith('.md')).map((name) => join('docs', name))]

function withoutCodeBlocks(markdown: string): string {
  return markdown.replace(/^```[\s\S]*?^```$/gm, '')
}

/** GitHub's heading anchors: lowercase, punctuation dropped (hyphens and underscores kept), spaces to hyphens. */
function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-')
}

function anchorsOf(file: string): Set<string> {
  const headings = withoutCodeBlocks(readFileSync(file, 'utf8')).match(/^#{1,6} .+$/gm) ?? []
  return new Set(headings.map((line) => anchorOf(line.replace(/^#+ /, ''))))
}

/** Every relative link of a page that points at a missing file or heading, as `page -> target`. */
function brokenLinks(page: string): string[] {
  const file = join(projectRoot, page)
  const broken: string[] = []
  for (const [, target] of withoutCodeBlocks(readFileSync(file, 'utf8')).matchAll(/\]\(([^)\s]+)\)/g)) {
    if (/^[a-z]+:/.test(target)) continue
    const [path, anchor] = target.split('#')
    const linked = path === '' ? file : join(dirname(file), path)
    if (!existsSync(linked)) broken.push(`${page} -> ${target}`)
    else if (anchor !== undefined && linked.endsWith('.md') && !anchorsOf(linked).has(anchor)) broken.push(`${page} -> ${target}`)
  }
  return broken
}

describe('links between the README and docs/', () => {
  it('computes anchors as GitHub does', () => {
    expect(anchorOf('From an unrestricted token to a scoped one')).toBe('from-an-unrestricted-token-to-a-scoped-one')
    expect(anchorOf('The same, with `export-env`')).toBe('the-same-with-export-env')
  })

  it.each(pages)('%s links only to files and headings that exist', (page) => {
    expect(brokenLinks(page)).toEqual([])
  })

  it('keeps troubleshooting, the permission table and the reference one click from the README', () => {
    const readme = readFileSync(join(projectRoot, 'README.md'), 'utf8')
    for (const target of ['docs/troubleshooting.md', 'docs/reference.md', 'docs/how-it-works.md', 'docs/examples.md', 'docs/emulator.md']) {
      expect({ target, linked: readme.includes(`](${target})`) }).toEqual({ target, linked: true })
    }
    expect(readme).toContain('](#github-permissions-for-writing-secrets)')
    expect(anchorsOf(join(projectRoot, 'README.md')).has('github-permissions-for-writing-secrets')).toBe(true)
  })

  it('keeps the README short enough to read: at most 450 lines', () => {
    const lines = readFileSync(join(projectRoot, 'README.md'), 'utf8').match(/\n/g) ?? []
    expect(lines.length).toBeLessThanOrEqual(450)
  })
})
