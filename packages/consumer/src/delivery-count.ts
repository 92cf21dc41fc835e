/** The broker's count of earlier deliveries of a message (quorum queues; classic queues do not count). */
export const DELIVERY_COUNT_HEADER = 'x-delivery-count';

/** `x-delivery-count`, 0 when absent or unreadable (a first delivery, or a classic queue). @internal */
export function deliveryCountOf(headers: Readonly<Record<string, unknown>> | undefined): number {
  const raw = headers?.[DELIVERY_COUNT_HEADER];
  const n = typeof raw === 'number' ? raw : Number(raw);
  return Number.isInteger(n) && n >= 0 ? n : 0;
}
