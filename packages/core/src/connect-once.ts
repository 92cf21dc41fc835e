import { connect, type ChannelModel } from 'amqplib';
import { describeError, fatalConnectError } from './connection';
import { tlsSocketOptions, type TlsOptions } from './tls';
import { WarrenError } from './errors';
import { redactUrl } from './url';

/**
 * Opens one short-lived connection (an operator's action: apply, delete, a dead-letter tool), trying each URL of a
 * cluster in turn. Wrong credentials or vhost fail at once with a `ConnectionConfigError`; when no node answers,
 * `BROKER_UNREACHABLE` names each URL (password masked) and why. Errors on the connection are swallowed here:
 * they reach the caller through its pending operations. `tls` applies to `amqps://` URLs (`TLS_CONFIG` when it is
 * wrong).
 */
export async function connectOnce(urls: readonly string[], name: string, tls?: TlsOptions): Promise<ChannelModel> {
  const socketOptions = tlsSocketOptions(tls);
  const failures: string[] = [];
  let last: unknown;
  for (const url of urls) {
    try {
      const model = await connect(url, {
        noDelay: true,
        timeout: 10_000,
        clientProperties: { connection_name: name },
        ...socketOptions,
      });
      model.on('error', () => undefined);
      return model;
    } catch (error) {
      const fatal = fatalConnectError(error, url);
      if (fatal) throw fatal;
      failures.push(`${redactUrl(url)}: ${describeError(error)}`);
      last = error;
    }
  }
  throw new WarrenError(
    'BROKER_UNREACHABLE',
    `Cannot connect to RabbitMQ (${failures.join('; ')}). Is the broker running and the URL (--url / AMQP_URL) right?`,
    { cause: last },
  );
}
