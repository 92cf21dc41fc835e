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
