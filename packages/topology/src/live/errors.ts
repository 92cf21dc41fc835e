import { WarrenError } from '@warren/core';
import type { PlanItem, TopologyPlan } from './plan-types';

/**
 * `apply` found a live object whose immutable properties (queue type, durability, x-arguments) differ from the
 * file. Nothing was changed. `plan` holds the full diff; `drift` the offending items.
 */
export class TopologyDriftError extends WarrenError {
  readonly plan: TopologyPlan;
  readonly drift: readonly PlanItem[];

  constructor(plan: TopologyPlan) {
    const drift = plan.items.filter((item) => item.action === 'drift');
    super('TOPOLOGY_DRIFT', driftMessage(drift));
    this.plan = plan;
    this.drift = drift;
  }
}

function driftMessage(drift: readonly PlanItem[]): string {
  const lines = drift.flatMap((item) => [
    `  ${item.kind} '${item.name}':`,
    ...item.differences.map((d) => `    ${d.property}: live ${show(d.live)}, wanted ${show(d.wanted)}`),
  ]);
  return [
    `Refusing to apply: ${drift.length} live object(s) differ from the file in properties RabbitMQ cannot change ` +
      `on an existing object. Nothing was changed.`,
    ...lines,
    `Way out: keep the live value in the file; or declare the object under a new name (e.g. 'orders.v2'), apply, ` +
      `move the messages across with a shovel (the rabbitmq_shovel plugin; the management UI's "Move messages" ` +
      `with rabbitmq_shovel_management) or let the consumers drain the old queue, and delete the old queue ` +
      `deliberately once it is empty. Warren never deletes and re-creates a queue for you: that would lose its ` +
      `messages.`,
  ].join('\n');
}

/** A value as the diff prints it. @internal */
export function show(value: unknown): string {
  return value === undefined ? '(absent)' : JSON.stringify(value);
}

/**
 * The broker refused a declare. `PRECONDITION_FAILED` (406) when an object exists with other properties;
 * `BROKER_REFUSED` otherwise (403 access refused, 404 missing exchange, ...). `replyCode` is the AMQP code.
 */
export class BrokerRefusedError extends WarrenError {
  /** The object the broker refused, e.g. `queue 'orders'`. */
  readonly object: string;
  constructor(object: string, message: string, replyCode: number | undefined, cause: unknown) {
    super(replyCode === 406 ? 'PRECONDITION_FAILED' : 'BROKER_REFUSED', message, { cause, replyCode });
    this.object = object;
  }
}
