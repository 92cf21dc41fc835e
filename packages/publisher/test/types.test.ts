import { z } from 'zod';
import { defineContract } from '@warren/core';
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
});
