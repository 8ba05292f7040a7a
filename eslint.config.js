// Lint, and the layer rules a reader and CI both see (docs/architecture.md), and one clock:
//   contract/  imports only lib/ and packages
//   generator/ nothing from ops/, bot/, cli/
//   ops/       nothing from bot/, cli/; from generator/ only its public entry (generator/index.ts, for upgrade)
//   ops/request/ the one request path: surface-neutral, and reaches actions only through OpsCore
//   bot/, cli/ ops only through its public entries (ops/index.ts, ops/catalog.ts); the bot no generator
//   ops/actions/ one file per action: an action imports no other action (shared steps live in ops/steps/ …);
//                only the pipeline (its action table) imports an action
//   everywhere: no import cycle (scripts/eslint-import-cycles.mjs)
import js from '@eslint/js';
import comments from '@eslint-community/eslint-plugin-eslint-comments/configs';
import tseslint from 'typescript-eslint';
import { noImportCycle } from './scripts/eslint-import-cycles.mjs';

/** Import strings (always relative here) that reach into a top-level folder. */
const into = (folder) => [`**/${folder}/**`, `${folder}/**`];
const layer = (files, forbidden, message) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { patterns: [{ group: forbidden, message }] }] },
});

export default tseslint.config(
  { ignores: ['dist/**', 'dist-bench/**', 'node_modules/**', 'compose/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  comments.recommended,
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // every suppression says why
      '@eslint-community/eslint-comments/require-description': ['error', { ignore: [] }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
    },
  },
  layer(
    ['contract/**/*.ts'],
    [...into('generator'), ...into('ops'), ...into('bot'), ...into('cli')],
    'contract/ is neutral: it may import lib/ and packages only',
  ),
  layer(
    ['generator/**/*.ts'],
    [...into('ops'), ...into('bot'), ...into('cli')],
    'the generator is pure spec → files: it imports nothing from ops/ or the surfaces',
  ),
  layer(
    ['ops/**/*.ts'],
    [...into('bot'), ...into('cli'), ...into('generator'), '!**/generator/index.js'],
    'ops never imports a surface, and reads the cluster through contract/; it generates files only through generator/index.ts',
  ),
  // (a later entry replaces the rule for its files, so the ops rule is repeated)
  {
    ...layer(
      ['ops/*/**/*.ts'],
      [...into('bot'), ...into('cli'), ...into('generator'), '!**/generator/index.js', '**/actions/*'],
      'ops/actions/ is the top of ops but for the pipeline: what an action shares lives below it (ops/action.ts has the types)',
    ),
    ignores: ['ops/actions/**', 'ops/pipeline/**'],
  },
  layer(
    ['ops/request/**/*.ts'],
    [...into('bot'), ...into('cli'), ...into('generator'), '**/actions/*'],
    'the request runner is surface-neutral and runs actions only through OpsCore (pipeline/): no surface, no generator, no action file',
  ),
  layer(
    ['ops/actions/*.ts'],
    [...into('bot'), ...into('cli'), ...into('generator'), '!**/generator/index.js', './*'],
    'an action imports no other action: what two actions share lives in its concern folder (ops/steps/, ops/status/, ops/health/ …)',
  ),

  {
    files: ['contract/**/*.ts', 'generator/**/*.ts', 'ops/**/*.ts', 'bot/**/*.ts', 'cli/**/*.ts', 'lib/**/*.ts'],
    plugins: { local: { rules: { 'no-import-cycle': noImportCycle } } },
    rules: { 'local/no-import-cycle': 'error' },
  },
  layer(
    ['bot/**/*.ts'],
    [...into('ops'), '!**/ops/index.js', '!**/ops/catalog.js', ...into('generator'), ...into('cli')],
    'the bot uses ops only through ops/index.ts or ops/catalog.ts, and never the generator',
  ),
  layer(
    ['cli/**/*.ts'],
    [...into('ops'), '!**/ops/index.js', '!**/ops/catalog.js', ...into('bot'), '!**/bot/main.js'],
    'the CLI uses ops only through ops/index.ts or ops/catalog.ts (and starts the bot through bot/main.ts)',
  ),
  {
    // one clock (lib/clock.ts): anything that depends on today takes it, so tests pin every date
    files: ['**/*.ts'],
    ignores: ['lib/clock.ts', 'test/**', 'bench/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: 'read the time from the injected clock (a Clock, default systemClock from lib/clock.ts)',
        },
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'new Date() reads the wall clock: use new Date(clock()) with the injected clock (lib/clock.ts)',
        },
      ],
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      // tests and benches reach into every layer on purpose, and assert on values they know exist
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
);
