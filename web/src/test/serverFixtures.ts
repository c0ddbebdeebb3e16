// Sample API objects for the server pages' tests.
import type { Run, Spec } from "../server/types";

export function spec(id = 1, name = "checkout"): Spec {
  return {
    id,
    name,
    request: { method: "GET", url: "http://127.0.0.1:8080/anything", headers: {}, body: null, attachment_id: null, body_mode: "raw", record_timings: false },
    scenario_code: null,
    load_profile: { ramp_up: 1, users: 5, steady: 10, ramp_down: 1 },
    thresholds: ["p95<500ms"],
    created_at: "2026-11-23T13:00:00Z",
    updated_at: "2026-11-23T13:00:00Z",
    last_run: null,
  };
}

export function run(id = 7, patch: Partial<Run> = {}): Run {
  return {
    id,
    spec_id: 1,
    spec: spec(),
    status: "running",
    schedule_id: null,
    created_at: "2026-11-23T13:00:00Z",
    started_at: "2026-11-23T13:00:01Z",
    finished_at: null,
    progress: { elapsed_seconds: 3, duration_seconds: 12, fraction: 0.25 },
    summary: null,
    thresholds: [],
    passed: null,
    error: null,
    ...patch,
  };
}
