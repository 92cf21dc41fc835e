import { refused } from '../src/live/declare';
import { TopologyDriftError } from '../src/live/errors';

/** An error shaped like amqplib's when the broker closes a channel. */
const channelError = (code: number, text: string) =>
  Object.assign(new Error(`Channel closed by server: ${code} (PRECONDITION-FAILED) with message "${text}"`), { code });

describe('refused', () => {
  it('names the object, the argument, the live and the wanted value of a 406', () => {
    const error = refused(
      "queue 'orders'",
      channelError(
        406,
        "PRECONDITION_FAILED - inequivalent arg 'x-message-ttl' for queue 'orders' in vhost '/': received '2000' but current is '1000'",
      ),
    );
    expect(error).toMatchObject({ code: 'PRECONDITION_FAILED', replyCode: 406, object: "queue 'orders'" });
    expect(error.message).toContain(
      "queue 'orders': it already exists with x-message-ttl = '1000' but the file wants '2000'",
    );
  });

  it('keeps any other refusal as BROKER_REFUSED with its reply code, passwords masked', () => {
    const error = refused("exchange 'x'", channelError(403, 'ACCESS_REFUSED - amqp://u:secret@h denied'));
    expect(error).toMatchObject({ code: 'BROKER_REFUSED', replyCode: 403 });
    expect(error.message).not.toContain('secret');
  });
});

describe('TopologyDriftError', () => {
  it('lists each drifted property and the way out', () => {
    const plan = {
      vhost: '/',
      brokerVersion: '3.10.8',
      items: [
        {
          kind: 'queue' as const,
          name: 'orders',
          action: 'drift' as const,
          differences: [{ property: 'type', live: 'classic', wanted: 'quorum' }],
        },
      ],
      extra: [],
      hasChanges: false,
      hasDrift: true,
      counts: { create: 0, unchanged: 0, update: 0, drift: 1, delete: 0 },
    };
    const error = new TopologyDriftError(plan);
    expect(error.code).toBe('TOPOLOGY_DRIFT');
    expect(error.drift).toHaveLength(1);
    expect(error.message).toContain(`queue 'orders':\n    type: live "classic", wanted "quorum"`);
    expect(error.message).toContain('Nothing was changed');
  });
});
