/** `npm run docs`: regenerates the README's input/output tables from action.yml. */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { readActionMetadata } from './lib/action-metadata.js'
import { withGeneratedTables } from './lib/readme-tables.js'
import { projectRoot } from './lib/runner.js'

const readmePath = join(projectRoot, 'README.md')
const updated = withGeneratedTables(readFileSync(readmePath, 'utf8'), readActionMetadata(join(projectRoot, 'action.yml')))
writeFileSync(readmePath, updated)
console.log('README.md tables regenerated from action.yml')
