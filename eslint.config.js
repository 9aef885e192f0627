// Lint: typescript-eslint's recommended rules plus the dependency direction of STYLE.md.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const outsideDomain = [
  '../app/*',
  '../db/*',
  '../queue/*',
  '../gateways/*',
  '../http/*',
  '../conformance/*',
  '../*.ts',
];
const drivers = ['kysely', 'pg', 'better-sqlite3', 'fastify', 'pino', 'commander', 'nodemailer', 'node:*'];

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
      'no-restricted-imports': ['error', { patterns: [...outsideDomain, ...drivers] }],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'Time is injected.' },
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
            '../db/*',
            '../queue/*',
            '../gateways/*',
            '../http/*',
            '../conformance/*',
            '../main.ts',
            '../cli.ts',
            'kysely',
            'pg',
            'better-sqlite3',
            'fastify',
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'Time is injected.' },
      ],
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
