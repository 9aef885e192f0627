// Lint: typescript-eslint's recommended rules, and the dependency direction of STYLE.md for the
// inner layers (../shared/tools/check-layers checks every layer against the imports).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** A relative import reaching one of these top-level folders of src/. */
const into = (...folders) => ({
  regex: `^(\\.\\./)+(${folders.join('|')})/`,
  message: `this layer does not import ${folders.join(', ')} (STYLE.md)`,
});
const entry = { regex: '^(\\.\\./)+(main|cli)\\.ts$', message: 'nothing imports the entry points' };
const drivers = ['kysely', 'pg', 'better-sqlite3', 'fastify', 'pino', 'commander', 'nodemailer'];
const noClock = { object: 'Date', property: 'now', message: 'Time is injected.' };

export default tseslint.config(
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // domain/ is pure: no driver, framework, clock or I/O, and nothing from the outer layers.
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            into('app', 'db', 'queue', 'gateways', 'http', 'console', 'conformance', 'bench', 'cli'),
            entry,
            { group: [...drivers, 'node:*'], message: 'the domain is pure' },
          ],
        },
      ],
      'no-restricted-properties': ['error', noClock],
    },
  },
  {
    // lib/ knows nothing of the product.
    files: ['src/lib/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [into('domain', 'app', 'db', 'queue', 'gateways', 'http', 'console', 'conformance'), entry] },
      ],
    },
  },
  {
    // app/ holds use cases and ports: it never reaches for a concrete store, gateway or server.
    files: ['src/app/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            into('db', 'queue', 'gateways', 'http', 'console', 'conformance', 'bench'),
            entry,
            { group: ['kysely', 'pg', 'better-sqlite3', 'fastify'], message: 'use cases see ports only' },
          ],
        },
      ],
      'no-restricted-properties': ['error', noClock],
    },
  },
  {
    files: ['**/*.js'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        performance: 'readonly',
        setTimeout: 'readonly',
        fetch: 'readonly',
      },
    },
  },
  { ignores: ['node_modules/', 'data/', 'dist/'] },
);
