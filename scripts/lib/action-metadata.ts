import { readFileSync } from 'node:fs'

export interface ActionField {
  name: string
  description: string
  required: boolean
  default?: string
}

export interface ActionMetadata {
  inputs: ActionField[]
  outputs: ActionField[]
}

/**
 * Reads the `inputs:` and `outputs:` blocks of action.yml. The file keeps one flat shape
 * (two-space names, four-space keys, double-quoted single-line values), so a small reader is
 * enough and no YAML parser is bundled or installed for it; a test checks it sees every input.
 */
export function readActionMetadata(path: string): ActionMetadata {
  const metadata: ActionMetadata = { inputs: [], outputs: [] }
  let section: keyof ActionMetadata | undefined
  let field: ActionField | undefined
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const top = /^([a-z]+):/.exec(line)
    if (top !== null) {
      section = top[1] === 'inputs' || top[1] === 'outputs' ? top[1] : undefined
      continue
    }
    if (section === undefined) continue
    const name = /^ {2}([a-z-]+):\s*$/.exec(line)
    if (name !== null) {
      field = { name: name[1], description: '', required: false }
      metadata[section].push(field)
      continue
    }
    const key = /^ {4}(description|required|default):\s*(.*)$/.exec(line)
    if (key === null || field === undefined) continue
    const value = key[2].startsWith('"') ? (JSON.parse(key[2]) as string) : key[2]
    if (key[1] === 'description') field.description = value
    if (key[1] === 'required') field.required = value === 'true'
    if (key[1] === 'default') field.default = value
  }
  return metadata
}
