// What the live run page knows, and how each WebSocket message changes it: pure, so tested without sockets.
import { keepLast } from "../lib/keepLast";
import type { Snapshot } from "../types";
import type { LogLine, Run, RunMessage } from "./types";

/** The server keeps the last 10 000 lines; so does the page. */
export const LOG_CAPACITY = 10_000;
/** Two hours of one-second snapshots. */
export const SNAPSHOT_CAPACITY = 7_200;

export interface RunTotals {
  requests: number;
  failures: number;
}

export interface RunState {
  run: Run | null;
  snapshots: Snapshot[];
  logs: LogLine[];
  /** Sums of the per-second snapshots' counts, so that the cards need no pass over them. */
  totals: RunTotals;
}

export const initialRunState: RunState = { run: null, snapshots: [], logs: [], totals: { requests: 0, failures: 0 } };

function addSnapshot(totals: RunTotals, snapshot: Snapshot): RunTotals {
  return { requests: totals.requests + snapshot.requests, failures: totals.failures + snapshot.errors };
}

export function applyRunMessage(state: RunState, message: RunMessage): RunState {
  switch (message.type) {
    case "history": {
      const { run, snapshots, logs } = message.data;
      return {
        run,
        snapshots: keepLast(snapshots, SNAPSHOT_CAPACITY),
        logs: keepLast(logs, LOG_CAPACITY),
        totals: snapshots.reduce(addSnapshot, { requests: 0, failures: 0 }),
      };
    }
    case "progress":
      return {
        ...state,
        snapshots: keepLast([...state.snapshots, message.data], SNAPSHOT_CAPACITY),
        totals: addSnapshot(state.totals, message.data),
      };
    case "log": {
      const last = state.logs[state.logs.length - 1];
      if (last !== undefined && message.data.seq <= last.seq) return state; // already had it
      return { ...state, logs: keepLast([...state.logs, message.data], LOG_CAPACITY) };
    }
    case "status":
      return { ...state, run: message.data };
  }
}

export interface RunFigures {
  rps: number | null;
  successes: number;
  failures: number;
  p50: number | null;
  p95: number | null;
}

/** The cards: the summary's figures once the run ended, the live ones until then. */
export function runFigures(state: RunState): RunFigures {
  const summary = state.run?.summary ?? null;
  if (summary !== null) {
    return {
      rps: summary.rps,
      successes: summary.requests - summary.errors,
      failures: summary.errors,
      p50: summary.latency_p50,
      p95: summary.latency_p95,
    };
  }
  const latest = state.snapshots[state.snapshots.length - 1];
  return {
    rps: latest?.rps ?? null,
    successes: state.totals.requests - state.totals.failures,
    failures: state.totals.failures,
    p50: latest?.latency_p50 ?? null,
    p95: latest?.latency_p95 ?? null,
  };
}

/** Seconds into the run: its own progress, moved on by the latest snapshot between status messages. */
export function runElapsed(state: RunState): number {
  const latest = state.snapshots[state.snapshots.length - 1];
  return Math.max(state.run?.progress?.elapsed_seconds ?? 0, latest?.elapsed_seconds ?? 0);
}

/** 0..1 of the planned duration; a completed run is 1 whatever its clock said. */
export function runFraction(state: RunState): number {
  const run = state.run;
  if (run === null) return 0;
  if (run.status === "completed") return 1;
  const progress = run.progress;
  if (progress === null) return 0;
  const bySnapshots = progress.duration_seconds > 0 ? runElapsed(state) / progress.duration_seconds : 0;
  return Math.min(1, Math.max(0, progress.fraction, bySnapshots));
}
