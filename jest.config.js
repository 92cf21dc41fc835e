// Plain JavaScript: a jest.config.ts needs ts-node to be read, and the project runs TypeScript with tsx instead.

// Tests run from TypeScript sources (workspace imports map to src/). `isolatedModules` in the base tsconfig makes
// ts-jest transpile only: type-checking happens once, in `tsc -b`, which covers the tests too.
/** @type {import('jest').Config} */
const shared = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.base.json', diagnostics: false }] },
  moduleNameMapper: { '^@warren/([a-z-]+)$': '<rootDir>/packages/$1/src/index.ts' },
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  // Built output (the CLI's holds a copy of its package.json) is not part of the module map.
  modulePathIgnorePatterns: ['<rootDir>/packages/[^/]+/dist/', '<rootDir>/examples/[^/]+/dist/'],
};

/** @type {import('jest').Config} */
const config = {
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: [
        '<rootDir>/test/**/*.test.ts',
        '<rootDir>/packages/*/test/**/*.test.ts',
        '<rootDir>/examples/*/test/**/*.test.ts',
        '<rootDir>/scripts/**/*.test.ts',
      ],
      // The fault suite (*.rel.test.ts) has a config of its own: jest.reliability.config.js.
      testPathIgnorePatterns: ['/node_modules/', '/dist/', '\\.int\\.test\\.ts$', '\\.rel\\.test\\.ts$'],
    },
    {
      ...shared,
      displayName: 'integration',
      testMatch: [
        '<rootDir>/packages/*/test/integration/**/*.int.test.ts',
        '<rootDir>/examples/*/test/**/*.int.test.ts',
      ],
      // One broker for the whole run (resolved, or one container started, once): see packages/testing.
      globalSetup: '<rootDir>/packages/testing/src/jestGlobalSetup.ts',
      globalTeardown: '<rootDir>/packages/testing/src/jestGlobalTeardown.ts',
      // jest-circus reads `testTimeout` from the global config only; the setup file gives this project 60 s.
      setupFilesAfterEnv: ['<rootDir>/packages/testing/src/jestIntegrationSetup.ts'],
    },
  ],
};

module.exports = config;
