// Every package from CommonJS, by name, as a user's service requires it.
const assert = require('node:assert/strict');

const core = require('@warren/core');
const topology = require('@warren/topology');
const publisher = require('@warren/publisher');
const consumer = require('@warren/consumer');
const scheduler = require('@warren/scheduler');
const cli = require('@warren/cli');
const testing = require('@warren/testing');

assert.equal(typeof core.WarrenError, 'function');
assert.ok(core.WARREN_CODES.includes('INVALID_URL'));
assert.equal(typeof topology.defineTopology, 'function');
assert.equal(typeof publisher.createPublisher, 'function');
assert.equal(typeof consumer.createConsumer, 'function');
assert.equal(typeof scheduler.createScheduler, 'function');
assert.equal(typeof cli.runCli, 'function');
assert.equal(typeof testing.startBroker, 'function');
// The exports maps close the packages: a deep import of a built file is refused.
assert.throws(() => require('@warren/core/dist/src/errors.js'), { code: 'ERR_PACKAGE_PATH_NOT_EXPORTED' });
console.log('require: 7 packages ok; deep import refused');
