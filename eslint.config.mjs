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
    // tests and test helpers read untyped GraphQL answers all day (`any`), and close pairs of
    // sockets and servers in one statement (`a.close(), b.close()`)
    files: ['test/**/*.ts', '**/*.test.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-unused-expressions': 'off' },
  },
  // Known debts, kept out of this commit so that branches in flight merge cleanly: fix them in the
  // files (types for the `any`s, an import for the require of a core module, a statement per
  // call for the comma sequences, no unused import), then delete these entries. Loading an
  // earlier build from dist/ with require() is deliberate: say so with an eslint-disable comment,
  // as scripts/bench/member-process.ts does.
  ...[
    [['gateway/src/network/member-queries.ts', 'scripts/bench/run.ts', 'scripts/cli/commands/check.ts'], '@typescript-eslint/no-explicit-any'],
    [['scripts/bench/answer-check-cpu.ts', 'scripts/bench/child.ts'], '@typescript-eslint/no-require-imports'],
    [['scripts/simulate/sim-members.ts'], '@typescript-eslint/no-unused-expressions'],
    [['scripts/build/web-bundle.ts'], '@typescript-eslint/no-unused-vars'],
  ].map(([files, rule]) => ({ files, rules: { [rule]: 'off' } })),
  prettier,
);
