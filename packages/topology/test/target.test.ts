import { resolveTarget } from '../src/live/target';

describe('resolveTarget', () => {
  it('derives the management URL and vhost from the first AMQP URL of a cluster list', () => {
    const resolved = resolveTarget({ amqpUrl: 'amqp://u:p@node1:5672/prod, amqp://u:p@node2:5672/prod' });
    expect(resolved.urls).toEqual(['amqp://u:p@node1:5672/prod', 'amqp://u:p@node2:5672/prod']);
    expect(resolved.vhost).toBe('prod');
    expect(resolved.management.vhost).toBe('prod');
  });

  it('points every AMQP URL at an explicit vhost, `/` encoded', () => {
    expect(resolveTarget({ amqpUrl: 'amqp://u:p@h/other', vhost: '/' }).urls).toEqual(['amqp://u:p@h/%2F']);
    expect(resolveTarget({ amqpUrl: 'amqp://u:p@h', vhost: 'a/b' }).urls).toEqual(['amqp://u:p@h/a%2Fb']);
    expect(resolveTarget({ amqpUrl: 'amqp://u:p@h' }).urls).toEqual(['amqp://u:p@h']);
  });

  it('fails with INVALID_URL when no URL is given', () => {
    expect(() => resolveTarget({ amqpUrl: ' , ' })).toThrow(expect.objectContaining({ code: 'INVALID_URL' }));
  });
});

describe('resolveTarget validates every URL up front', () => {
  const invalid = (target: Parameters<typeof resolveTarget>[0]) => {
    try {
      resolveTarget(target);
    } catch (error) {
      return error as { code?: string; message: string };
    }
    throw new Error('resolveTarget accepted it');
  };

  it('refuses an http:// AMQP URL as a wrong scheme, naming the option', () => {
    const error = invalid({ amqpUrl: 'http://guest:guest@127.0.0.1:15672' });
    expect(error.code).toBe('INVALID_URL');
    expect(error.message).toMatch(/--url \/ AMQP_URL/);
    expect(error.message).toMatch(/scheme 'http:'/);
  });

  it('refuses garbage with INVALID_URL, password masked', () => {
    const error = invalid({ amqpUrl: 'amqp://guest:s3cret@[nonsense' });
    expect(error.code).toBe('INVALID_URL');
    expect(error.message).not.toContain('s3cret');
  });

  it('refuses an amqp:// management URL, naming --management-url', () => {
    const error = invalid({ amqpUrl: 'amqp://h', managementUrl: 'amqp://h:15672' });
    expect(error.code).toBe('INVALID_URL');
    expect(error.message).toMatch(/--management-url/);
  });
});
