import { EventEmitter } from 'node:events';
import { describeError, type ConnectedEvent, type DisconnectedEvent, type WarrenError } from '@warren/core';
import { nextTick, type ScheduleDefinition } from '@warren/topology';
import type { Lease } from './Lease';
import type { ResolvedSchedulerOptions } from './options';
import { planTicks } from './planTicks';
import { newest, type Cursors, type TickLog } from './TickLog';

/** A tick published (confirmed by the broker). */
export interface TickEvent {
  readonly schedule: string;
  /** The tick's due time. */
  readonly tickAt: Date;
  /** `<schedule>@<tickAt ISO>`: the same for every replica, so a tick fired twice is a detectable duplicate. */
  readonly messageId: string;
  /** How late it was published, in milliseconds after `tickAt`. */
  readonly lateMs: number;
}

/** One schedule as this process sees it. */
export interface ScheduleStatus {
  readonly name: string;
  readonly next: Date | undefined;
  /** The newest tick this process fired or skipped, when it leads or led. */
  readonly last: Date | undefined;
}

/** The scheduler's events (never `'error'`). */
export interface SchedulerEvents {
  /** This process took the lease: it fires the ticks from now on. */
  leading: [];
  /** It lost or gave up the lease: another replica (or none until one connects) fires the ticks. */
  following: [{ reason: string }];
  tick: [TickEvent];
  /** Missed ticks the schedule's `catchUp` policy did not fire. */
  skipped: [{ schedule: string; count: number }];
  /** A tick could not be published (payload function threw, contract check failed, publish timed out). */
  tickFailed: [{ schedule: string; messageId: string; error: unknown }];
  /** Something unexpected went wrong between ticks (e.g. a listener threw); the timer carries on. */
  warning: [{ message: string; error: unknown }];
  connected: [ConnectedEvent];
  disconnected: [DisconnectedEvent];
  /** The connection cannot succeed (wrong credentials, missing vhost): the scheduler stopped trying. */
  failed: [WarrenError];
}

const LOG_TIMEOUT_MS = 5_000; // tick log operations: bounded, so a silent connection cannot stall the timer
const MAX_SLEEP_MS = 30_000; // look at the clock at least this often: wall-clock jumps and sleeps are noticed

/**
 * Fires the topology's schedules from whichever replica holds the lease (see `Lease`). The leader looks at the
 * clock at each due time (and at least every 30 s), plans the due ticks with the catch-up policy, checks it still
 * holds the lease, publishes each tick with a confirm and a deterministic `messageId`, then records the cursors in
 * the tick log for the next leader.
 */
export class Scheduler extends EventEmitter<SchedulerEvents> {
  private cursors: Cursors = {};
  private term = 0;
  /** The term close() ended: the pass under way still records its cursors (the lease is released after it). */
  private closedTerm: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private pass: Promise<void> = Promise.resolve();
  private closing: Promise<void> | undefined;

  /** @internal */
  constructor(
    private readonly options: ResolvedSchedulerOptions,
    private readonly lease: Lease,
    private readonly log: TickLog,
  ) {
    super();
    lease.on('acquired', () => this.lead());
    lease.on('lost', ({ reason }) => this.follow(reason));
    lease.on('connected', (event) => this.emit('connected', event));
    lease.on('disconnected', (event) => this.emit('disconnected', event));
    lease.on('failed', (error) => this.emit('failed', error));
  }

  /** Whether this process fires the ticks now. */
  get isLeading(): boolean {
    return this.lease.isLeading;
  }

  /** This process's name on the lease queue (the consumer tag `warren schedules` shows): `host:pid:random`. */
  get identity(): string {
    return this.options.identity;
  }

  /** Each schedule with its next tick after `now`. */
  status(now: Date = new Date()): ScheduleStatus[] {
    return Object.entries(this.options.schedules).map(([name, schedule]) => {
      const last = this.cursors[name];
      return { name, next: nextTick(schedule, now), last: last === undefined ? undefined : new Date(last) };
    });
  }

