/**
 * Statement classification the way libsql-server does it before running anything
 * (libsql-server/src/query_analysis.rs, `StmtKind::kind`), and the tiny subset of SQL the
 * emulator can actually run.
 *
 * What the research found (tursodatabase/libsql, read through the code search tool):
 * - libsql-server's query_analysis.rs maps every `Stmt::Begin { .. }` — plain BEGIN, BEGIN
 *   DEFERRED, BEGIN IMMEDIATE and BEGIN EXCLUSIVE — to `StmtKind::TxnBegin`. It has no
 *   `TxnBeginReadOnly`. Its `check_program_auth` asks only for *Read* permission for TxnBegin,
 *   TxnEnd, Read, Savepoint and Release, and for *Write* for Write and DDL. So a read-only token
 *   may run `BEGIN IMMEDIATE`; only a write statement inside the transaction is refused.
 * - `TxnBeginReadOnly` exists only in the embedded client's parser (libsql/src/parser.rs), for
 *   libSQL's own `BEGIN READONLY` (`TransactionType::ReadOnly`); BEGIN IMMEDIATE is TxnBegin
 *   there too. (That client's `is_read_only()` counts TxnBeginReadOnly but not TxnBegin as
 *   read-only; it only decides local-vs-remote routing, not authorization.)
 * - Statements the analysis does not know (TEMP tables, VACUUM, ANALYZE, most PRAGMAs with
 *   arguments, ...) fail to "parse" with `unsupported statement: <sql>` (SQL_PARSE_ERROR).
 */

export type StmtKind = 'TxnBegin' | 'TxnEnd' | 'Read' | 'Write' | 'DDL' | 'Savepoint' | 'Release' | 'Attach' | 'Detach'

export interface StmtError {
  message: string
  code: string
}

export type Analysis = { ok: true; kind: StmtKind; sql: string } | { ok: false; error: StmtError }

/** Permission libsql-server's check_program_auth requires for each kind. */
export function requiredPermission(kind: StmtKind): 'read' | 'write' | 'attach' | 'none' {
  switch (kind) {
    case 'Write':
    case 'DDL':
      return 'write'
    case 'Attach':
      return 'attach'
    case 'Detach':
      return 'none'
    default:
      return 'read'
  }
}

/** Removes comments and splits on `;` outside string literals and quoted identifiers. */
function splitStatements(sql: string): string[] {
  const statements: string[] = []
  let current = ''
  let i = 0
  while (i < sql.length) {
    const ch = sql[i] as string
    if (ch === '-' && sql[i + 1] === '-') {
      while (i < sql.length && sql[i] !== '\n') i++
      current += ' '
      continue
    }
    if (ch === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2)
      i = end < 0 ? sql.length : end + 2
      current += ' '
      continue
    }
    if (ch === "'" || ch === '"' || ch === '`' || ch === '[') {
      const close = ch === '[' ? ']' : ch
      let j = i + 1
      while (j < sql.length) {
        if (sql[j] === close) {
          if (close !== ']' && sql[j + 1] === close) {
            j += 2
            continue
          }
          break
        }
        j++
      }
      current += sql.slice(i, j + 1)
      i = j + 1
      continue
    }
    if (ch === ';') {
      statements.push(current)
      current = ''
      i++
      continue
    }
    current += ch
    i++
  }
  statements.push(current)
  return statements.map((s) => s.trim()).filter((s) => s !== '')
}

const READ_PRAGMAS = new Set([
  'table_list', 'index_list', 'table_info', 'table_xinfo', 'index_info', 'index_xinfo', 'pragma_list',
  'compile_options', 'database_list', 'function_list', 'module_list', 'encoding'
])
const WRITE_PRAGMAS = new Set([
  'defer_foreign_keys', 'foreign_keys', 'foreign_key_list', 'foreign_key_check', 'collation_list', 'data_version',
  'freelist_count', 'integrity_check', 'legacy_file_format', 'page_count', 'quick_check', 'stats', 'user_version'
])
const WRITE_PRAGMAS_WITHOUT_ARGUMENT = new Set([
  'analysis_limit', 'application_id', 'auto_vacuum', 'automatic_index', 'busy_timeout', 'cache_size', 'cache_spill',
  'cell_size_check', 'checkpoint_fullfsync', 'fullfsync', 'hard_heap_limit', 'journal_mode', 'journal_size_limit',
  'legacy_alter_table', 'locking_mode', 'max_page_count', 'mmap_size', 'page_size', 'query_only', 'read_uncommitted',
  'recursive_triggers', 'reverse_unordered_selects', 'secure_delete', 'soft_heap_limit', 'synchronous', 'temp_store',
  'threads', 'trusted_schema', 'wal_autocheckpoint'
])

