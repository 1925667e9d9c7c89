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

/** Markdown for `GITHUB_STEP_SUMMARY`: readable at a glance, one table, no secret. */
export function renderSummary(report: Report, elapsedMs: number): string {
  const status = report.failure !== undefined ? '❌ failed' : report.dryRun ? '🧪 dry run, nothing sent' : '✅ done'
  const rows: Array<[string, string]> = [['Operation', `\`${report.operation}\``]]
  if (report.target !== undefined) rows.push(['Target', report.target])
  rows.push(...report.facts)
  rows.push(['Result', status])
  rows.push(['Time taken', `${(elapsedMs / 1000).toFixed(1)} s`])
  const table = ['| | |', '|---|---|', ...rows.map(([label, value]) => `| ${label} | ${escapeCell(value)} |`)].join('\n')
  const failure = report.failure !== undefined ? `\n\n**Error:** ${escapeCell(report.failure)}\n` : '\n'
  return `### Turso auth token\n\n${table}${failure}`
}

/** One table cell: on one line by the server-text rule (whatever slipped into a fact), pipes escaped. */
function escapeCell(text: string): string {
  return printableLine(text).replace(/\|/g, '\\|')
}
