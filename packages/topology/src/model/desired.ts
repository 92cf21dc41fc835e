/**
 * The desired state derived from a topology file: every object Warren will declare, in broker terms.
 * `deriveTopology()` produces it; `plan`/`apply` compare it with the live broker; the consumer reads a work
 * queue's layout (retry tiers, dead-letter queue) from it.
 */
export type QueueType = 'quorum' | 'classic';
export type ExchangeType = 'direct' | 'topic' | 'fanout' | 'headers';
/** `delay`: a level of the shared delay ladder (owner `warren.delay`). */
export type QueueRole = 'work' | 'retry' | 'dead-letter' | 'delay';
export type ArgumentValue = string | number | boolean;

export interface ExchangeSpec {
  readonly name: string;
  readonly type: ExchangeType;
  readonly durable: boolean;
  readonly autoDelete: boolean;
  readonly internal: boolean;
  /** Normalised `x-` arguments (integers as integers). */
  readonly arguments: Readonly<Record<string, ArgumentValue>>;
}

export interface QueueSpec {
  readonly name: string;
  readonly type: QueueType;
  readonly durable: boolean;
  readonly autoDelete: boolean;
  readonly exclusive: boolean;
  /** The immutable `x-` arguments the queue is declared with, `x-queue-type` included, normalised. */
  readonly arguments: Readonly<Record<string, ArgumentValue>>;
  readonly role: QueueRole;
  /** The work queue a retry tier or dead-letter queue belongs to (itself for a work queue). */
  readonly owner: string;
}

export interface BindingSpec {
  readonly source: string;
  readonly destination: string;
  readonly destinationType: 'queue' | 'exchange';
  readonly routingKey: string;
  readonly arguments: Readonly<Record<string, ArgumentValue>>;
}

/**
 * A Warren-owned policy holding the mutable settings shared by `queues` (every work queue of the file with exactly
 * this definition and type, or a chunk of them); `apply-to` is chosen per broker version at apply time.
 */
export interface PolicySpec {
  /** `warren.<definition hash>.<first queue hash>` (see `policyName`). */
  readonly name: string;
  /** `^(?:a|b|c)$`: an anchored alternation of the escaped queue names, at most `POLICY_PATTERN_MAX_BYTES`. */
  readonly pattern: string;
  /** The queues the pattern names (work queues, or quorum dead-letter queues), sorted. */
  readonly queues: readonly string[];
  readonly queueType: QueueType;
  readonly priority: number;
  /** Policy keys as the broker names them: `message-ttl`, `max-length`, `max-length-bytes`, `overflow`, `delivery-limit`, ... */
  readonly definition: Readonly<Record<string, ArgumentValue>>;
}

export interface RetryTier {
  readonly delayMs: number;
  readonly queue: string;
}

/** What the consumer needs to know about a work queue. */
export interface WorkQueueLayout {
  readonly queue: string;
  readonly type: QueueType;
  /** In order: the first failure goes to tier 0. Empty when retries are off. */
  readonly retryTiers: readonly RetryTier[];
  /** Null when `deadLetter: false`. */
  readonly deadLetterQueue: string | null;
  readonly deadLetterExchange: string | null;
}

export interface DesiredTopology {
  readonly exchanges: readonly ExchangeSpec[];
  readonly queues: readonly QueueSpec[];
  readonly bindings: readonly BindingSpec[];
  readonly policies: readonly PolicySpec[];
  readonly workQueues: readonly WorkQueueLayout[];
}
