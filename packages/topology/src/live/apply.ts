import type { ChannelModel } from 'amqplib';
import type { DesiredTopology } from '../model/desired';
import { declareBinding, declareExchange, declareQueue, runTasks, type AmqpTask } from './declare';
import { diffTopology } from './diff';
import { inParallel } from './in-parallel';
import { readLiveTopology } from './read';
import { ManagementApiError, type LivePolicy, type ManagementClient } from './management';
import type { PlanOptions } from './plan';
import type { PlanItem, TopologyPlan } from './plan-types';
import { policyBody } from './policy-body';
import { resolveTarget, type TopologyTarget } from './target';
import { TopologyDriftError } from './errors';
import { openAmqp } from './open-amqp';

export interface ApplyOptions extends PlanOptions {
  /**
   * Plan only: read the vhost and return the plan with `changes` empty, changing nothing (`warren apply --dry-run`
   * equals `warren plan`). Drift still throws `TopologyDriftError`.
   * @default false
   */
  readonly dryRun?: boolean;
  /**
   * Called after each change is made (a policy set or deleted, an object declared), for a progress bar.
   * @default none
   */
  readonly onProgress?: (progress: ApplyProgress) => void;
  /**
   * Stops the apply between changes: the changes in flight finish, no new one starts, and the result says how far it
   * got (`interrupted`). Apply is idempotent: running it again continues where it stopped.
   * @default none: runs to the end
   */
  readonly signal?: AbortSignal;
}

/** How far an apply is. */
export interface ApplyProgress {
  /** Changes made so far. */
  readonly done: number;
  /** Changes the plan holds. */
  readonly total: number;
}

export interface ApplyResult {
  /** The plan apply acted on (read before any change). */
  readonly plan: TopologyPlan;
  /** False on a second run: nothing to do. */
  readonly changed: boolean;
  readonly dryRun: boolean;
  /** The items created, updated or deleted (all of the plan's changes; none when `dryRun`). */
  readonly changes: readonly PlanItem[];
  /** Set when `signal` stopped the apply: how many of the plan's changes were made. */
  readonly interrupted?: ApplyProgress;
  readonly counts: {
    readonly created: number;
    readonly updated: number;
    readonly deleted: number;
    readonly unchanged: number;
  };
}

/**
 * Makes the live vhost match the desired topology, idempotently:
 * 1. plan (management API); any drift → `TopologyDriftError`, nothing changed;
 * 2. open the AMQP connection: every URL was checked and every endpoint answered before the first write;
 * 3. create/update/delete Warren policies (`warren.<hash>.<hash>`, one per distinct set of limits) over the
 *    management API;
 * 4. declare missing exchanges, then queues, then bindings over AMQP (one connection, parallel channels).
 * Never deletes a queue or an exchange: changing a queue's mutable settings goes through its policy, so no message
 * is lost.
 */
export async function applyTopology(
  desired: DesiredTopology,
  target: TopologyTarget,
  options: ApplyOptions = {},
): Promise<ApplyResult> {
  const { management, vhost, urls, tls } = resolveTarget(target);
  const live = await readLiveTopology(management);
  const plan = diffTopology(desired, live, { vhost, prunePolicies: options.prunePolicies ?? false });
  if (plan.hasDrift) throw new TopologyDriftError(plan);
  const changes = plan.items.filter((item) => item.action !== 'unchanged');
  const dryRun = options.dryRun ?? false;
  if (dryRun || changes.length === 0) return result(plan, [], dryRun);
  const progress = tracker(changes.length, options.onProgress);
  const model = await openAmqp(urls, 'warren-topology', tls);
  try {
    // Policies first: a queue is then born with its limits, and setting a policy costs the broker a scan of the
    // vhost's queues plus an update of each matching one (~40 ms) — far less when the queue does not exist yet.
    await applyPolicies(management, plan, changes, progress, options.signal);
    await declareMissing(model, changes, progress, options.signal);
  } finally {
    await model.close().catch(() => undefined);
  }
  const interrupted = options.signal?.aborted === true && progress.done < changes.length;
  return result(plan, changes, false, interrupted ? { done: progress.done, total: changes.length } : undefined);
}

interface Tracker {
  done: number;
  readonly step: (count?: number) => void;
}

function tracker(total: number, onProgress: ApplyOptions['onProgress']): Tracker {
  const state: Tracker = {
    done: 0,
    step: (count = 1) => {
      state.done += count;
      onProgress?.({ done: state.done, total });
    },
  };
  return state;
}

async function declareMissing(
  model: ChannelModel,
  changes: readonly PlanItem[],
  progress: Tracker,
  signal: AbortSignal | undefined,
): Promise<void> {
  const phases: AmqpTask[][] = [[], [], []];
  for (const item of changes) {
    if (item.action !== 'create' || !item.spec) continue;
    if (item.kind === 'exchange') phases[0]?.push(declareExchange(item.spec));
    if (item.kind === 'queue') phases[1]?.push(declareQueue(item.spec));
    if (item.kind === 'binding') phases[2]?.push(declareBinding(item.spec));
  }
  // Exchanges and queues must exist before the bindings between them.
  for (const phase of phases) {
    if (signal?.aborted) return;
    await runTasks(model, phase, { onDone: () => progress.step(), ...(signal ? { signal } : {}) });
  }
}

async function applyPolicies(
  management: ManagementClient,
  plan: TopologyPlan,
  changes: readonly PlanItem[],
  progress: Tracker,
  signal: AbortSignal | undefined,
) {
  const policies = changes.filter((item) => item.kind === 'policy');
  const puts = policies.filter((item) => item.action !== 'delete');
  // One bulk request is ~5x faster than a PUT per policy; if it fails (a refused definition, or a user without
  // the administrator tag), the per-policy PUTs below redo it and name the policy the broker refuses.
  const bulk =
    puts.length === 0 ||
    (await management.putPolicies(puts.map((item) => body(item, plan))).then(
      () => true,
      () => false,
    ));
  if (bulk && puts.length > 0) progress.step(puts.length);
  await inParallel(bulk ? policies.filter((item) => item.action === 'delete') : policies, 8, async (item) => {
    if (signal?.aborted) return;
    try {
      if (item.action === 'delete') await management.deletePolicy(item.name);
      else await management.putPolicy(body(item, plan));
      progress.step();
    } catch (error) {
      throw policyError(item, error);
    }
  });
}

function body(item: PlanItem, plan: TopologyPlan): Omit<LivePolicy, 'vhost'> {
  if (item.kind !== 'policy' || !item.spec) throw new Error(`internal: no policy spec for ${item.name}`);
  return policyBody(item.spec, plan.brokerVersion);
}

function policyError(item: PlanItem, error: unknown): unknown {
  if (!(error instanceof ManagementApiError)) return error;
  const verb = item.action === 'delete' ? 'delete' : 'set';
  const wanted = item.kind === 'policy' && item.spec ? ` with ${JSON.stringify(item.spec.definition)}` : '';
  return new ManagementApiError(`Cannot ${verb} policy '${item.name}'${wanted}: ${error.message}`, error.status, {
    cause: error,
  });
}

function result(
  plan: TopologyPlan,
  changes: readonly PlanItem[],
  dryRun: boolean,
  interrupted?: ApplyProgress,
): ApplyResult {
  return {
    plan,
    changed: changes.length > 0,
    dryRun,
    changes,
    ...(interrupted ? { interrupted } : {}),
    counts: {
      created: plan.counts.create,
      updated: plan.counts.update,
      deleted: plan.counts.delete,
      unchanged: plan.counts.unchanged,
    },
  };
}
