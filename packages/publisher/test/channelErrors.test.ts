import { Outbound } from '../src/Outbound';
import { culpritOf } from '../src/channelErrors';

const message = (exchange: string, size = 3): Outbound =>
  new Outbound(
    exchange,
    'k',
    Buffer.alloc(size),
    {},
    'id',
    Date.now() + 1000,
    () => undefined,
    () => undefined,
  );

const closed = (code: number, text: string): Error & { code: number } =>
  Object.assign(new Error(`Channel closed by server: ${code} with message "${text}"`), { code });

describe('culpritOf (which unconfirmed messages closed the channel)', () => {
  it('404 names the missing exchange: only its messages fail', () => {
    const culprit = culpritOf(closed(404, "NOT_FOUND - no exchange 'gone' in vhost '/'"))!;
    expect(culprit(message('gone'))).toMatchObject({ code: 'EXCHANGE_NOT_FOUND', replyCode: 404 });
    expect(culprit(message('orders'))).toBeUndefined();
  });

  it('406 over the size limit fails the message of that size', () => {
    const text = 'PRECONDITION_FAILED - message size 20 is larger than configured max size 16';
    const culprit = culpritOf(closed(406, text))!;
    expect(culprit(message('x', 20))).toMatchObject({ code: 'MESSAGE_TOO_LARGE', replyCode: 406 });
    expect(culprit(message('x', 3))).toBeUndefined();
  });

  it('403 on an exchange fails its messages with ACCESS_REFUSED', () => {
    const text = "ACCESS_REFUSED - access to exchange 'secret' in vhost '/' refused for user 'app'";
    const culprit = culpritOf(closed(403, text))!;
    expect(culprit(message('secret'))).toMatchObject({ code: 'ACCESS_REFUSED', replyCode: 403 });
    expect(culprit(message('public'))).toBeUndefined();
  });

  it('a connection loss blames no message: everything is re-sent', () => {
    expect(culpritOf(undefined)).toBeUndefined();
    expect(culpritOf(closed(320, 'CONNECTION_FORCED - closed via management plugin'))).toBeUndefined();
  });
});
