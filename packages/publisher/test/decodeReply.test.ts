import type { Message } from 'amqplib';
import { z } from 'zod';
import { REPLY } from '@warren/core';
import { decodeReply } from '../src/decodeReply';
import { InvalidReplyError, RemoteError } from '../src';

function reply(body: unknown, status?: string): Message {
  const content = Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
  return { content, fields: {}, properties: { headers: status ? { [REPLY.statusHeader]: status } : {} } } as Message;
}

const Preview = z.object({ id: z.number() });

describe('decodeReply', () => {
  it('gives the value, checked by the reply schema when there is one', () => {
    expect(decodeReply(reply({ id: 1 }), Preview)).toEqual({ ok: true, value: { id: 1 } });
    expect(decodeReply(reply({ anything: true }), undefined)).toEqual({ ok: true, value: { anything: true } });
    const bad = decodeReply(reply({ id: 'x' }), Preview);
    expect(bad.ok || bad.error).toBeInstanceOf(InvalidReplyError);
  });

  it('turns an error reply into RemoteError, and anything unreadable into InvalidReplyError', () => {
    const failed = decodeReply(
      reply({ code: 'POST_NOT_FOUND', message: 'no post', reason: 'non-retryable' }, 'error'),
      Preview,
    );
    expect(failed.ok || failed.error).toMatchObject({
      code: 'REMOTE_ERROR',
      remoteCode: 'POST_NOT_FOUND',
      reason: 'non-retryable',
    });
    expect(failed.ok || failed.error).toBeInstanceOf(RemoteError);
    // A worker that is not Warren's may send any error body.
    const odd = decodeReply(reply('boom', 'error'), undefined);
    expect(odd.ok || odd.error).toMatchObject({
      remoteCode: 'HANDLER_FAILED',
      message: expect.stringContaining('no message'),
    });
    const notJson = decodeReply(reply(Buffer.from('{')), undefined);
    expect(notJson.ok || notJson.error).toMatchObject({ code: 'INVALID_REPLY' });
  });
});
