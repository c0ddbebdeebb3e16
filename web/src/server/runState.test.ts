// @vitest-environment node
import { describe, expect, it } from "vitest";
import { snapshot } from "../test/fixtures";
import { run } from "../test/serverFixtures";
import { applyRunMessage, initialRunState, runElapsed, runFigures, runFraction, type RunState } from "./runState";
import type { RunMessage } from "./types";

const failing = (elapsed: number, requests: number, errors: number) => ({
  ...snapshot(elapsed),
  requests,
  errors,
  error_rate: errors / requests,
  errors_by_status: { "500": errors },
});

function play(messages: RunMessage[]): RunState {
  return messages.reduce(applyRunMessage, initialRunState);
}

describe("the run page's state", () => {
  it("takes history, then progress, log and status in turn", () => {
    const state = play([
      { type: "history", data: { run: run(), snapshots: [failing(1, 100, 2)], logs: [{ seq: 1, timestamp: "t", line: "started" }] } },
      { type: "progress", data: failing(2, 50, 1) },
      { type: "log", data: { seq: 2, timestamp: "t", line: "ramping" } },
      { type: "status", data: run(7, { status: "stopped" }) },
    ]);
    expect(state.snapshots.map((s) => s.elapsed_seconds)).toEqual([1, 2]);
    expect(state.logs.map((l) => l.line)).toEqual(["started", "ramping"]);
    expect(state.totals).toEqual({ requests: 150, failures: 3 });
    expect(state.run?.status).toBe("stopped");
    expect(runFigures(state)).toMatchObject({ successes: 147, failures: 3, rps: 100, p95: 4 });
  });

  it("ignores a log line it already has", () => {
    const line = { seq: 5, timestamp: "t", line: "x" };
    const state = play([
      { type: "history", data: { run: run(), snapshots: [], logs: [line] } },
      { type: "log", data: line },
    ]);
    expect(state.logs).toHaveLength(1);
  });

  it("replaces everything when history comes again after a reconnect", () => {
    const state = play([
      { type: "history", data: { run: run(), snapshots: [failing(1, 10, 1)], logs: [] } },
      { type: "progress", data: failing(2, 10, 1) },
      { type: "history", data: { run: run(), snapshots: [failing(1, 10, 1), failing(2, 10, 1)], logs: [] } },
    ]);
    expect(state.snapshots).toHaveLength(2);
    expect(state.totals).toEqual({ requests: 20, failures: 2 });
  });

  it("shows the summary's figures once the run ended", () => {
    const summary = {
      requests: 1000, errors: 10, error_rate: 0.01, rps: 99.5, duration_seconds: 10,
      latency_p50: 3, latency_p95: 9, latency_p99: 12, latency_max: 40, latency_avg: 4,
    }; // prettier-ignore
    const state = play([{ type: "history", data: { run: run(7, { status: "completed", summary }), snapshots: [], logs: [] } }]);
    expect(runFigures(state)).toEqual({ rps: 99.5, successes: 990, failures: 10, p50: 3, p95: 9 });
    expect(runFraction(state)).toBe(1);
  });

  it("moves the progress bar on with the snapshots between status messages", () => {
    const state = play([
      { type: "history", data: { run: run(), snapshots: [], logs: [] } },
      { type: "progress", data: snapshot(6) },
    ]);
    expect(runFraction(state)).toBe(0.5);
    expect(runElapsed(state)).toBe(6);
    expect(runFraction(initialRunState)).toBe(0);
  });
});
