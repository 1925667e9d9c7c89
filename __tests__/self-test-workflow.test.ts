import { describe, expect, it } from '@jest/globals'
import { loadDefaultSeed } from '../emulator/seed.js'
import { useEmulator } from './support/emulator.js'
import { describeRun, failedSteps, readWorkflow, runJob } from './support/workflow.js'

/**
 * .github/workflows/self-test.yml, run here step by step: the emulator this test starts stands
 * in for the one the workflow starts in the background, and everything else runs as written
 * (`uses: ./` is the bundled dist/index.js, the checks are the workflow's own bash).
 */
describe('the self-test workflow', () => {
  const emulator = useEmulator()
  const workflow = readWorkflow('self-test.yml')
  const job = workflow.jobs['self-test']

  it('starts the emulator in the background and waits for it, bounded, before the action runs', () => {
    const ids = job.steps.map((step) => step.id)
    const start = job.steps[ids.indexOf('emulator')]
    expect(start.run).toMatch(/^npm run emulator -- --port 8787 .*&\s*$/)
    expect(ids.indexOf('wait-emulator')).toBe(ids.indexOf('emulator') + 1)
    expect(job.steps[ids.indexOf('wait-emulator')].run).toMatch(/for attempt in \$\(seq 1 60\)/)
    expect(ids.indexOf('create')).toBeGreaterThan(ids.indexOf('wait-emulator'))
    expect(job.env?.TURSO_API_URL).toBe('http://127.0.0.1:8787')
  })

  it('authenticates with a seeded API token and revokes another seeded one, never its own', () => {
    const seeded = loadDefaultSeed().apiTokens
    const own = seeded.find((token) => token.value === job.env?.TURSO_API_TOKEN)
    const revoked = job.steps.find((step) => step.id === 'revoke')?.with?.['token-name']
    expect(own).toBeDefined()
    expect(seeded.map((token) => token.name)).toContain(revoked)
    expect(revoked).not.toBe(own?.name)
  })

  it('passes: create-token with export-env and verify, a group rotation, a revoke, and an invalid input that fails', async () => {
    const results = await runJob(job, { envOverrides: { TURSO_API_URL: emulator.url }, skip: ['install', 'emulator'] })
    const log = describeRun(results)

    expect(failedSteps(job, results).map((result) => `${result.label}\n${result.stdout}${result.stderr}`)).toEqual([])
    expect(results.filter((result) => result.status === 'not-run-here').map((result) => result.id ?? result.label)).toEqual([
      'actions/checkout@v6',
      'actions/setup-node@v6',
      'install',
      'emulator'
    ])
    expect(results.filter((result) => result.status === 'skipped-by-if')).toEqual([])
    const outcome = (id: string): string | undefined => results.find((result) => result.id === id)?.outcome
    expect({ create: outcome('create'), rotate: outcome('rotate'), revoke: outcome('revoke'), invalid: outcome('invalid') }).toEqual({
      create: 'success',
      rotate: 'success',
      revoke: 'success',
      invalid: 'failure'
    })
    // Every check step ran and passed (the job did not fail), and said what it checked.
    expect(log).toContain('failed as expected, with no request sent')
    expect(log).toContain('old token refused, group token accepted on acme/analytics')

    // No minted token is printed by any step, the workflow's own checks included.
    const tokens = ['create', 'rotate'].map((id) => results.find((result) => result.id === id)?.outputs.token ?? '')
    expect(tokens.every((token) => token.split('.').length === 3)).toBe(true)
    for (const result of results) {
      const lines = `${result.stdout}\n${result.stderr}`.split('\n')
      for (const token of tokens) expect(lines.filter((line) => line.includes(token) && line !== `::add-mask::${token}`)).toEqual([])
    }
  })
})
