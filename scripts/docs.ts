/**
 * `npm run docs`: regenerates the input and output tables of docs/reference.md from action.yml,
 * the single source; the README links that page instead of repeating the tables.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { readActionMetadata } from './lib/action-metadata.js'
import { withGeneratedTables } from './lib/reference-tables.js'
import { projectRoot } from './lib/runner.js'

const REFERENCE_PAGE = join('docs', 'reference.md')
const referencePath = join(projectRoot, REFERENCE_PAGE)
const updated = withGeneratedTables(readFileSync(referencePath, 'utf8'), readActionMetadata(join(projectRoot, 'action.yml')))
writeFileSync(referencePath, updated)
console.log(`${REFERENCE_PAGE}: input and output tables regenerated from action.yml`)
