/** ESM jest over ts-jest: the @actions/* packages are ESM-only. */
export default {
  preset: 'ts-jest',
  resolver: 'ts-jest-resolver',
  extensionsToTreatAsEsm: ['.ts'],
  testEnvironment: 'node',
  testMatch: ['<rootDir>/__tests__/**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true }]
  },
  testTimeout: 20000
}
