import { echoValue, hasControlCharacter, invalidInput } from './input-error.js'

/**
 * The fine-grained permission actions Turso documents
 * (turso-docs sdk/authorization/fine-grained-permissions.mdx).
 */
export const PERMISSION_ACTIONS = [
  'data_read',
  'data_add',
  'data_update',
  'data_delete',
  'schema_add',
  'schema_update',
  'schema_delete'
] as const

export type PermissionAction = (typeof PERMISSION_ACTIONS)[number]

/**
 * One rule of the API's `fine_grained_permissions` body field, in the wire
 * shape the Turso CLI sends: `t` is the table list, or null for every table.
 */
export interface FineGrainedPermission {
  t: string[] | null
  a: PermissionAction[]
}

const INPUT = 'permissions'
const ACCEPTED = "one rule per line, '<table or all>:<action>[,<action>...]' such as all:data_read or comments:data_add,data_update"
const ACTION_LIST = PERMISSION_ACTIONS.join(', ')

function isPermissionAction(word: string): word is PermissionAction {
  return (PERMISSION_ACTIONS as readonly string[]).includes(word)
}

/**
 * Parses the `permissions` input: the Turso CLI's `-p` grammar, one rule per
 * line (turso-cli internal/flags/fine_grained_permissions.go). Each line splits
 * on its first `:`; the left side is `all` (every table, sent as `t: null`) or
 * one table name, the right side a comma-separated list of actions.
 *
 * Unlike the CLI, which leaves action names to the server, actions are checked
 * here against the documented list. Spaces around names are ignored, repeated
 * actions on a line are dropped, and blank lines are skipped. An empty input
 * gives an empty list (no fine-grained rules).
 */
export function parsePermissions(value: string): FineGrainedPermission[] {
  const rules: FineGrainedPermission[] = []
  value.split(/\r\n|\n|\r/u).forEach((rawLine, index) => {
    const line = rawLine.trim()
    if (line !== '') rules.push(parseRule(line, index + 1))
  })
  return rules
}

function parseRule(line: string, lineNumber: number): FineGrainedPermission {
  const fail = (reason: string) => invalidInput(INPUT, ACCEPTED, line, `line ${lineNumber}: ${reason}`)
  if (hasControlCharacter(line)) throw fail('contains a control character')

  const colon = line.indexOf(':')
  if (colon === -1) throw fail("missing ':' between the table and the actions")
  const table = line.slice(0, colon).trim()
  const actionsText = line.slice(colon + 1).trim()

  if (table === '') throw fail("missing table name before ':'; use 'all' for every table")
  if (table !== 'all' && table.toLowerCase() === 'all') throw fail("write 'all' in lowercase to mean every table")
  // The CLI sends exactly one table per -p; a comma here is almost surely two tables.
  if (table.includes(',')) throw fail('name one table per line')

  if (actionsText === '') throw fail(`missing actions after ':'; valid actions: ${ACTION_LIST}`)
  const actions: PermissionAction[] = []
  for (const rawAction of actionsText.split(',')) {
    const action = rawAction.trim()
    if (action === '') throw fail('empty action between commas')
    if (!isPermissionAction(action)) throw fail(describeUnknownAction(action))
    if (!actions.includes(action)) actions.push(action)
  }
  return { t: table === 'all' ? null : [table], a: actions }
}

function describeUnknownAction(action: string): string {
  const hint =
    action === 'data_insert'
      ? "; the Turso CLI help's data_insert is spelled data_add"
      : isPermissionAction(action.toLowerCase())
        ? `; actions are lowercase: ${action.toLowerCase()}`
        : ''
  return `unknown action '${echoValue(action)}'; valid actions: ${ACTION_LIST}${hint}`
}
