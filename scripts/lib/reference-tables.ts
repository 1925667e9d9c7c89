import type { ActionField, ActionMetadata } from './action-metadata.js'

/** docs/reference.md's input and output tables, generated from action.yml so the two never drift. */
export function renderTables(metadata: ActionMetadata): { inputs: string; outputs: string } {
  const inputs = [
    '| Input | Default | Description |',
    '|---|---|---|',
    ...metadata.inputs.map((input) => `| \`${input.name}\` | ${defaultCell(input)} | ${cell(input.description)} |`)
  ].join('\n')
  const outputs = [
    '| Output | Description |',
    '|---|---|',
    ...metadata.outputs.map((output) => `| \`${output.name}\` | ${cell(output.description)} |`)
  ].join('\n')
  return { inputs, outputs }
}

function defaultCell(input: ActionField): string {
  if (input.required) return '**required**'
  return input.default === undefined || input.default === '' ? '' : `\`${input.default}\``
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|')
}

/** Replaces what stands between `<!-- NAME:start -->` and `<!-- NAME:end -->`. */
export function replaceBlock(text: string, name: string, content: string): string {
  const start = `<!-- ${name}:start -->`
  const end = `<!-- ${name}:end -->`
  const from = text.indexOf(start)
  const to = text.indexOf(end)
  if (from === -1 || to === -1 || to < from) throw new Error(`The page has no ${start} ... ${end} block`)
  return `${text.slice(0, from + start.length)}\n${content}\n${text.slice(to)}`
}

/** The page with its `inputs` and `outputs` blocks regenerated; the prose around them is kept. */
export function withGeneratedTables(page: string, metadata: ActionMetadata): string {
  const tables = renderTables(metadata)
  return replaceBlock(replaceBlock(page, 'inputs', tables.inputs), 'outputs', tables.outputs)
}
