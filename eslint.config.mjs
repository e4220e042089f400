// ESLint 9 flat config: ESLint's and typescript-eslint's recommended rules, with formatting left to
// Prettier (eslint-config-prettier turns off every rule Prettier owns). `npm run lint` runs both.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    // built, installed and generated files, and third-party fixtures
    ignores: ['node_modules/', 'dist/', 'coverage/', 'bench-results/', 'test-artifacts/', '.infrared/', 'test/fixtures/'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // `_name` marks a value left unused on purpose (destructuring it away, a callback's first parameter)
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: globals.node },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['web/**/*.{ts,tsx}'],
    languageOptions: { globals: globals.browser },
  },
  {
    // tests and test helpers read untyped GraphQL answers all day: `any` is allowed there
    files: ['test/**/*.ts', '**/*.test.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // the benchmark harness loads earlier builds from dist/ on purpose
    files: ['scripts/bench/**/*.ts'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Known debts, kept out of this commit so that branches in flight merge cleanly: type these
    // (and drop the comma-sequence statements) in files being restructured, then delete this block.
    files: ['gateway/src/network/member-queries.ts', 'scripts/cli/commands/check.ts', 'scripts/bench/run.ts', 'scripts/simulate/sim-members.ts', 'test/network/fanout.test.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-unused-expressions': 'off' },
  },
  prettier,
);
