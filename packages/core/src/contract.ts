import type { z } from 'zod';

/**
 * A message contract: where a message goes and what its payload looks like. Shared by the publisher (which
 * validates before sending) and the consumer (which validates on delivery).
 *
 * @example
 * const PostCreated = defineContract({
 *   exchange: 'timeline', routingKey: 'post.created', queue: 'timeline.fanout',
 *   schema: z.object({ postId: z.string(), author: z.string() }),
 * });
 */
export interface MessageContract<
  Schema extends z.ZodType = z.ZodType,
  Reply extends z.ZodType | undefined = z.ZodType | undefined,
> {
  readonly exchange: string;
  readonly routingKey: string;
  readonly schema: Schema;
  /** The work queue that consumes this message, when a consumer subscribes by contract. */
  readonly queue?: string;
  /**
   * Request/reply (`publisher.request()`): the schema of the worker's reply. The worker validates its handler's
   * return value against it before sending; the caller validates what arrives. Without it the reply is untyped.
   * @default none
   */
  readonly reply?: Reply;
}

export type PayloadOf<C extends MessageContract> = z.input<C['schema']>;
export type ParsedPayloadOf<C extends MessageContract> = z.output<C['schema']>;
/** What `publisher.request()` resolves with: the contract's `reply` schema's output (`unknown` without one). */
export type ReplyOf<C extends MessageContract> = [NonNullable<C['reply']>] extends [never]
  ? unknown
  : z.output<NonNullable<C['reply']>>;
/** What a handler of the contract returns for a request: the `reply` schema's input (`unknown` without one). */
export type ReplyInputOf<C extends MessageContract> = [NonNullable<C['reply']>] extends [never]
  ? unknown
  : z.input<NonNullable<C['reply']>>;

export function defineContract<Schema extends z.ZodType, Reply extends z.ZodType | undefined = undefined>(
  contract: MessageContract<Schema, Reply>,
): MessageContract<Schema, Reply> {
  return Object.freeze({ ...contract });
}

/** One problem with a payload, as zod reports it: where (`path`) and what. */
export interface ValidationIssue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly code?: string;
}

/** The outcome of `checkPayload`: the parsed value, or the issues and one line that lists them. */
export type PayloadCheck =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly issues: readonly ValidationIssue[]; readonly summary: string };

/**
 * Validates a payload against a contract's schema. Both ends use it, so the publisher's `ValidationError` and the
 * consumer's `schema-validation` dead letter describe a bad payload in the same words: `path: message; ...`.
 */
export function checkPayload(schema: z.ZodType, payload: unknown): PayloadCheck {
  const parsed = schema.safeParse(payload);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issues = parsed.error.issues.map(({ path, message, code }) => ({ path, message, code }));
  const summary = issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
  return { ok: false, issues, summary };
}
