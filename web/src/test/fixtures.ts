// Sample messages for the front-end tests.
import type { Endpoint, Snapshot } from "../types";

export function snapshot(elapsed: number): Snapshot {
  return {
    timestamp: 1_700_000_000 + elapsed,
    elapsed_seconds: elapsed,
    active_users: 5,
    target_users: 5,
    requests: 100,
    rps: 100,
    latency_p50: 1,
    latency_p75: 2,
    latency_p90: 3,
    latency_p95: 4,
    latency_p99: 5,
    latency_p999: 6,
    latency_min: 0.5,
    latency_max: 7,
    latency_avg: 1.5,
    errors: 0,
    error_rate: 0,
    errors_by_status: {},
    errors_by_type: {},
    endpoints: [],
    task_errors: 0,
    task_exceptions: [],
    checks: [],
    metrics: [],
    groups: [],
    drain: false,
  };
}

export function endpoint(name: string, rps: number, p95: number, errors = 0): Endpoint {
  return {
    name,
    method: "GET",
    requests: rps,
    rps,
    latency_p50: p95 / 2,
    latency_p95: p95,
    latency_p99: p95 * 2,
    latency_avg: p95 / 2,
    latency_max: p95 * 3,
    errors,
    error_rate: rps ? errors / rps : 0,
    timings: {},
  };
}
