// Sample messages for the front-end tests.
import type { Endpoint, Snapshot } from "../types";

export function snapshot(elapsed: number): Snapshot {
  return {
    timestamp: 1_700_000_000 + elapsed,
    elapsed_seconds: elapsed,
    active_users: 5,
    target_users: 5,
    rps: 100,
    total_requests: 100,
    latency: { p50: 1, p75: 2, p90: 3, p95: 4, p99: 5, p999: 6, min: 0.5, max: 7, avg: 1.5 },
    errors: { total: 0, rate: 0, by_status: {}, by_type: {} },
    endpoints: [],
  };
}

export function endpoint(name: string, rps: number, p95: number, errors = 0): Endpoint {
  return {
    name,
    method: "GET",
    rps,
    request_count: rps,
    latency_p50: p95 / 2,
    latency_p95: p95,
    latency_p99: p95 * 2,
    latency_avg: p95 / 2,
    latency_max: p95 * 3,
    error_count: errors,
    error_rate: rps ? errors / rps : 0,
  };
}
