import { WarrenError } from './errors';

/**
 * Why a connection cannot succeed by retrying: no usable URL (`INVALID_URL`), wrong credentials (`ACCESS_REFUSED`,
 * 403), a vhost that does not exist or is not allowed (`VHOST_NOT_FOUND`, 530), or a TLS misconfiguration
 * (`TLS_CONFIG`: an untrusted certificate, a missing client certificate, `amqps://` to a plain port).
 * amqp-connection-manager would otherwise retry these forever.
 */
export class ConnectionConfigError extends WarrenError {}
