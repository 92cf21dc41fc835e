import type { Config } from 'jest';

// Tests run from TypeScript sources (workspace imports map to src/); type-checking happens once, in `tsc -b`.
const shared: Config = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { isolatedModules: true, diagnostics: false }] },
  moduleNameMapper: { '^@warren/([a-z-]+)$': '<rootDir>/packages/$1/src/index.ts' },
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
};

const config: Config = {
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['<rootDir>/packages/*/test/**/*.test.ts', '<rootDir>/examples/*/test/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '/dist/', '\\.int\\.test\\.ts$'],
    },
    {
      ...shared,
      displayName: 'integration',
      testMatch: [
        '<rootDir>/packages/*/test/integration/**/*.int.test.ts',
        '<rootDir>/examples/*/test/**/*.int.test.ts',
      ],
      testTimeout: 60_000,
    },
  ],
};

export default config;
