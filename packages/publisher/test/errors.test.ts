import { ConnectionConfigError, WarrenError } from '@warren/core';
import * as api from '../src/index';

// Error codes are public API (documented in the README): changing one is a breaking change.
describe('error classes', () => {
  it('are WarrenErrors; the back-pressure family carries retryAfterMs', () => {
    const busy = new api.BrokerBusyError('BROKER_BUSY', 'busy', 2000);
    expect(busy).toBeInstanceOf(api.BackPressureError);
    expect(busy).toBeInstanceOf(WarrenError);
    expect(busy).toMatchObject({ name: 'BrokerBusyError', code: 'BROKER_BUSY', retryAfterMs: 2000 });
    expect(new api.BufferFullError('BUFFER_FULL', 'x', 1000)).toBeInstanceOf(api.BackPressureError);
    expect(new api.BlockedError('BROKER_BLOCKED', 'x', 1000)).toBeInstanceOf(api.BackPressureError);
    expect(new api.PublishTimeoutError('PUBLISH_TIMEOUT', 'x', 1000)).toBeInstanceOf(api.BackPressureError);
    expect(new api.UnroutableError('UNROUTABLE', 'x')).not.toBeInstanceOf(api.BackPressureError);
    expect(new api.MessageTooLargeError('MESSAGE_TOO_LARGE', 'x')).not.toBeInstanceOf(api.BackPressureError);
    expect(new api.ExchangeNotFoundError('EXCHANGE_NOT_FOUND', 'x')).not.toBeInstanceOf(api.BackPressureError);
    expect(api.ConnectionConfigError).toBe(ConnectionConfigError);
  });

  it('keep the cause and the broker reply code', () => {
    const cause = new Error('404');
    const error = new api.ExchangeNotFoundError('EXCHANGE_NOT_FOUND', 'missing', { cause, replyCode: 404 });
    expect(error.cause).toBe(cause);
    expect(error.replyCode).toBe(404);
  });

  it('ValidationError lists the issues', () => {
    const error = new api.ValidationError('bad', [{ path: ['a'], message: 'Required' }]);
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED', issues: [{ path: ['a'], message: 'Required' }] });
  });
});
