import { checkPayload, type MessageContract } from '@warren/core';
import { ValidationError } from './errors';

/**
 * @internal A promise rejected with `ValidationError` when the payload fails its contract's schema (nothing is
 * sent), else undefined. `publish` and `request` both check this way.
 */
export function badPayload(contract: MessageContract, payload: unknown): Promise<never> | undefined {
  const checked = checkPayload(contract.schema, payload);
  if (checked.ok) return undefined;
  const where = `${contract.exchange || '(default exchange)'} / ${contract.routingKey}`;
  const message = `Payload for ${where} does not match its contract: ${checked.summary}`;
  return Promise.reject(new ValidationError(message, checked.issues));
}
