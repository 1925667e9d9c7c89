import js from '@eslint/js'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  // .stryker-tmp*/: mutation-run sandboxes (copies of the project); reports/: their HTML/JSON output.
  { ignores: ['dist/', 'node_modules/', 'coverage/', '.stryker-tmp*/', 'reports/', '.tmp/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly' }
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }]
    }
  }
)
