// What the dashboard knows, and how each message changes it: pure, so tested without sockets.
import type { Message, Mode, Snapshot, TestStatus } from "../types";

export const LIVE_CAPACITY = 300; // five minutes of one-second snapshots

export interface MetricsState {
  mode: Mode;
  snapshots: Snapshot[];
  status: TestStatus | null;
}

export const initialState: MetricsState = { mode: "live", snapshots: [], status: null };

/** Keep the last `capacity` items (all of them when capacity is null). */
export function keepLast<T>(items: T[], capacity: number | null): T[] {
  return capacity === null || items.length <= capacity ? items : items.slice(items.length - capacity);
}

/** The state after one message; live mode keeps `capacity` snapshots, replay keeps the whole run. */
export function applyMessage(
  state: MetricsState,
  message: Message,
  capacity: number = LIVE_CAPACITY,
): MetricsState {
  switch (message.type) {
    case "history": {
      const mode = message.data.mode;
      const limit = mode === "replay" ? null : capacity;
      return { mode, snapshots: keepLast(message.data.snapshots, limit), status: message.data.status };
    }
    case "snapshot": {
      const limit = state.mode === "replay" ? null : capacity;
      return { ...state, snapshots: keepLast([...state.snapshots, message.data], limit) };
    }
    case "test_status":
      return { ...state, status: message.data };
  }
}

/** Milliseconds to wait before reconnect attempt `attempt` (0-based): doubling, capped. */
export function backoffDelay(attempt: number, baseMs = 500, maxMs = 10_000): number {
  return Math.min(maxMs, baseMs * 2 ** attempt);
}
