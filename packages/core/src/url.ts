/**
 * `amqp://user:secret@host` → `amqp://user:***@host`. Every URL that reaches a log or an error goes through this.
 * Parsed as WHATWG `URL` does (the userinfo ends at the last `@`, so a password may hold an unencoded `@`); text
 * that does not parse as a URL falls back to `redactText`.
 */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return redactText(url);
  }
  if (parsed.password === '') return url;
  return `${parsed.protocol}//${parsed.username}:***@${parsed.host}${parsed.pathname}${parsed.search}${parsed.hash}`;
}

/**
 * Replaces every URL-looking password in free text (an error message from a library, say). A URL ends at white
 * space, and its userinfo at the last `@` before it.
 */
export function redactText(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)[^\s]*@/gi, '$1***@');
}

/** `AMQP_URL` may hold several comma-separated URLs (the nodes of a cluster). */
export function splitUrls(urls: string | readonly string[]): string[] {
  const list = typeof urls === 'string' ? urls.split(',') : [...urls];
  return list.map((url) => url.trim()).filter((url) => url.length > 0);
}

/**
 * The management API URL of the node behind an AMQP URL: same host and credentials, port + 10000
 * (5672 → 15672, amqps 5671 → https 15671).
 */
export function managementUrlFor(amqpUrl: string): string {
  const url = new URL(amqpUrl);
  const secure = url.protocol === 'amqps:';
  const port = Number(url.port || (secure ? 5671 : 5672)) + 10_000;
  const auth = url.username ? `${url.username}:${url.password}@` : '';
  return `${secure ? 'https' : 'http'}://${auth}${url.hostname}:${port}`;
}

/** The vhost named by an AMQP URL's path (`amqp://h/` and `amqp://h` → `/`; `%2F` decodes). */
export function vhostOf(amqpUrl: string): string {
  const path = new URL(amqpUrl).pathname;
  return path === '' || path === '/' ? '/' : decodeURIComponent(path.slice(1));
}

/** The AMQP URL pointed at `vhost` (an explicit `--vhost` wins over the URL's path). */
export function withVhost(amqpUrl: string, vhost: string): string {
  if (vhostOf(amqpUrl) === vhost) return amqpUrl;
  const url = new URL(amqpUrl);
  url.pathname = `/${encodeURIComponent(vhost)}`;
  return url.toString();
}
