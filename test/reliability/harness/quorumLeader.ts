/** The node name of a quorum queue's leader (vhost `/`), from the management API of any node. */
export async function quorumLeader(managementUrl: string, queue: string): Promise<string | undefined> {
  const url = new URL(`/api/queues/%2F/${encodeURIComponent(queue)}`, managementUrl);
  const authorization = `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`;
  url.username = '';
  url.password = '';
  const response = await fetch(url, { headers: { authorization }, signal: AbortSignal.timeout(5_000) });
  if (!response.ok) return undefined;
  const info = (await response.json()) as { leader?: string };
  return info.leader;
}
