/** What `GET /posts/:id/preview` (answered by the worker through request/reply) gave the demo. */
export interface PreviewCounts {
  readonly asked: number;
  /** 200: the worker's typed reply. */
  readonly ok: number;
  /** 404: the worker answered with a `RemoteError` (`POST_NOT_FOUND`: a dead-lettered post, or an unknown id). */
  readonly notFound: number;
  /** Anything else (504 timeout, 503, network errors), by status. */
  readonly failed: Readonly<Record<string, number>>;
}

export const NO_PREVIEWS: PreviewCounts = { asked: 0, ok: 0, notFound: 0, failed: {} };

/** Asks for the previews of `postIds`, `concurrency` at a time. */
export async function askPreviews(
  baseUrl: string,
  postIds: readonly string[],
  concurrency = 10,
): Promise<PreviewCounts> {
  let ok = 0;
  let notFound = 0;
  const failed: Record<string, number> = {};
  const queue = [...postIds];
  const next = async (): Promise<void> => {
    for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
      const status = await fetch(`${baseUrl}/posts/${encodeURIComponent(id)}/preview`).then(
        async (response) => (await response.arrayBuffer(), String(response.status)),
        (error: unknown) => (error as { cause?: { code?: string } }).cause?.code ?? 'network error',
      );
      if (status === '200') ok++;
      else if (status === '404') notFound++;
      else failed[status] = (failed[status] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, next));
  return { asked: postIds.length, ok, notFound, failed };
}
