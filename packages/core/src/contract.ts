import type { z } from 'zod';
import { jsonCodec, type Codec, type CodecValue } from './codec';
import { WarrenError } from './errors';

/**
 * A message contract: where a message goes and what its payload looks like. Shared by the publisher (which
 * validates before sending) and the consumer (which validates on delivery).
 *
 * @example
 * const PostCreated = defineContract({
 *   exchange: 'timeline', routingKey: 'post.created', queue: 'timeline.fanout',
 *   schema: z.object({ postId: z.string(), author: z.string() }),
 * });
 * // Bytes: the handler gets a Buffer; or a codec of your own ({ contentType, encode, decode }), with or without a schema.
 * const Thumbnail = defineContract({ exchange: '', routingKey: 'thumbnails', queue: 'thumbnails', codec: rawCodec });
 */
export interface MessageContract<
  Schema extends z.ZodType | undefined = z.ZodType | undefined,
  Value = unknown,
  Reply extends z.ZodType | undefined = z.ZodType | undefined,
> {
  readonly exchange: string;
  readonly routingKey: string;
  /** Validates the payload on both ends (after decoding on the consumer). Required with JSON, optional otherwise. */
  readonly schema?: Schema;
  /**
   * How the payload is encoded (see `Codec`): `jsonCodec`, `rawCodec` or your own.
   * @default jsonCodec
   */
  readonly codec?: Codec<Value>;
  /** The work queue that consumes this message, when a consumer subscribes by contract. */
  readonly queue?: string;
  /**
   * Request/reply (`publisher.request()`): the schema of the worker's reply. The worker validates its handler's
   * return value against it before sending; the caller validates what arrives. Without it the reply is untyped.
   * @default none
   */
  readonly reply?: Reply;
}

/** What `publish` takes: the schema's input type; without a schema, the codec's value type. */
export type PayloadOf<C extends MessageContract> = [NonNullable<C['schema']>] extends [never]
  ? CodecValue<NonNullable<C['codec']>>
  : z.input<NonNullable<C['schema']>>;
/** What the handler gets: the schema's output type; without a schema, the codec's value type. */
export type ParsedPayloadOf<C extends MessageContract> = [NonNullable<C['schema']>] extends [never]
  ? CodecValue<NonNullable<C['codec']>>
  : z.output<NonNullable<C['schema']>>;
/** What `publisher.request()` resolves with: the contract's `reply` schema's output (`unknown` without one). */
export type ReplyOf<C extends MessageContract> = [NonNullable<C['reply']>] extends [never]
  ? unknown
  : z.output<NonNullable<C['reply']>>;
/** What a handler of the contract returns for a request: the `reply` schema's input (`unknown` without one). */
export type ReplyInputOf<C extends MessageContract> = [NonNullable<C['reply']>] extends [never]
  ? unknown
  : z.input<NonNullable<C['reply']>>;

/** The fields of a contract without its schema, codec and reply schema. */
type ContractFields = Omit<MessageContract, 'schema' | 'codec' | 'reply'>;

/** A JSON contract (or any codec) with a zod schema: the payload type is the schema's. */
export function defineContract<
  Schema extends z.ZodType,
  Value = unknown,
  Reply extends z.ZodType | undefined = undefined,
>(
  contract: ContractFields & { readonly schema: Schema; readonly codec?: Codec<Value>; readonly reply?: Reply },
): MessageContract<Schema, Value, Reply> & { readonly schema: Schema };
/** A contract with a codec and no schema: the payload type is the codec's (`Buffer` for `rawCodec`). */
export function defineContract<Value, Reply extends z.ZodType | undefined = undefined>(
  contract: ContractFields & { readonly schema?: undefined; readonly codec: Codec<Value>; readonly reply?: Reply },
): MessageContract<undefined, Value, Reply>;
export function defineContract(contract: MessageContract): MessageContract {
  if (contract.schema === undefined && (contract.codec ?? jsonCodec) === jsonCodec) {
    throw new WarrenError(
      'INVALID_OPTION',
      `The JSON contract for '${contract.exchange || '(default exchange)'}' / '${contract.routingKey}' has no ` +
        'schema: give it a zod schema (z.unknown() accepts anything), or a codec (rawCodec for Buffers).',
    );
  }
  return Object.freeze({ ...contract });
}

/** The codec of a contract (JSON unless it names one). */
export function codecOf(contract: MessageContract): Codec {
  return contract.codec ?? jsonCodec;
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
  return { ok: false, issues, summary: summaryOf(issues) };
}

/** @internal Issues in one line: `path: message; ...`. */
export function summaryOf(issues: readonly ValidationIssue[]): string {
  return issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
}
