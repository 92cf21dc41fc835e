/**
 * Starts a private broker or cluster, again (up to `attempts` times) when a start fails: a node picks free ports
 * before it binds them, and on a busy machine another process may take one in between (`eaddrinuse`).
 */
export async function withRetry<T>(start: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start();
    } catch (error) {
      if (attempt >= attempts) throw error;
      process.stderr.write(
        `private broker start failed (attempt ${attempt}), retrying: ${String(error).slice(0, 300)}\n`,
      );
    }
  }
}
