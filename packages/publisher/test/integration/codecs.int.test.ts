import { decode, encode } from '@msgpack/msgpack';
import { z } from 'zod';
import { defineContract, rawCodec, type Codec } from '@warren/core';
import { queueDepth, useBroker } from '@warren/testing';
import { ValidationError } from '../../src';
import { countById, declareRoute, openPublisher, rawChannel, sleep, watchForStrayErrors } from './helpers';

const broker = useBroker();
const stray = watchForStrayErrors();

const msgpack: Codec = {
  contentType: 'application/msgpack',
  encode: (value) => Buffer.from(encode(value)),
  decode: (body) => decode(body),
};

describe('publishing with a codec', () => {
  it('sends a MessagePack contract as MessagePack, validated first; an invalid payload sends nothing', async () => {
    const channel = await rawChannel(broker);
    const { exchange, queue, routingKey } = await declareRoute(broker, channel);
    const schema = z.object({ id: z.string(), tags: z.array(z.string()) });
    const Tagged = defineContract({ exchange, routingKey, codec: msgpack, schema });
    const publisher = openPublisher(broker, stray);

    await expect(publisher.publish(Tagged, { id: 'a', tags: [1] } as never)).rejects.toBeInstanceOf(ValidationError);
    const { messageId } = await publisher.publish(Tagged, { id: 'a', tags: ['x', 'y'] });

    const { messages } = await countById(channel, queue, 1, 10_000);
    await sleep(200);
    expect(await queueDepth(broker.amqpUrl, queue)).toBe(0);
    expect(messages[0]!.properties).toMatchObject({ messageId, contentType: 'application/msgpack' });
    expect(decode(messages[0]!.content)).toEqual({ id: 'a', tags: ['x', 'y'] });
  });

  it('sends the bytes of a raw contract unchanged', async () => {
    const channel = await rawChannel(broker);
    const { exchange, queue, routingKey } = await declareRoute(broker, channel);
    const Bytes = defineContract({ exchange, routingKey, codec: rawCodec });
    const publisher = openPublisher(broker, stray);
    const body = Buffer.from([0, 255, 1, 254]);
    await publisher.publish(Bytes, body, { headers: { kind: 'thumbnail' } });
    const { messages } = await countById(channel, queue, 1, 10_000);
    expect(messages[0]!.content).toEqual(body);
    expect(messages[0]!.properties).toMatchObject({
      contentType: 'application/octet-stream',
      headers: { kind: 'thumbnail' },
    });
  });
});