function pragmaKind(statement: string): StmtKind | undefined {
  const match = /^PRAGMA\s+(?:[A-Za-z_][\w]*\s*\.\s*)?([A-Za-z_][\w]*)\s*(.*)$/is.exec(statement)
  if (match === null) return undefined
  const name = (match[1] as string).toLowerCase()
  const hasBody = (match[2] as string).trim() !== ''
  if (READ_PRAGMAS.has(name)) return 'Read'
  if (name === 'schema_version' && !hasBody) return 'Read'
  if (WRITE_PRAGMAS.has(name)) return 'Write'
  if (WRITE_PRAGMAS_WITHOUT_ARGUMENT.has(name)) return hasBody ? undefined : 'Write'
  return undefined
}

function kindOf(statement: string): StmtKind | undefined {
  const words = statement.toUpperCase().split(/[\s(]+/).filter((w) => w !== '')
  const [first, second] = words
  switch (first) {
    case 'SELECT':
    case 'VALUES':
    case 'EXPLAIN':
      return 'Read'
    case 'WITH':
      return words.some((w) => w === 'INSERT' || w === 'UPDATE' || w === 'DELETE' || w === 'REPLACE') ? 'Write' : 'Read'
    case 'BEGIN':
      return 'TxnBegin'
    case 'COMMIT':
    case 'END':
      return 'TxnEnd'
    case 'ROLLBACK':
      return words.includes('TO') ? 'Release' : 'TxnEnd'
    case 'SAVEPOINT':
      return 'Savepoint'
    case 'RELEASE':
      return 'Release'
    case 'INSERT':
    case 'REPLACE':
    case 'UPDATE':
    case 'DELETE':
      return 'Write'
    case 'CREATE':
      // Temporary objects are bound to one connection and refused by sqld.
      return second === 'TEMP' || second === 'TEMPORARY' ? undefined : 'DDL'
    case 'DROP':
    case 'ALTER':
      return 'DDL'
    case 'ATTACH':
      return 'Attach'
    case 'DETACH':
      return 'Detach'
    case 'PRAGMA':
      return pragmaKind(statement)
    default:
      return undefined
  }
}

/** Parses one Hrana `stmt.sql` the way libsql-server's proto_stmt_to_query does. */
export function analyzeStatement(sql: string): Analysis {
  const statements = splitStatements(sql)
  if (statements.length === 0) return { ok: false, error: { message: 'SQL string does not contain any statement', code: 'SQL_NO_STATEMENT' } }
  if (statements.length > 1) return { ok: false, error: { message: 'SQL string contains more than one statement', code: 'SQL_MANY_STATEMENTS' } }
  const statement = statements[0] as string
  const kind = kindOf(statement)
  if (kind === undefined) {
    return { ok: false, error: { message: `SQL string could not be parsed: unsupported statement: ${sql}`, code: 'SQL_PARSE_ERROR' } }
  }
  return { ok: true, kind, sql: statement }
}

/** The statements the emulator runs; everything else is classified but not executed. */
export type Executable =
  | { type: 'select-integer'; columnName: string; value: bigint }
  | { type: 'schema-no-op' }
  | { type: 'begin' }
  | { type: 'commit' }
  | { type: 'rollback' }

const INT64_MIN = -(1n << 63n)
const INT64_MAX = (1n << 63n) - 1n

export function toExecutable(statement: string): Executable | undefined {
  const select = /^SELECT\s+([+-]?\d+)$/i.exec(statement)
  if (select !== null) {
    const literal = select[1] as string
    const value = BigInt(literal)
    // Beyond int64 SQLite reads the literal as a REAL; the emulator does not model that.
    if (value < INT64_MIN || value > INT64_MAX) return undefined
    // SQLite names an expression column after its source text.
    return { type: 'select-integer', columnName: literal, value }
  }
  // The emulator keeps no schema, so these two succeed without effect. They let a write probe
  // such as `BEGIN IMMEDIATE; CREATE TABLE IF NOT EXISTS "probe" ("x"); ROLLBACK` pass for a
  // full-access token (a read-only token is refused before anything runs, as on a real server).
  if (/^CREATE\s+TABLE\s+IF\s+NOT\s+EXISTS\s+\S/i.test(statement) || /^DROP\s+TABLE\s+IF\s+EXISTS\s+\S+$/i.test(statement)) {
    return { type: 'schema-no-op' }
  }
  if (/^BEGIN(\s+(DEFERRED|IMMEDIATE|EXCLUSIVE))?(\s+TRANSACTION)?$/i.test(statement)) return { type: 'begin' }
  if (/^(COMMIT|END)(\s+TRANSACTION)?$/i.test(statement)) return { type: 'commit' }
  if (/^ROLLBACK(\s+TRANSACTION)?$/i.test(statement)) return { type: 'rollback' }
  return undefined
}

export const SUPPORTED_STATEMENTS_NOTE =
  'the Turso emulator runs only SELECT <integer>, BEGIN [DEFERRED|IMMEDIATE|EXCLUSIVE], COMMIT, END, ROLLBACK, ' +
  'and CREATE TABLE IF NOT EXISTS / DROP TABLE IF EXISTS as no-ops'
