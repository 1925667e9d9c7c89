// Mutation testing: does deleting or breaking a line of src/ make a test fail?
// Slow (tens of minutes for all of src/ on two cores), so not part of .ci/run.
// Run it on the file you changed: npm run mutation -- --mutate src/runner/secrets.ts
// Several files go in ONE comma-separated value: --mutate src/a.ts,src/b.ts
//
// MUTATION_TESTS narrows the run to some test files (comma-separated names without .test.ts):
//   MUTATION_TESTS=retry-policy,hardening-retries npm run mutation -- --mutate src/http/retry-policy.ts
// A mutant that only another test file kills then counts as a survivor: the score is a lower bound.
const narrowedTo = (process.env.MUTATION_TESTS ?? '')
  .split(',')
  .map((name) => name.trim())
  .filter((name) => name !== '')

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'jest',
  jest: {
    projectType: 'custom',
    configFile: 'jest.config.js',
    ...(narrowedTo.length > 0 && { config: { testMatch: narrowedTo.map((name) => `<rootDir>/__tests__/${name}.test.ts`) } })
  },
  // The @actions/* packages are ESM-only: jest needs the VM modules flag in every worker.
  testRunnerNodeArgs: ['--experimental-vm-modules'],
  coverageAnalysis: 'perTest',
  // A static mutant (a module-level constant) re-runs the whole suite: on two cores that is most
  // of the time of a run. Add --ignoreStatic false for the complete count.
  ignoreStatic: true,
  mutate: ['src/**/*.ts', '!src/index.ts', '!src/version.ts'],
  // dist/ stays: some tests run the committed bundle (they cannot see a mutant, but must pass).
  ignorePatterns: ['coverage', 'reports', '.tmp', '.stryker-tmp*'],
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  concurrency: 2,
  timeoutMS: 10000,
  cleanTempDir: 'always'
}
