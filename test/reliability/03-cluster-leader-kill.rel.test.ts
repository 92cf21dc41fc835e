import { createConsumer } from '@warren/consumer';
import { createPublisher } from '@warren/publisher';
import { startPrivateCluster } from '@warren/testing';
import { declare } from './harness/declare';
import { publishPaced } from './harness/publishPaced';
import { quorumLeader } from './harness/quorumLeader';
import { drained, eventually, settle } from './harness/settle';
import { withRetry } from './harness/withRetry';
import { expectClean, useScenario } from './harness/useScenario';

// A 3-node cluster; both clients get every node's URL, leader first, and the quorum leader is killed (-9) while both
// are connected to it. The queue must keep every confirmed message and both clients must fail over.
const COUNT = 3_000;
const RATE = 300;
const MAX_IN_FLIGHT = 100;
const PREFETCH = 50;
const KILL_AT = COUNT / 3;
const scenario = useScenario('3 quorum leader kill -9 (3 nodes)');

it('loses no confirmed message when the quorum leader is killed (-9) under both clients', async () => {
  const { ledger } = scenario;
  const cluster = await withRetry(() => startPrivateCluster({ size: 3 }));
  scenario.defer(() => cluster.stop());
  const queue = 'rel.leader';
  const topology = await declare(cluster.nodes[0]!, { queues: { [queue]: { type: 'quorum' } } });
  const leaderName = await eventually(
    async () => (await quorumLeader(cluster.nodes[0]!.managementUrl, queue)) !== undefined,
    15_000,
  ).then(() => quorumLeader(cluster.nodes[0]!.managementUrl, queue));
  const leader = cluster.nodes.find((node) => node.name === leaderName)!;
  expect(leader).toBeDefined();
  const survivor = cluster.nodes.find((node) => node !== leader)!;
  const urls = [leader, ...cluster.nodes.filter((node) => node !== leader)].map((node) => node.amqpUrl).join(',');

  const publisher = createPublisher({ urls, maxInFlight: MAX_IN_FLIGHT, timeoutMs: 30_000, reconnectSeconds: 0.5 });
  const consumer = createConsumer({ urls, topology, reconnectSeconds: 0.5 });
  scenario.defer(() => publisher.close({ timeoutMs: 1_000 }));
  scenario.defer(() => consumer.close({ timeoutMs: 1_000 }));
  const connectedTo: { publisher: string[]; consumer: string[] } = { publisher: [], consumer: [] };
  publisher.on('connected', ({ url }) => connectedTo.publisher.push(url));
  consumer.on('connected', ({ url }) => connectedTo.consumer.push(url));
  let publisherDrops = 0;
  let consumerDrops = 0;
  publisher.on('disconnected', () => publisherDrops++);
  consumer.on('disconnected', () => consumerDrops++);
  let killedAt = 0;
  // Fail-over: from the kill to the consumption of the first message published after it (publish, confirm, deliver).
  let firstNewConsumedAt = 0;
  await consumer.consume(
    queue,
    (_body, ctx) => {
      if (killedAt && !firstNewConsumedAt && Number(ctx.messageId!.split('-')[1]) >= KILL_AT) {
        firstNewConsumedAt = Date.now();
      }
      ledger.consumed(ctx.messageId!);
    },
    { prefetch: PREFETCH },
  );

  const port = (url: string) => new URL(url).port;
  const run = await publishPaced(publisher, ledger, {
    queue,
    count: COUNT,
    ratePerSec: RATE,
    timeoutMs: 30_000,
    prefix: 'leader',
    before: async (n) => {
      if (n !== KILL_AT) return;
      // Both on the leader (the first URL), or the scenario proves nothing.
      expect([connectedTo.publisher.map(port), connectedTo.consumer.map(port)]).toEqual([
        [port(leader.amqpUrl)],
        [port(leader.amqpUrl)],
      ]);
      killedAt = Date.now();
      await leader.kill();
    },
  });
  await run.settled;
  const empty = await settle(ledger, survivor.amqpUrl, [queue]);
  await consumer.close({ timeoutMs: 5_000 });
  await publisher.close({ timeoutMs: 5_000 });
  const newLeader = await quorumLeader(survivor.managementUrl, queue);

  const verdict = scenario.finish(
    {
      drained: empty && (await drained(survivor.amqpUrl, [queue, `${queue}.dlq`])),
      duplicateBound: publisherDrops * MAX_IN_FLIGHT + consumerDrops * PREFETCH,
    },
    {
      leader: leader.name,
      newLeader,
      failoverMs: firstNewConsumedAt - killedAt,
      failureSamples: ledger.verdict({ drained: true }).failureSamples,
      publisherConnections: connectedTo.publisher.map(port),
      consumerConnections: connectedTo.consumer.map(port),
      publisherDrops,
      consumerDrops,
    },
  );
  expectClean(verdict);
  // Every message published before the kill is confirmed. After it, RabbitMQ 3.10 has been seen (1 run in 5) to
  // nack every publish on the new connection until the deadline (BROKER_BUSY: definite, and none arrived): an
  // availability gap, reported in the JSON (failureSamples), not a loss; the criteria are the ones above.
  expect(verdict.confirmed).toBeGreaterThanOrEqual(KILL_AT);
  expect(newLeader).not.toBe(leader.name);
  expect(connectedTo.publisher.length).toBeGreaterThanOrEqual(2);
  expect(connectedTo.consumer.length).toBeGreaterThanOrEqual(2);
  scenario.passed();
});
