/**
 * The one rule for printing text the action did not write itself: what the Turso API, a
 * database or GitHub answered (names, groups, hostnames, error bodies, token names), and
 * the user's rejected input values echoed back in an error.
 *
 * How a runner reads a step's stdout (actions/runner, ActionCommandManager):
 * - It splits stdout into lines at `\n`, `\r\n` and a lone `\r` (.NET ReadLine); a log viewer
 *   may also break at U+2028/U+2029/U+0085. A line is a workflow command when, after leading
 *   whitespace is trimmed, it starts with `::` and has a second `::` later (`::name::data`).
 *   So `\n::stop-commands::x` in a printed string would stop command processing, and the
 *   `::add-mask::` of a token minted afterwards would print the token in clear.
 * - With ACTIONS_ALLOW_UNSECURE_COMMANDS the old `##[name]data` form is found anywhere in a line.
 * - `%0A`, `%0D` and `%25` are decoded only inside a command's data and properties, and
 *   @actions/core escapes `%` first (`%` -> `%25`, then CR/LF -> `%0D`/`%0A`), so a `%0A`
 *   the server sent comes out as the literal text `%0A`, never as a line break. Plain lines
 *   (core.info) are never decoded. A `%0A` is therefore left as it is: it would only become
 *   dangerous if something wrote a command without @actions/core, and even then the `::` it
 *   needs to start one is broken below.
 */

// C0 and C1 controls (line breaks included), DEL, line/paragraph separators, bidi marks,
// embeddings, overrides and isolates, and the BOM: anything that could start a new log line
// or make the text read differently from what it holds.
const UNSAFE_CHARACTERS = '[\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029\\u200e\\u200f\\u061c\\u202a-\\u202e\\u2066-\\u2069\\ufeff]'
const UNSAFE_CHARACTER = new RegExp(UNSAFE_CHARACTERS, 'u')
const UNSAFE_CHARACTER_EVERYWHERE = new RegExp(UNSAFE_CHARACTERS, 'gu')
const UNSAFE_RUNS = new RegExp(`${UNSAFE_CHARACTERS}+`, 'gu')

/** Longest stretch of a server's text we print: enough for any real message, not for a flood. */
export const SERVER_TEXT_LIMIT = 300

/** True when the text holds a control, line-break, bidi or BOM character. */
export function hasUnsafeCharacter(text: string): boolean {
  return UNSAFE_CHARACTER.test(text)
}

const NAMED_ESCAPES: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' }

function escapeCharacter(character: string): string {
  const named = NAMED_ESCAPES[character]
  if (named !== undefined) return named
  const code = character.codePointAt(0) ?? 0
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`
}

/**
 * Each unsafe character written as a visible escape (`\n`, `\x07`, `\u202e`), and workflow
 * command markers broken: for echoing a value whose exact spelling matters (a rejected input).
 */
export function escapeUnsafeCharacters(text: string): string {
  return breakCommandMarkers(text.replace(UNSAFE_CHARACTER_EVERYWHERE, escapeCharacter))
}

/**
 * A server's text made printable on one log line: every run of unsafe characters becomes one
 * space, workflow command markers are broken, and it is cut to `maxLength` characters
 * (never inside a surrogate pair). Whatever line it ends up in, that line cannot become a
 * workflow command because of it.
 */
export function serverText(text: string, maxLength = SERVER_TEXT_LIMIT): string {
  const safe = breakCommandMarkers(text.replace(UNSAFE_RUNS, ' ').trim())
  const characters = Array.from(safe)
  return characters.length > maxLength ? `${characters.slice(0, maxLength).join('')}…` : safe
}

/**
 * The entry's last line of defence for whole log messages: the same rule as {@link serverText}
 * but never shortened, for a message that somehow still carries a raw server string.
 */
export function printableLine(text: string): string {
  return breakCommandMarkers(text.replace(UNSAFE_RUNS, ' '))
}

/**
 * What a workflow command needs after its leading `::`: a name (runner commands start with a
 * letter), then at once `::` (`::stop-commands::`), or a blank, properties and then `::`
 * (`::set-env name=X::`). An IPv6 address holds one `::`, followed by a hex group and then `:`,
 * `]`, `%`, `/`, a blank or the end (`[::1]:443`, `ECONNREFUSED ::1:443`, `fe80::1%eth0`): no
 * command's name is one to four hex digits, so `fe80::ab then fe80::cd` keeps its addresses too.
 */
const COMMAND_SHAPED = /::(?:[A-Za-z_-][\w-]*::|(?![0-9A-Fa-f]{1,4}\s)[A-Za-z_-][\w-]*\s[\s\S]*::)/u

/**
 * `::` becomes `: :` and `##[` becomes `# #[` when the text could start a command or holds
 * one: it starts with `::` after whitespace, or holds a command's shape (`::name::` or
 * `::name props::`) anywhere, so no line shows an injected command even as text. Every other
 * `::` is kept: the text is on one line and does not start it, so that `::` cannot begin a
 * command, and an address such as `https://[::1]:443` next to `ECONNREFUSED ::1:443` still
 * reads as itself. The old `##[` form is found anywhere in a line: always broken.
 */
function breakCommandMarkers(text: string): string {
  const broken = COMMAND_SHAPED.test(text) || /^\s*::/u.test(text) ? text.replace(/:(?=:)/g, ': ') : text
  return broken.replace(/#(?=#\[)/g, '# ')
}
