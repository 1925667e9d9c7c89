import type { Connection } from '../inputs.js'
import type { HttpClient } from '../http/http-client.js'
import type { Report } from '../runner/report.js'
import type { TursoClient } from '../turso/client.js'

/** Everything an operation may touch; the runner builds it, tests can too. */
export interface OperationContext {
  turso: TursoClient
  http: HttpClient
  connection: Connection
  report: Report
  info(message: string): void
  warning(message: string): void
  notice(message: string): void
  setOutput(name: string, value: string): void
  /** Exports to later steps of the job (GITHUB_ENV). */
  exportVariable(name: string, value: string): void
}
