import { normaliseArguments } from '../src';

describe('normaliseArguments', () => {
  it('turns numeric strings into integers for integer-valued arguments and policy keys', () => {
    expect(
      normaliseArguments({
        'x-message-ttl': '1000',
        'x-max-length': ' 5 ',
        'max-length-bytes': '2048',
        'delivery-limit': '-1',
      }),
    ).toEqual({ 'delivery-limit': -1, 'max-length-bytes': 2048, 'x-max-length': 5, 'x-message-ttl': 1000 });
  });

  it('compares equal whether the value came as a string or a number', () => {
    expect(normaliseArguments({ 'x-max-priority': '10' })).toEqual(normaliseArguments({ 'x-max-priority': 10 }));
  });

  it('leaves strings of non-numeric arguments alone, even when they look like numbers', () => {
    expect(normaliseArguments({ 'x-dead-letter-routing-key': '1000', 'x-queue-type': 'quorum' })).toEqual({
      'x-dead-letter-routing-key': '1000',
      'x-queue-type': 'quorum',
    });
  });

  it('does not turn a non-integer string into a number', () => {
    expect(normaliseArguments({ 'x-message-ttl': '1.5', 'x-expires': 'soon' })).toEqual({
      'x-expires': 'soon',
      'x-message-ttl': '1.5',
    });
  });

  it('turns boolean strings into booleans for boolean arguments', () => {
    expect(normaliseArguments({ 'x-single-active-consumer': 'true' })).toEqual({ 'x-single-active-consumer': true });
  });

  it('sorts keys, so equal arguments serialise equally', () => {
    const a = normaliseArguments({ b: 1, a: 2 });
    expect(Object.keys(a)).toEqual(['a', 'b']);
    expect(JSON.stringify(a)).toBe(JSON.stringify(normaliseArguments({ a: 2, b: 1 })));
  });

  it('turns structured values into their JSON text', () => {
    expect(normaliseArguments({ 'x-custom': { nested: [1] } })).toEqual({ 'x-custom': '{"nested":[1]}' });
  });
});
