// @vitest-environment node
import { describe, expect, it } from "vitest";
import { snapshot } from "../test/fixtures";
import type { TestStatus } from "../types";
import { applyMessage, initialState } from "./metricsState";

const status: TestStatus = {
  status: "running",
  scenario: "S",
  pattern: "constant 5 users",
  target_users: 5,
  duration: 10,
  elapsed: 0,
};

describe("ring buffer", () => {
  it("keeps the last 300 snapshots in live mode", () => {
    let state = initialState;
    for (let i = 1; i <= 305; i += 1) state = applyMessage(state, { type: "snapshot", data: snapshot(i) });
    expect(state.snapshots).toHaveLength(300);
    expect(state.snapshots[0]?.elapsed_seconds).toBe(6);
    expect(state.snapshots[299]?.elapsed_seconds).toBe(305);
  });

  it("trims a long live history to the capacity", () => {
    const snapshots = Array.from({ length: 10 }, (_, i) => snapshot(i + 1));
    const state = applyMessage(initialState, { type: "history", data: { mode: "live", snapshots, status } }, 4);
    expect(state.snapshots.map((s) => s.elapsed_seconds)).toEqual([7, 8, 9, 10]);
    expect(state.status).toEqual(status);
  });

  it("keeps the whole run in replay mode", () => {
    const snapshots = Array.from({ length: 400 }, (_, i) => snapshot(i + 1));
    let state = applyMessage(initialState, { type: "history", data: { mode: "replay", snapshots, status: null } });
    state = applyMessage(state, { type: "snapshot", data: snapshot(401) });
    expect(state.mode).toBe("replay");
    expect(state.snapshots).toHaveLength(401);
  });

  it("replaces the status on test_status", () => {
    const state = applyMessage(initialState, { type: "test_status", data: { ...status, status: "completed" } });
    expect(state.status?.status).toBe("completed");
  });
});
