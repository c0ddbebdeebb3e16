// Mirrors src/loadforge/dashboard/schemas.py: the dashboard's wire format.

export interface Latency {
  p50: number;
  p75: number;
  p90: number;
  p95: number;
  p99: number;
  p999: number;
  min: number;
  max: number;
  avg: number;
}

export interface Errors {
  total: number;
  rate: number;
  by_status: Record<string, number>;
  by_type: Record<string, number>;
}

export interface Endpoint {
  name: string;
  method: string;
  rps: number;
  request_count: number;
  latency_p50: number;
  latency_p95: number;
  latency_p99: number;
  latency_avg: number;
  latency_max: number;
  error_count: number;
  error_rate: number;
}

export interface Snapshot {
  timestamp: number;
  elapsed_seconds: number;
  active_users: number;
  target_users: number;
  rps: number;
  total_requests: number;
  latency: Latency;
  errors: Errors;
  endpoints: Endpoint[];
}

export type Phase =
  | "running"
  | "ramping_up"
  | "ramping_down"
  | "completed"
  | "interrupted"
  | "error";

export const FINISHED: ReadonlySet<Phase> = new Set(["completed", "interrupted", "error"]);

export interface TestStatus {
  status: Phase;
  scenario: string;
  pattern: string;
  target_users: number;
  duration: number;
  elapsed: number;
}

export type Mode = "live" | "replay";

export type Message =
  | { type: "snapshot"; data: Snapshot }
  | { type: "test_status"; data: TestStatus }
  | { type: "history"; data: { mode: Mode; snapshots: Snapshot[]; status: TestStatus | null } };
