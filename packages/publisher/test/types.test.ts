import { z } from 'zod';
import { defineContract, rawCodec, type Codec } from '@warren/core';
import type { Publisher } from '../src';

// Type-level checks (tsc -b type-checks tests): publish() accepts exactly the contract's payload type.
const Contract = defineContract({ exchange: 'x', routingKey: 'k', schema: z.object({ id: z.string() }) });

export function typeChecks(publisher: Publisher): void {
  void publisher.publish(Contract, { id: 'a' });
  // @ts-expect-error wrong field type
  void publisher.publish(Contract, { id: 1 });
  // @ts-expect-error missing field
  void publisher.publish(Contract, {});
  // @ts-expect-error unknown option
  void publisher.publish(Contract, { id: 'a' }, { priorty: 1 });
}

it('publish() is typed by its contract (checked by tsc -b)', () => {
  expect(typeof typeChecks).toBe('function');
  expect(typeof codecTypeChecks).toBe('function');
});

// A codec types the payload when there is no schema: Buffer for rawCodec, the codec's own type otherwise.
const Raw = defineContract({ exchange: 'x', routingKey: 'raw', codec: rawCodec });
const text: Codec<string> = {
  contentType: 'text/plain',
  encode: (value) => Buffer.from(value),
  decode: (body) => body.toString(),
};
const Text = defineContract({ exchange: 'x', routingKey: 'text', codec: text });
const TextWithSchema = defineContract({ exchange: 'x', routingKey: 't', codec: text, schema: z.string().min(1) });

export function codecTypeChecks(publisher: Publisher): void {
  void publisher.publish(Raw, Buffer.from('a'));
  // @ts-expect-error a raw contract sends Buffers
  void publisher.publish(Raw, 'a');
  void publisher.publish(Text, 'a');
  // @ts-expect-error the codec's type
  void publisher.publish(Text, 1);
  void publisher.publish(TextWithSchema, 'a');
  // A contract made with a schema keeps it in its type.
  void Contract.schema.parse({ id: 'a' });
  // @ts-expect-error a JSON contract needs a schema
  defineContract({ exchange: 'x', routingKey: 'k' });
}
