// Every package from an ES module, with named imports.
import assert from 'node:assert/strict';
import { WarrenError, redactUrl } from '@warren/core';
import { defineTopology, parseTopologyText } from '@warren/topology';
import { createPublisher } from '@warren/publisher';
import { createConsumer, NonRetryableError } from '@warren/consumer';
import { runCli } from '@warren/cli';
import { startBroker, uniqueName } from '@warren/testing';

assert.equal(redactUrl('amqp://u:secret@h:5672'), 'amqp://u:***@h:5672');
assert.ok(new NonRetryableError('x') instanceof WarrenError);
const parsed = parseTopologyText('queues:\n  a.b: { type: quorum }\n');
assert.ok(parsed.queues['a.b']);
for (const fn of [defineTopology, createPublisher, createConsumer, runCli, startBroker, uniqueName]) {
  assert.equal(typeof fn, 'function');
}
console.log('import: 6 packages ok');
