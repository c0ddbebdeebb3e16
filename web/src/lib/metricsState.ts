// What the dashboard knows, and how each message changes it: pure, so tested without sockets.
import type { Message, Mode, Snapshot, TestStatus } from "../types";
import { keepLast } from "./keepLast";

export const LIVE_CAPACITY = 300; // five minutes of one-second snapshots

export interface MetricsState {
  mode: Mode;
  snapshots: Snapshot[];
  status: TestStatus | null;
}

export const initialState: MetricsState = { mode: "live", snapshots: [], status: null };

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
