import * as core from '@actions/core'
import type { Report } from './report.js'
import { listInWords } from './wording.js'

/** The signals a runner sends when a job is cancelled (SIGINT first, SIGTERM a few seconds later). */
const SIGNALS = ['SIGINT', 'SIGTERM'] as const
type CancelSignal = (typeof SIGNALS)[number]

/** The shell's convention, 128 + the signal's number, so the exit says which one ended the step. */
const EXIT_CODES: Record<CancelSignal, number> = { SIGINT: 130, SIGTERM: 143 }

/** A summary write that hangs (a stuck file system) must not keep a cancelled step alive. */
const SUMMARY_WAIT_MS = 2000

export interface CancellationHooks {
  report: Report
  /** Writes the job summary as the end of a run does. */
  writeSummary: () => Promise<void>
  /** The run's last line of defence for printed text (secrets redacted, one line). */
  printable: (message: string) => string
  /** Ends the process; tests replace it. */
  exit?: (code: number) => void
}

/**
 * Until `dispose`, a SIGINT or SIGTERM prints an `::error::` saying what the run has done so far
 * (from the report: nothing sent, the rotate request sent, tokens invalidated, a replacement
 * minted, stored, exported), writes the summary with it, then exits non-zero. Without this the
 * process dies silently, possibly between invalidating every token and storing the replacement.
 */
export function watchForCancellation(hooks: CancellationHooks): { dispose(): void } {
  let handling = false
  const onSignal = (signal: CancelSignal): void => {
    // The runner follows SIGINT with SIGTERM: the first one already reports and exits.
    if (handling) return
    handling = true
    void reportAndExit(hooks, signal)
  }
  const listeners = SIGNALS.map((signal) => [signal, (): void => onSignal(signal)] as const)
  for (const [signal, listener] of listeners) process.on(signal, listener)
  return {
    dispose: () => {
      for (const [signal, listener] of listeners) process.off(signal, listener)
    }
  }
}

async function reportAndExit(hooks: CancellationHooks, signal: CancelSignal): Promise<void> {
  const message = hooks.printable(describeProgress(hooks.report, signal))
  hooks.report.failure = message
  core.error(message)
  let timer: ReturnType<typeof setTimeout> | undefined
  try {
    await Promise.race([hooks.writeSummary(), new Promise((resolve) => (timer = setTimeout(resolve, SUMMARY_WAIT_MS)))])
  } finally {
    clearTimeout(timer)
    ;(hooks.exit ?? ((code: number) => process.exit(code)))(EXIT_CODES[signal])
  }
}

/**
 * What a cancelled run leaves behind, from the facts the operations record as they go (rotate's
 * "Rotate request" and "Invalidated", the mint's "Token", "Stored …" and "Exported" rows).
 */
export function describeProgress(report: Report, signal: string): string {
  const fact = (label: string): string | undefined => report.facts.find(([name]) => name === label)?.[1]
  // One row per destination (secret-targets writes several); a failed write has its own row.
  const stored = report.facts.filter(([name]) => name === 'Stored as secret').map(([, where]) => where)
  const notStored = report.facts.filter(([name]) => name === 'Not stored as secret').map(([, why]) => why)
  const parts = [`The step was cancelled (${signal}) before it finished.`]
  // The other operations mint no database token: the summary's rows say what they did.
  if (report.operation !== 'rotate' && report.operation !== 'create-token') return `${parts[0]} The job summary lists what it did so far.`
  const invalidated = fact('Invalidated')
  const request = fact('Rotate request')
  let tokensMayBeDead = false
  if (report.operation === 'rotate') {
    if (invalidated !== undefined) {
      parts.push(`The old tokens are invalid: the rotation of ${invalidated} succeeded.`)
      tokensMayBeDead = true
    } else if (request?.startsWith('sent at') === true) {
      parts.push(`The rotate request was ${request}, so the old tokens may already be invalid.`)
      tokensMayBeDead = true
    } else if (request !== undefined) {
      parts.push(`The rotate request was ${request}; the old tokens still work.`)
    } else {
      parts.push('Nothing was rotated: the rotate request was not sent, and the old tokens still work.')
    }
  }
  const token = fact('Token')
  if (token === undefined) {
    parts.push(tokensMayBeDead ? 'No replacement was minted.' : 'No token was minted.')
  } else {
    const exported = fact('Exported')
    const places = ['set as the token output']
    if (stored.length > 0) places.push(`stored as a secret (${stored.join('; ')})`)
    if (exported !== undefined) places.push(`exported (${exported})`)
    const delivered = listInWords(places)
    parts.push(
      `A ${tokensMayBeDead ? 'replacement' : 'token'} was minted (${token}) and ${delivered}${stored.length === 0 ? '; it was not stored as a secret' : ''}.`
    )
    if (notStored.length > 0) parts.push(`Not stored: ${notStored.join('; ')}.`)
  }
  // Nothing is stored without a token, so this covers "no replacement" too.
  if (tokensMayBeDead && stored.length === 0) {
    parts.push('To deliver a working token, re-run this step with operation: create-token and the same inputs (do not rotate again).')
  }
  return parts.join(' ')
}
