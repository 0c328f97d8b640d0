// Lint configuration: typescript-eslint recommended rules plus type-only import discipline.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** The services between the core and the edges: they depend on the core, never on cli or gateway. */
const SERVICES = [
  'security', 'store', 'accounts', 'consumers', 'deployments', 'connectors', 'globals', 'config',
  'docs', 'monitoring', 'http-client',
];

/** Every folder of src/ by layer (test/architecture.test.ts checks that none is left out). */
export const LAYERS = {
  core: ['core', 'expr', 'jolt', 'errors'],
  services: SERVICES,
  edges: ['gateway', 'console', 'cli'],
};

const CORE_ONLY = {
  // gitignore syntax (no braces): each folder spelled out.
  group: [...SERVICES, 'cli', 'gateway', 'console'].flatMap((d) => [`**/${d}/*`, `**/${d}/**`]),
  message: 'The core (core, expr, jolt, errors) imports only the core.',
};

/** Outside the engine, its modules other than index.ts are internals. */
const ENGINE_INTERNALS = {
  // `**/engine/*` also catches `../engine/x.js` from elsewhere in src/core.
  group: ['**/engine/*', '!**/engine/index.js'],
  message: 'Import the engine through src/core/engine/index.ts; its other modules are internals.',
};

/**
 * One layer's import rule (one config object per file set: a later object replaces the rule's
 * options, so every set carries the engine-internals pattern too). Tests are exempt: they may reach
 * across layers to build fixtures. src/core/engine itself may import its own modules.
 */
function layer(files, patterns, { engine = false } = {}) {
  return {
    files,
    ignores: ['**/*.test.ts', ...(engine ? [] : ['src/core/engine/**'])],
    rules: { 'no-restricted-imports': ['error', { patterns: engine ? patterns : [...patterns, ENGINE_INTERNALS] }] },
  };
}

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '.pipegate/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  { files: ['**/*.js'], languageOptions: { globals: globals.node } },
  {
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  // Layering (docs/architecture.md): the core (core, expr, jolt, errors) imports nothing else of src/;
  // the services above it never import the edges (cli, gateway, console); the gateway and the console
  // (served by the admin listener) never import the CLI;
  // and outside src/core/engine the engine is imported through its index only. Import cycles are
  // checked by test/architecture.test.ts.
  layer([`src/{${LAYERS.core.join(',')}}/**/*.ts`], [CORE_ONLY]),
  layer(['src/core/engine/**/*.ts'], [CORE_ONLY], { engine: true }),
  layer([`src/{${SERVICES.join(',')}}/**/*.ts`], [
    {
      group: ['**/cli/*', '**/gateway/*', '**/console/*', '**/cli/**', '**/gateway/**', '**/console/**'],
      message: 'Lower layers never import the CLI, the gateway or the console.',
    },
  ]),
  layer(['src/gateway/**/*.ts', 'src/console/**/*.ts'], [
    { group: ['**/cli/*', '**/cli/**'], message: 'The gateway and the console never import the CLI.' },
  ]),
  layer(['src/cli/**/*.ts', 'src/index.ts'], []),
);
