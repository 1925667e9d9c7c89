/**
 * How a GitHub runner finds workflow commands in a step's stdout (actions/runner,
 * ActionCommandManager and ActionCommand.TryParseV2/TryParse), so tests can ask the
 * runner's question instead of guessing at it.
 */

/** Every line break a runner (.NET ReadLine: \n, \r\n, lone \r) or a log viewer (U+0085, U+2028, U+2029) honours. */
export function runnerLines(stdout: string): string[] {
  return stdout.split(/\r\n|[\n\r\u0085\u2028\u2029]/u)
}

// What .NET's TrimStart removes (char.IsWhiteSpace): the runner trims it before looking for `::`.
const DOTNET_LEADING_WHITESPACE = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*/u

/** The command a line would run, `name` as the runner reads it, or undefined for a plain line. */
export function commandOf(line: string): { name: string; data: string } | undefined {
  const trimmed = line.replace(DOTNET_LEADING_WHITESPACE, '')
  if (trimmed.startsWith('::')) {
    const end = trimmed.indexOf('::', 2)
    if (end < 0) return undefined
    const command = trimmed.slice(2, end)
    const space = command.indexOf(' ')
    return { name: space < 0 ? command : command.slice(0, space), data: trimmed.slice(end + 2) }
  }
  // The old `##[name]data` form is searched anywhere in the line (runners with ACTIONS_ALLOW_UNSECURE_COMMANDS).
  const old = /##\[([^\]\s;]+)/u.exec(line)
  return old === null ? undefined : { name: old[1], data: line.slice(old.index) }
}

/** Commands the action itself issues through @actions/core. */
export const OWN_COMMANDS = new Set(['add-mask', 'debug', 'error', 'warning', 'notice'])

/** Every line of stdout that a runner would take for a workflow command, with its name. */
export function commandLines(stdout: string): Array<{ line: string; name: string }> {
  return runnerLines(stdout).flatMap((line) => {
    const command = commandOf(line)
    return command === undefined ? [] : [{ line, name: command.name }]
  })
}

/** The `::error::` lines the action printed to stdout, in order. */
export function errorLines(stdout: string): string[] {
  return stdout.split('\n').filter((line) => line.startsWith('::error::'))
}

/** The first `::error::` line the action printed to stdout, or '' when there is none. */
export function firstErrorLine(stdout: string): string {
  return errorLines(stdout)[0] ?? ''
}
