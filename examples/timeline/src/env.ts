import { splitUrls } from '@warren/core';
import { DEFAULT_NAMESPACE, timelineNames, type TimelineNames } from './contracts';

/** The local broker every Warren command defaults to. */
export const DEFAULT_AMQP_URL = 'amqp://guest:guest@127.0.0.1:5672';

/** Settings the service and the worker read from their environment (the demo passes them to its children). */
export interface ExampleEnv {
  readonly amqpUrls: string[];
  readonly names: TimelineNames;
  readonly namespace: string;
}

export function readEnv(env: NodeJS.ProcessEnv = process.env): ExampleEnv {
  const namespace = env.TIMELINE_NAMESPACE || DEFAULT_NAMESPACE;
  return { amqpUrls: splitUrls(env.AMQP_URL || DEFAULT_AMQP_URL), names: timelineNames(namespace), namespace };
}

/** A number from the environment, or the default when unset. */
export function numberFromEnv(value: string | undefined, fallback: number): number {
  const parsed = value === undefined || value === '' ? NaN : Number(value);
  return Number.isFinite(parsed) ? parsed : fallback;
}
