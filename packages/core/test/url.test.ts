import { redactText, redactUrl } from '@warren/core';

// A password may hold an unencoded `@`: WHATWG URL parsing ends the userinfo at the last `@` before the host.
describe('redactUrl', () => {
  it('masks a password holding an unencoded @', () => {
    expect(redactUrl('amqp://guest:s3cr@tPw@rabbit.example:5672/vh')).toBe('amqp://guest:***@rabbit.example:5672/vh');
  });

  it('masks an ordinary password and keeps a URL without one as it is', () => {
    expect(redactUrl('amqps://app:hunter2@h')).toBe('amqps://app:***@h');
    expect(redactUrl('amqp://localhost:5672')).toBe('amqp://localhost:5672');
    expect(redactUrl('http://user@h:15672')).toBe('http://user@h:15672');
  });

  it('masks what it can in text that is not a URL', () => {
    expect(redactText(redactUrl('not a url amqp://u:p@ss@h x'))).not.toContain('p@ss');
  });
});

describe('redactText', () => {
  it('masks every URL in free text, a password with @ included', () => {
    const text = 'connect amqp://guest:s3cr@tPw@h1:5672 failed; tried http://a:b@c@h2:15672/api too';
    const masked = redactText(text);
    expect(masked).toBe('connect amqp://guest:***@h1:5672 failed; tried http://a:***@h2:15672/api too');
  });
});
