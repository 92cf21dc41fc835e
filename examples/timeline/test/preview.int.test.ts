import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { createPublisher, RemoteError } from '@warren/publisher';
import { uniqueName, useBroker } from '@warren/testing';
import { applyTopology, deleteTopology, deriveTopology, loadTopologyFile } from '@warren/topology';
import { postCreatedContract, previewContract, timelineNames } from '../src/contracts';
import { createTimelineService } from '../src/service';
import { fateOf } from '../src/simulation';
import { startTimelineWorker } from '../src/worker';

// Request/reply end to end: the real publisher asks, the real consumer (the timeline worker) answers.
const broker = useBroker();
const namespace = uniqueName('preview');
const names = timelineNames(namespace);
const posts = postCreatedContract(names);
const previews = previewContract(names);
const target = () => ({ amqpUrl: broker.amqpUrl, managementUrl: broker.managementUrl });

let shared: ReturnType<typeof start> | undefined;
/** One worker and one publisher for the file (a second worker on the same queues would answer too). */
const setUp = () => (shared ??= start());

async function start() {
  // The example's topology file, renamed into this run's namespace.
  const text = await readFile(path.resolve(__dirname, '../topology.yaml'), 'utf8');
  const file = path.join(await mkdtemp(path.join(tmpdir(), 'warren-preview-')), 'topology.yaml');
  await writeFile(file, text.replace(/\btimeline\b/g, namespace));
  const topology = deriveTopology(await loadTopologyFile(file));
  await applyTopology(topology, target());
  broker.teardown(() => deleteTopology(topology, target()));
  const worker = await startTimelineWorker({
    urls: broker.amqpUrl,
    topology,
    contract: posts,
    previewContract: previews,
    latencyMs: 1,
  });
  broker.teardown(() => worker.consumer.close({ timeoutMs: 1_000 }));
  const publisher = createPublisher({ urls: broker.amqpUrl, name: uniqueName('preview-service') });
  broker.teardown(() => publisher.close({ timeoutMs: 1_000 }));
  return { worker, publisher };
}

/** Post ids the simulation always fans out at the first attempt (see simulation.ts: fate by id). */
async function publishPosts(publisher: ReturnType<typeof createPublisher>, count: number, done: () => number) {
  const ids = Array.from({ length: count }, (_, i) => `${namespace}-p${i}`);
  await Promise.all(
    ids.map((postId) =>
      publisher.publish(posts, { postId, author: 'ada', text: `hello ${postId}` }, { messageId: postId }),
    ),
  );
  for (let i = 0; i < 500 && done() < count; i++) await sleep(20);
  return ids;
}

describe('request/reply end to end (GET /posts/:id/preview)', () => {
  it('answers 200 concurrent requests with their typed previews, and an unknown post with RemoteError', async () => {
    const { worker, publisher } = await setUp();
    const ids = await publishPosts(
      publisher,
      200,
      () => worker.stats.snapshot(0).processed + worker.stats.snapshot(0).deadLettered,
    );
    const results = await Promise.allSettled(
      ids.map((postId) => publisher.request(previews, { postId }, { timeoutMs: 20_000 })),
    );
    const answered = results.filter((r) => r.status === 'fulfilled').map((r) => r.value);
    const refused = results.filter((r) => r.status === 'rejected').map((r) => r.reason as RemoteError);
    expect(answered.length + refused.length).toBe(200);
    // The simulation dead-letters some posts: the worker does not know those, every other one is answered.
    expect(answered.length).toBe(worker.stats.snapshot(0).processed);
    for (const preview of answered)
      expect(preview).toEqual({
        postId: preview.postId,
        author: 'ada',
        preview: `hello ${preview.postId}`,
        followers: 0,
      });
    for (const error of refused) expect(error).toMatchObject({ code: 'REMOTE_ERROR', remoteCode: 'POST_NOT_FOUND' });

    const unknown = await publisher.request(previews, { postId: 'nobody' }).catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(RemoteError);
    expect(unknown).toMatchObject({ remoteCode: 'POST_NOT_FOUND', reason: 'non-retryable' });
  });

  it('serves GET /posts/:id/preview: 200 with the preview, 404 for an unknown post', async () => {
    const { worker, publisher } = await setUp();
    // A post the simulation fans out at the first attempt.
    const postId = Array.from({ length: 100 }, (_, i) => `${namespace}-ok${i}`).find((id) => fateOf(id) === 'ok')!;
    const before = worker.stats.snapshot(0).processed;
    await publisher.publish(posts, { postId, author: 'ada', text: 'a post to preview' }, { messageId: postId });
    for (let i = 0; i < 250 && worker.stats.snapshot(0).processed === before; i++) await sleep(20);
    const server = createTimelineService({ publisher, contract: posts, previewContract: previews });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    broker.teardown(() => new Promise((resolve) => server.close(resolve)));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const known = await fetch(`${base}/posts/${postId}/preview`);
    expect(known.status).toBe(200);
    expect(await known.json()).toEqual({ postId, author: 'ada', preview: 'a post to preview', followers: 0 });
    const unknown = await fetch(`${base}/posts/nobody/preview`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: 'POST_NOT_FOUND' });
  });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
