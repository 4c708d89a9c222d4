// ESLint, type-aware (typescript-eslint), over src/, test/, scripts/ and bench/. `npm run lint` runs it
// with `prettier --check` and scripts/check-long-lines.mjs (no line in src/ over 160 characters, with a
// shrinking baseline); formatting is Prettier's job alone, so no stylistic rules here.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

// Node's globals for the .mjs/.cjs files (TypeScript files get them from @types/node).
const nodeGlobals = Object.fromEntries(
  [
    ...['process', 'console', 'Buffer', 'URL', 'URLSearchParams', 'TextEncoder', 'TextDecoder', 'AbortController', 'AbortSignal', 'structuredClone'],
    ...['queueMicrotask', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'clearImmediate', 'performance', 'fetch'],
  ].map((name) => [name, 'readonly']),
);
const UNSAFE_ANY = ['no-unsafe-assignment', 'no-unsafe-member-access', 'no-unsafe-call', 'no-unsafe-return', 'no-unsafe-argument'].map(
  (r) => `@typescript-eslint/${r}`,
);
const off = (rules) => Object.fromEntries(rules.map((r) => [r, 'off']));

export default defineConfig(
  { ignores: ['dist/', 'bin/', 'coverage/', 'bench/results/', 'test/fixtures/', 'src/spec/generated.ts'] },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { project: './tsconfig.eslint.json', tsconfigRootDir: import.meta.dirname },
      globals: nodeGlobals,
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      ...Object.fromEntries(UNSAFE_ANY.map((r) => [r, 'error'])),
      // The house convention for a deliberately unused binding is a leading underscore.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
    },
  },
  {
    // Plain JavaScript is not type-checked here (checkJs is off): every JSON.parse and untyped import is
    // `any`, so the unsafe-any rules would only count that. The promise rules still apply.
    files: ['**/*.mjs', '**/*.cjs', '**/*.js'],
    rules: off(UNSAFE_ANY),
  },
  {
    // TypeScript reads the twin declaration (generate.d.mts, measure.d.mts, standin.ts) instead of these
    // files, so they have no type information of their own; their twins are type-checked.
    files: ['bench/generate.mjs', 'bench/measure.mjs', 'test/apply/standin.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', __dirname: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Tests read the CLI's JSON and the synthesized Terraform JSON (JSON.parse: any) and walk it inside
    // expect(): a wrong path or shape fails the assertion, which is the check the unsafe-any rules would
    // add. Test doubles implement async interfaces without awaiting. Promise misuse stays an error.
    files: ['test/**'],
    rules: { ...off(UNSAFE_ANY), '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/require-await': 'off' },
  },
  {
    // Terraform's and cdktf's JSON in the bench: same reason as tests.
    files: ['bench/**'],
    rules: off(UNSAFE_ANY),
  },
);
