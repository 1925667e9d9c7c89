import { printableLine } from './server-text.js'

/**
 * What the run did, gathered as it happens, for the job summary. Holds no secret: only names,
 * times and yes/no facts.
 */
export interface Report {
  operation: string
  target?: string
  dryRun: boolean
  /** Rows shown under the heading, in order, e.g. ["Expires", "2026-12-03T10:00:00.000Z"]. */
  facts: Array<[label: string, value: string]>
  /** Set when the step fails. */
  failure?: string
}

export function newReport(operation: string): Report {
  return { operation, dryRun: false, facts: [] }
}

/** Markdown for `GITHUB_STEP_SUMMARY`: readable at a glance, one table, no secret, nothing from a server live. */
export function renderSummary(report: Report, elapsedMs: number): string {
  const status = report.failure !== undefined ? '❌ failed' : report.dryRun ? '🧪 dry run, nothing sent' : '✅ done'
  const rows: Array<[string, string]> = [['Operation', `\`${report.operation}\``]]
  if (report.target !== undefined) rows.push(['Target', report.target])
  rows.push(...report.facts)
  rows.push(['Result', status])
  rows.push(['Time taken', `${(elapsedMs / 1000).toFixed(1)} s`])
  const table = ['| | |', '|---|---|', ...rows.map(([label, value]) => `| ${tableCell(label)} | ${tableCell(value)} |`)].join('\n')
  const failure = report.failure !== undefined ? `\n\n**Error:** ${inertMarkdown(printableLine(report.failure))}\n` : '\n'
  return `### Turso auth token\n\n${table}${failure}`
}

/**
 * Characters and sequences that make GitHub's Markdown (GFM) render something other than the
 * text (a backtick never gets here): emphasis and strike (`*`, `_` at a word's edge, `~`),
 * links, images and footnotes (`[`, `]`, `!`), raw HTML and autolinks (`<`, `>`, `&`), escapes
 * (`\`), table cells (`|`), math (`$`), references (`#`), and the links GFM makes of bare text:
 * `scheme://`, `www.` and `name@host` (cmark-gfm's autolink extension).
 */
const MARKUP = /[\\*~[\]!<>&|$#@]|(?:^|[^A-Za-z0-9])_|_(?:[^A-Za-z0-9]|$)|:\/\/|www\./iu

/**
 * Text that renders as itself and nothing else: a code span shows its content literally (no
 * link, image, HTML, entity or autolink inside it). The action's own `quoted` parts stay code
 * spans; of the rest, each word that holds markup becomes one, and plain words stay plain,
 * so ordinary values read as before. A server's backtick cannot open or close anything either:
 * it only splits the text into more code spans.
 */
export function inertMarkdown(text: string): string {
  return text
    .split('`')
    .map((part, index) => (index % 2 === 1 ? codeSpan(part) : part.replace(/\S+/gu, (word) => (MARKUP.test(word) ? codeSpan(word) : word))))
    .join('')
}

function codeSpan(text: string): string {
  return text === '' ? '' : `\`${text}\``
}

/**
 * One table cell: on one line by the server-text rule (whatever slipped into a fact), inert, and
 * every `|` escaped, code spans included: GFM splits the row into cells before it reads any
 * inline markup. (cmark-gfm's cell scanner takes the longest match, so `\|` is an escaped pipe
 * even after another backslash: `a\\|b` stays in its cell and shows as `a\|b`.)
 */
function tableCell(text: string): string {
  return inertMarkdown(printableLine(text)).replace(/\|/gu, '\\|')
}
