import { createPublisher, retryOnBackPressure, type Publisher } from '../src';
import { fakePublisher } from './fakes';

// Every options object of the publisher rejects a key it does not know (INVALID_OPTION, with a "did you mean"),
// instead of ignoring it: `publishRaw(..., { delayMs: 5000 })` must not send the message at once as if it existed.
let publisher: Publisher;
beforeEach(() => void ({ publisher } = fakePublisher()));
afterEach(() => publisher.close({ timeoutMs: 0 }));

const URLS = 'amqp://127.0.0.1:1';
const CONTRACT = { exchange: 'x', routingKey: 'k' } as never;
const cases: [string, () => unknown, RegExp][] = [
  ['createPublisher()', () => createPublisher({ urls: URLS, timeoutMS: 5 } as never), /did you mean "timeoutMs"/],
  [
    'createPublisher() (connection)',
    () => createPublisher({ urls: URLS, heartbeatSecond: 5 } as never),
    /"heartbeatSeconds"/,
  ],
  [
    'publish()',
    () => publisher.publish(CONTRACT, {} as never, { messageID: 'a' } as never),
    /did you mean "messageId"/,
  ],
  [
    'publish() (a publishRaw option)',
    () => publisher.publish(CONTRACT, {} as never, { contentEncoding: 'gzip' } as never),
    /publish\(\) option "contentEncoding"/,
  ],
  [
    'publishRaw()',
    () => publisher.publishRaw('x', 'k', {}, { delayMs: 5_000 } as never),
    /publishRaw\(\) option "delayMs"; did you mean "delay"\?$/,
  ],
  [
    'publishRaw() (typo)',
    () => publisher.publishRaw('x', 'k', {}, { contentTyp: 'a' } as never),
    /did you mean "contentType"/,
  ],
  ['close()', () => publisher.close({ timeout: 1 } as never), /did you mean "timeoutMs"/],
  [
    'retryOnBackPressure()',
    () => retryOnBackPressure(async () => 1, { signa: undefined, maxElapsed: 1 } as never),
    /did you mean "maxElapsedMs"/,
  ],
];

describe('unknown option keys (publisher)', () => {
  it.each(cases)('%s rejects an unknown key with INVALID_OPTION', async (_name, call, message) => {
    const outcome = await (async () => call())().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(outcome).toMatchObject({ code: 'INVALID_OPTION', message: expect.stringMatching(message) });
  });

  it('ignores an unknown key whose value is undefined: it sets nothing', async () => {
    const { publisher: other, manager } = fakePublisher();
    const channel = (await manager.connect()).channel;
    const sent = other.publishRaw('x', 'k', {}, { messageId: 'm', delayMs: undefined } as never);
    channel.ack(1);
    await expect(sent).resolves.toEqual({ messageId: 'm' });
    await other.close({ timeoutMs: 0 });
  });
});
