/**
 * Issue 18, item 14: server text reached the job summary as live Markdown/HTML: links, images
 * (a tracking pixel), raw `<img>`, and a group name that closed a table cell. Every word that
 * holds markup is now a code span (shown literally by GitHub's Markdown), plain words stay
 * plain, and pipes are escaped. The exact spellings below were rendered with cmark-gfm 0.29
 * (GitHub's Markdown, `-e table -e autolink -e strikethrough -e tagfilter`) when written.
 */
import { describe, expect, it } from '@jest/globals'
import { inertMarkdown, newReport, renderSummary } from '../src/runner/report.js'
import { useEmulator } from './support/emulator.js'
import { runAction } from './support/run-action.js'

/**
 * What GitHub could render as something other than text, once the code spans are taken out
 * (they hold no backtick, so a single-backtick pair is a whole span): a link, image, HTML tag,
 * entity, emphasis, math, reference, bare-URL/www/email autolink, escape, or a cell-closing pipe.
 */
function liveMarkup(summary: string): string[] {
  return summary
    .split('\n')
    // The summary's own markup: its heading, the table's head, and "**Error:**".
    .filter((line) => !['### Turso auth token', '| | |', '|---|---|'].includes(line))
    .map((line) => line.replace(/^\*\*Error:\*\* /u, ''))
    .map((line) => line.replace(/`[^`]*`/gu, '').replace(/\\\|/gu, '').replace(/^\| | \|$/gu, '').replace(/ \| /gu, ' '))
    .flatMap((rest) => rest.match(/[[\]!<>&*~$#@\\|`]|:\/\/|www\.|(?:^|\W)_|_(?:\W|$)/gu) ?? [])
}

const HOSTILE = [
  'see https://evil.example/x and www.evil.example and mail a@evil.example',
  '[click](https://evil.example) ![px](https://evil.example/p.png) <img src=https://evil.example/p.png> &lt;b&gt;',
  "group 'x | y' closes | the cell",
  'a\\|b and trailing\\',
  'back`tick`s and `odd',
  '*em* _em_ ~~del~~ $x^2$ #12 @octocat'
]

describe('renderSummary makes server text inert', () => {
  it('holds no live markup in a cell or in the error, whatever a fact holds', () => {
    const report = newReport('rotate')
    report.target = `group '${HOSTILE[2]}'`
    for (const value of HOSTILE) report.facts.push(['Fact', value])
    report.failure = HOSTILE.join(' ')
    const summary = renderSummary(report, 1000)
    expect(liveMarkup(summary)).toEqual([])
    // One table row per fact: no pipe from a value opened another cell.
    expect(summary.split('\n').filter((line) => line.startsWith('| Fact |')).map((line) => line.split(/(?<!\\)\|/u).length)).toEqual(HOSTILE.map(() => 4))
  })

  it.each([
    ['links, autolinks and email', HOSTILE[0], 'see `https://evil.example/x` and `www.evil.example` and mail `a@evil.example`'],
    ['links, images, HTML and entities', HOSTILE[1], '`[click](https://evil.example)` `![px](https://evil.example/p.png)` `<img` `src=https://evil.example/p.png>` `&lt;b&gt;`'],
    ['pipes', HOSTILE[2], "group 'x `\\|` y' closes `\\|` the cell"],
    ['backslashes', HOSTILE[3], '`a\\\\|b` and `trailing\\`'],
    ['backticks (they only split the text into more code spans)', HOSTILE[4], 'back`tick`s and `odd`'],
    ['emphasis, strike, math, references, mentions', HOSTILE[5], '`*em*` `_em_` `~~del~~` `$x^2$` `#12` `@octocat`'],
    ['emphasis across words (an underscore at either edge of a word)', '_a b_ c', '`_a` `b_` c']
  ])('%s', (_label, value, cell) => {
    const report = newReport('rotate')
    report.facts.push(['Fact', value])
    expect(renderSummary(report, 0)).toContain(`| Fact | ${cell} |`)
  })

  it('leaves ordinary values as they were: names, hosts, IDs with `_` inside, the action’s own code spans', () => {
    for (const value of [
      "every token of group 'default' (database 'app-db' belongs to it)",
      'read and write on db-org.turso.io:443',
      "API token 'laptop' of alice (ID emuTok_04-x) in organization 'acme'",
      '`TURSO_DATABASE_URL`, `TURSO_AUTH_TOKEN`',
      'ID snake_case_name'
    ]) {
      expect(inertMarkdown(value)).toBe(value)
    }
  })

  it('an empty pair of backticks adds nothing', () => {
    expect(inertMarkdown('a `` b')).toBe('a  b')
  })
})

describe('through the action', () => {
  const emulator = useEmulator()

  it("a group name with a link, an image and a pipe, and Turso's error with raw HTML: the summary shows them as text", async () => {
    const lookup = await fetch(`${emulator.url}/v1/organizations/acme/databases/app-db`, { headers: { authorization: `Bearer ${emulator.apiToken}` } })
    const database = ((await lookup.json()) as { database: Record<string, unknown> }).database
    emulator.addFault(
      { method: 'GET', path: '/v1/organizations/acme/databases/app-db', status: 200, body: JSON.stringify({ database: { ...database, group: 'default | [x](https://evil.example) ![p](https://evil.example/p.png)' } }) },
      // skip: the throw-away mint before the rotation passes; the replacement's mint fails.
      { method: 'POST', path: '/v1/organizations/acme/databases/app-db/auth/tokens', skip: 1, status: 400, body: JSON.stringify({ error: 'bad <img src="https://evil.example/p.png"> see https://evil.example' }) }
    )
    const run = await runAction({ operation: 'rotate', 'api-url': emulator.url, 'api-token': emulator.apiToken, organization: 'acme', database: 'app-db', retries: '0' })
    expect(run.summary).toContain('every token of group')
    expect(run.summary).toContain("`![p](https://evil.example/p.png)'`")
    expect(run.summary).toContain('`<img` `src="https://evil.example/p.png">`')
    expect(liveMarkup(run.summary)).toEqual([])
  })
})
