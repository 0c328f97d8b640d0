// Lint configuration: typescript-eslint recommended rules plus type-only import discipline.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

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
  // Layering (CONVENTIONS "the core is small"): the edges (cli, gateway) depend on the core, never
  // the reverse. Import cycles are checked by test/architecture.test.ts.
  {
    files: [
      'src/{core,expr,jolt,errors,security,store,accounts,consumers,deployments,connectors,globals,config,docs}/**/*.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/cli/*', '**/gateway/*', '**/cli/**', '**/gateway/**'],
              message: 'Lower layers never import the CLI or the gateway.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/gateway/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/cli/*', '**/cli/**'], message: 'The gateway never imports the CLI.' }] },
      ],
    },
  },
);
