import { appendFile } from 'node:fs/promises'
import * as core from '@actions/core'
import { gitHubApiUrl } from './github/secret-routes.js'
import { HttpClient } from './http/http-client.js'
import { readConfig, type Config } from './inputs.js'
import type { OperationContext } from './operations/context.js'
import { createApiToken } from './operations/create-api-token.js'
import { createToken } from './operations/create-token.js'
import { formatPlannedRequest, plannedRunRequests } from './operations/dry-run.js'
import { revoke } from './operations/revoke.js'
import { rotate } from './operations/rotate.js'
import { rotateApiToken } from './operations/rotate-api-token.js'
import { watchForCancellation } from './runner/cancellation.js'
import { newReport, renderSummary, type Report } from './runner/report.js'
import { redact, registerSecret } from './runner/secrets.js'
import { printableLine } from './runner/server-text.js'
import { TursoClient } from './turso/client.js'
import { describeTarget } from './turso/targets.js'
import { USER_AGENT } from './version.js'

/** The action's entry: read and validate inputs, run one operation, report. Never throws. */
export async function run(): Promise<void> {
  const startedAt = Date.now()
  const report = newReport(core.getInput('operation') || '(none)')
  // A cancelled job (SIGINT/SIGTERM) still says what was done, and gets its summary.
  const cancellation = watchForCancellation({ report, printable, writeSummary: () => writeSummary(report, Date.now() - startedAt) })
  let http: HttpClient | undefined
  try {
    const config = readConfig({
      readInput: (name) => core.getInput(name),
      env: process.env,
      maskSecret: registerSecret,
      warn: (message) => core.warning(printable(message))
    })
    report.operation = config.operation
    if (config.dryRun) {
      planOnly(config, report)
      return
    }
    http = new HttpClient({
      timeoutMs: config.connection.timeoutMs,
      retries: config.connection.retries,
      userAgent: USER_AGENT,
      log: (message) => core.info(printable(message))
    })
    const turso = new TursoClient(http, config.connection.apiUrl, config.connection.apiToken, registerSecret)
    await runOperation(config, operationContext(turso, http, config, report))
  } catch (error) {
    const message = printable(error instanceof Error ? error.message : String(error))
    report.failure = message
    core.setFailed(message)
    // The stack is for maintainers: printed only when the runner has debug logging on (RUNNER_DEBUG=1).
    if (core.isDebug() && error instanceof Error && error.stack !== undefined) core.debug(redact(error.stack))
  } finally {
    cancellation.dispose()
    await closeQuietly(http)
    await writeSummary(report, Date.now() - startedAt)
  }
}

/** Closing idle connections cannot change what happened; a failure there must not hide the summary or escape run(). */
async function closeQuietly(http: HttpClient | undefined): Promise<void> {
  try {
    await http?.close()
  } catch (error) {
    core.warning(`Could not close the HTTP connections cleanly: ${redact(error instanceof Error ? error.message : String(error))}`)
  }
}

async function runOperation(config: Config, context: OperationContext): Promise<void> {
  switch (config.operation) {
    case 'create-token':
      return createToken(context, config.target, config.mint, config.delivery, config.renewal)
    case 'rotate':
      return rotate(context, config.target, config.mint, config.delivery)
    case 'revoke':
      return revoke(context, config)
    case 'create-api-token':
      return createApiToken(context, config, config.delivery)
    case 'rotate-api-token':
      return rotateApiToken(context, config, config.delivery)
  }
}

/**
 * Every message the action logs, last line of defence: secrets starred out, and whatever
 * server text slipped past the sanitiser at its source kept on this one line, unable to start
 * a workflow command. The action's own commands (masks, outputs) do not pass through here.
 */
function printable(message: string): string {
  return printableLine(redact(message))
}

function operationContext(turso: TursoClient, http: HttpClient, config: Config, report: Report): OperationContext {
  return {
    turso,
    http,
    connection: config.connection,
    report,
    info: (message) => core.info(printable(message)),
    warning: (message) => core.warning(printable(message)),
    notice: (message) => core.notice(printable(message)),
    setOutput: (name, value) => core.setOutput(name, value),
    exportVariable: (name, value) => core.exportVariable(name, value)
  }
}

function planOnly(config: Config, report: Report): void {
  report.dryRun = true
  if ('target' in config) report.target = describeTarget(config.target)
  core.info(`Dry run: validated the inputs; these requests would be sent to ${config.connection.apiUrl.origin}:`)
  // GitHub's requests carry their own base URL in the line: the one secret-store.ts sends them to.
  for (const request of plannedRunRequests(config, gitHubApiUrl())) {
    const line = formatPlannedRequest(request)
    core.info(`  ${line}`)
    report.facts.push(['Would send', `\`${line}\``])
  }
}

async function writeSummary(report: Report, elapsedMs: number): Promise<void> {
  // Outside a runner (or with summaries off) there is no file to write to. Appended directly:
  // core.summary caches the file path of its first use, which a long-lived process outlives.
  const path = process.env.GITHUB_STEP_SUMMARY
  if (!path) return
  try {
    await appendFile(path, `${redact(renderSummary(report, elapsedMs))}\n`)
  } catch (error) {
    core.warning(`Could not write the job summary: ${redact((error as Error).message)}`)
  }
}
