import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

// Nothing reaches into another package's build output or sources: import a package by its name.
const deepImports = {
  group: [
    '@warren/*/src',
    '@warren/*/src/**',
    '@warren/*/dist',
    '@warren/*/dist/**',
    '**/packages/*/src',
    '**/packages/*/src/**',
    '**/packages/*/dist',
    '**/packages/*/dist/**',
  ],
  message: "Import a Warren package by its name ('@warren/core'), never its src/ or dist/ paths.",
};
// The runtimes' source never imports the other runtime, the CLI or the test helpers (tests may use @warren/testing).
const runtimeRule = (others, why) => ({
  'no-restricted-imports': ['error', { patterns: [deepImports, { group: others, message: why }] }],
});

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'coverage/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { patterns: [deepImports] }],
    },
  },
  {
    files: ['packages/publisher/src/**/*.ts'],
    rules: runtimeRule(
      ['@warren/topology', '@warren/consumer', '@warren/cli', '@warren/testing'],
      'The publisher depends on @warren/core only.',
    ),
  },
  {
    files: ['packages/consumer/src/**/*.ts'],
    rules: runtimeRule(
      ['@warren/publisher', '@warren/cli', '@warren/testing'],
      'The consumer imports neither the publisher, the CLI nor the test helpers.',
    ),
  },
  {
    files: ['packages/scheduler/src/**/*.ts'],
    rules: runtimeRule(
      ['@warren/publisher', '@warren/consumer', '@warren/cli', '@warren/testing'],
      'The scheduler imports core and topology only: it publishes through the publisher it is given.',
    ),
  },
);
