import { componentLogger, healthOf, HEALTH_SEVERITY, type LoggerLike } from '../src';

describe('healthOf', () => {
  it('is ok without reasons', () => {
    expect(healthOf([])).toEqual({ status: 'ok', reasons: [] });
  });

  it('is degraded when every reason is', () => {
    const reasons = [
      { code: 'disconnected', message: 'lost' },
      { code: 'buffer-filling', message: 'filling' },
    ] as const;
    expect(healthOf(reasons)).toEqual({ status: 'degraded', reasons });
  });

  it('is failing as soon as one reason is', () => {
    const reasons = [
      { code: 'paused', message: 'paused' },
      { code: 'stalled', message: 'stuck', queue: 'q' },
    ] as const;
    expect(healthOf(reasons).status).toBe('failing');
  });

  it('rates every code', () => {
    expect(HEALTH_SEVERITY).toEqual({
      connecting: 'degraded',
      disconnected: 'degraded',
      blocked: 'degraded',
      'buffer-filling': 'degraded',
      subscribing: 'degraded',
      paused: 'degraded',
      'stall-unverified': 'degraded',
      'buffer-full': 'failing',
      failed: 'failing',
      closed: 'failing',
      'queue-missing': 'failing',
      stalled: 'failing',
    });
  });
});

describe('componentLogger', () => {
  type Line = [string, object, string | undefined];
  const recorder = (lines: Line[]): LoggerLike => ({
    debug: (fields, message) => lines.push(['debug', fields, message]),
    info: (fields, message) => lines.push(['info', fields, message]),
    warn: (fields, message) => lines.push(['warn', fields, message]),
    error: (fields, message) => lines.push(['error', fields, message]),
  });

  it("uses the logger's child when it has one", () => {
    const lines: Line[] = [];
    const child = recorder(lines);
    const bindings: Record<string, unknown>[] = [];
    const logger: LoggerLike = {
      ...recorder([]),
      child: (b) => {
        bindings.push(b);
        return child;
      },
    };
    componentLogger(logger, { component: 'warren-consumer' }).warn({ queue: 'q' }, 'cancelled');
    expect(bindings).toEqual([{ component: 'warren-consumer' }]);
    expect(lines).toEqual([['warn', { queue: 'q' }, 'cancelled']]);
  });

  it('merges the bindings into every line without a child', () => {
    const lines: Line[] = [];
    const log = componentLogger(recorder(lines), { component: 'warren-publisher' });
    log.info({ url: 'amqp://u:***@h' }, 'connected');
    log.debug({}, 'late');
    expect(lines).toEqual([
      ['info', { component: 'warren-publisher', url: 'amqp://u:***@h' }, 'connected'],
      ['debug', { component: 'warren-publisher' }, 'late'],
    ]);
  });
});