  /**
   * Gives the lease to another replica, waits for a tick being published, closes the lease's connection (not the
   * publisher, which the caller owns). Idempotent.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.closedTerm = this.term;
      this.term += 1;
      clearTimeout(this.timer);
      await this.pass;
      await this.lease.close();
    })();
    return this.closing;
  }

  private lead(): void {
    // The lease can reach a scheduler that is closing (another replica just released it): it fires nothing.
    if (this.closing !== undefined) return;
    const term = ++this.term;
    this.emit('leading');
    this.step(term, () => this.takeOver(term));
  }

  private follow(reason: string): void {
    this.term += 1;
    clearTimeout(this.timer);
    this.emit('following', { reason });
  }

  private async takeOver(term: number): Promise<void> {
    const channel = this.lease.confirmChannel;
    if (channel === undefined || term !== this.term) return;
    try {
      await this.log.declare(channel, LOG_TIMEOUT_MS);
      this.cursors = newest(this.cursors, await this.log.read(channel, LOG_TIMEOUT_MS));
    } catch {
      return; // the connection went: 'lost' follows
    }
    await this.evaluate(term);
  }

  private async evaluate(term: number): Promise<void> {
    if (term !== this.term) return;
    const now = new Date();
    const plans = Object.entries(this.options.schedules).map(([name, schedule]) => {
      const cursor = this.cursors[name];
      return {
        name,
        schedule,
        plan: planTicks(schedule, cursor === undefined ? undefined : new Date(cursor), now, this.options.lateAfterMs),
      };
    });
    const moved = plans.some(
      ({ name, plan }) => plan.cursor !== undefined && plan.cursor.toISOString() !== this.cursors[name],
    );
    if (moved) {
      if (!(await this.lease.confirm()) || term !== this.term) return;
      for (const { name, schedule, plan } of plans) {
        let fired = 0;
        for (const tickAt of plan.fire) {
          if (term !== this.term) break; // close() or a lost lease: the rest is the next leader's
          await this.fire(name, schedule, tickAt);
          fired += 1;
        }
        if (fired === 0 && plan.fire.length > 0) continue;
        if (plan.skipped > 0) this.emit('skipped', { schedule: name, count: plan.skipped });
        // Interrupted: the cursor stops at the last tick sent, so the next leader sends the rest, and only the rest.
        const cursor = fired < plan.fire.length ? plan.fire[fired - 1] : plan.cursor;
        if (cursor !== undefined) this.cursors[name] = cursor.toISOString();
      }
      await this.record(term);
    }
    this.arm(term);
  }

  private async fire(name: string, schedule: ScheduleDefinition, tickAt: Date): Promise<void> {
    const messageId = `${name}@${tickAt.toISOString()}`;
    try {
      const payload = await this.payloadOf(name, schedule, tickAt);
      const options = {
        messageId,
        timeoutMs: this.options.publishTimeoutMs,
        headers: { 'x-warren-schedule': name, 'x-warren-tick': tickAt.toISOString() },
      };
      const contract = schedule.contract === undefined ? undefined : this.options.contracts[schedule.contract];
      const { publisher } = this.options;
      if (contract !== undefined) await publisher.publish(contract, payload as never, options);
      else await publisher.publishRaw(schedule.exchange ?? '', schedule.routingKey, payload, options);
      this.emit('tick', { schedule: name, tickAt, messageId, lateMs: Date.now() - tickAt.getTime() });
    } catch (error) {
      this.emit('tickFailed', { schedule: name, messageId, error });
    }
  }

  private async payloadOf(name: string, schedule: ScheduleDefinition, tickAt: Date): Promise<unknown> {
    const factory = this.options.payloads[name];
    if (factory !== undefined) return await factory({ schedule: name, tickAt });
    return schedule.payload ?? {};
  }

  /** Cursors go to the tick log on the lease's connection: a leader that lost it cannot overwrite its successor's. */
  private async record(term: number): Promise<void> {
    const channel = this.lease.confirmChannel;
    // Ticks published before close() began must be in the log, or the next leader sends them again.
    if (channel === undefined || (term !== this.term && term !== this.closedTerm)) return;
    await this.log.write(channel, this.cursors, LOG_TIMEOUT_MS).catch((error: unknown) => {
      this.emit('warning', { message: `tick log not written: ${describeError(error)}`, error });
    });
  }

  private arm(term: number): void {
    if (term !== this.term) return;
    const now = Date.now();
    const nexts = Object.values(this.options.schedules)
      .map((schedule) => nextTick(schedule, new Date(now))?.getTime())
      .filter((at): at is number => at !== undefined);
    const wait = Math.min(MAX_SLEEP_MS, ...nexts.map((at) => at - now));
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.step(term, () => this.evaluate(term)), Math.max(0, wait));
  }

  /** Runs one step after the previous one; a step that throws is reported and the timer re-armed (never stuck). */
  private step(term: number, run: () => Promise<void>): void {
    this.pass = this.pass.then(run).catch((error: unknown) => {
      this.emit('warning', { message: `scheduler step failed: ${describeError(error)}`, error });
      this.arm(term);
    });
  }
}
