// The delay before a reconnect attempt, for every socket that reconnects.

/** Milliseconds to wait before reconnect attempt `attempt` (0-based): doubling, capped. */
export function backoffDelay(attempt: number, baseMs = 500, maxMs = 10_000): number {
  return Math.min(maxMs, baseMs * 2 ** attempt);
}
