// The fault suite (`npm run test:reliability`): Jepsen-style scenarios, each on private RabbitMQ nodes it starts
// itself. Not part of `npm test` (jest.config.js does not list it): it kills brokers and takes minutes. Run serially.
const base = require('./jest.config.js');
const shared = { ...base.projects[0] };
delete shared.testPathIgnorePatterns;

/** @type {import('jest').Config} */
module.exports = {
  ...shared,
  displayName: 'reliability',
  testMatch: ['<rootDir>/test/reliability/**/*.rel.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  globalSetup: '<rootDir>/test/reliability/globalSetup.ts',
  globalTeardown: '<rootDir>/test/reliability/globalTeardown.ts',
  testTimeout: 180_000,
};
