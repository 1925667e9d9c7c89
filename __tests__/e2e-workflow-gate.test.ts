import { describe, expect, it } from '@jest/globals'
import { evaluate, failedSteps, readWorkflow, runJob, stepLabel, stepRuns, type Contexts } from './support/workflow.js'

/**
 * .github/workflows/e2e.yml talks to the real Turso API, so it cannot run here; its gate can.
 * Without the TURSO_API_TOKEN secret (forks, pull requests from forks) the job must run only its
 * notice step and pass; with it, mint a 10-minute read-only verified token; and rotate only when
 * a variable names a throw-away group.
 */
describe('the live end-to-end workflow', () => {
  const workflow = readWorkflow('e2e.yml')
  const job = workflow.jobs.turso
  const VARS = { TURSO_E2E_ORGANIZATION: 'acme', TURSO_E2E_DATABASE: 'app-db' }

  function contexts(secrets: Record<string, string>, vars: Record<string, string>): Contexts {
    const base: Contexts = { env: {}, secrets, vars, steps: {}, jobFailed: false }
    const env = Object.fromEntries(Object.entries(job.env ?? {}).map(([name, value]) => [name, String(evaluate(String(value).replace(/^\$\{\{|\}\}$/g, ''), base))]))
    return { ...base, env }
  }

  function stepsThatRun(secrets: Record<string, string>, vars: Record<string, string>): string[] {
    const context = contexts(secrets, vars)
    return job.steps.filter((step) => stepRuns(step.if, context)).map(stepLabel)
  }

  it('exposes the presence of the secret as a boolean in env, not in a job-level if (where secrets is not allowed)', () => {
    expect(job.if).toBeUndefined()
    expect(job.env?.HAS_TURSO_TOKEN).toBe("${{ secrets.TURSO_API_TOKEN != '' }}")
    expect(contexts({}, {}).env.HAS_TURSO_TOKEN).toBe('false')
    expect(contexts({ TURSO_API_TOKEN: 'x' }, {}).env.HAS_TURSO_TOKEN).toBe('true')
  })

  it('without the secret runs only the notice, and the job passes', async () => {
    expect(stepsThatRun({}, VARS)).toEqual(['Skip without the TURSO_API_TOKEN secret'])
    const results = await runJob(job, { vars: VARS })
    expect(failedSteps(job, results)).toEqual([])
    expect(results.filter((result) => result.status === 'ran').map((result) => result.stdout.trim())).toEqual([
      '::notice::TURSO_API_TOKEN is not available to this run (a fork, or not configured), so the end-to-end steps are skipped'
    ])
  })

  it('with the secret mints a 10-minute read-only token with verify, for the database the variables name', () => {
    expect(stepsThatRun({ TURSO_API_TOKEN: 'x' }, VARS)).toEqual([
      'Check the repository variables',
      'actions/checkout@v6',
      'A 10-minute read-only token, verified on the database',
      'Check the outputs'
    ])
    const mint = job.steps.find((step) => step.id === 'mint')
    expect(mint?.uses).toBe('./')
    expect(mint?.with).toEqual({
      operation: 'create-token',
      'api-token': '${{ secrets.TURSO_API_TOKEN }}',
      organization: '${{ vars.TURSO_E2E_ORGANIZATION }}',
      database: '${{ vars.TURSO_E2E_DATABASE }}',
      expiration: '10m',
      'read-only': true,
      verify: true
    })
  })

  it('fails with a clear error when the secret is there but the variables are not', async () => {
    const results = await runJob(
      { ...job, steps: job.steps.filter((step) => step.name === 'Check the repository variables') },
      { secrets: { TURSO_API_TOKEN: 'x' } }
    )
    expect(results[0].outcome).toBe('failure')
    expect(results[0].stdout).toContain('::error::set the repository variables TURSO_E2E_ORGANIZATION and TURSO_E2E_DATABASE')
  })

  it('rotates only when TURSO_E2E_ROTATE_GROUP names a throw-away group', () => {
    const rotations = (vars: Record<string, string>): string[] =>
      stepsThatRun({ TURSO_API_TOKEN: 'x' }, vars).filter((label) => job.steps.find((step) => stepLabel(step) === label)?.with?.operation === 'rotate')
    expect(job.steps.filter((step) => step.with?.operation === 'rotate').map((step) => step.with?.group)).toEqual(['${{ vars.TURSO_E2E_ROTATE_GROUP }}'])
    expect(rotations(VARS)).toEqual([])
    expect(rotations({ ...VARS, TURSO_E2E_ROTATE_GROUP: 'e2e-throwaway' })).toEqual(['Rotate the dedicated throw-away group'])
    expect(stepsThatRun({}, { ...VARS, TURSO_E2E_ROTATE_GROUP: 'e2e-throwaway' })).toEqual(['Skip without the TURSO_API_TOKEN secret'])
  })
})
