// Mirrors docs/server-api.md: the JSON of `loadforge serve`'s API (snake_case, as on the wire).
import type { Snapshot } from "../types";

export const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;
export type Method = (typeof METHODS)[number];

export type BodyMode = "raw" | "multipart";

export interface RequestSpec {
  method: Method;
  url: string;
  headers: Record<string, string>;
  body: string | null;
  attachment_id: number | null;
  body_mode: BodyMode;
}

/** The ramp form: 0 → users over ramp_up, hold for steady, users → 0 over ramp_down (seconds). */
export interface RampProfile {
  ramp_up: number;
  users: number;
  steady: number;
  ramp_down: number;
}

/** Either the ramp form or a mapping of `loadforge run` options (TOML config keys). */
export type LoadProfile = RampProfile | Record<string, unknown>;

export interface LastRun {
  id: number;
  status: RunStatus;
  passed: boolean | null;
  finished_at: string | null;
}

export interface Spec {
  id: number;
  name: string;
  request: RequestSpec | null;
  scenario_code: string | null;
  load_profile: LoadProfile;
  thresholds: string[];
  created_at: string;
  updated_at: string;
  last_run: LastRun | null;
}

/** What POST /api/specs and PUT /api/specs/{id} take (the rest is read-only). */
export interface SpecInput {
  name: string;
  request: RequestSpec | null;
  scenario_code: string | null;
  load_profile: LoadProfile;
  thresholds: string[];
}

export interface Attachment {
  id: number;
  filename: string;
  content_type: string;
  size: number;
  sha256: string;
  created_at: string;
}

export const RUN_STATUSES = ["queued", "running", "completed", "stopped", "failed", "interrupted"] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export function isActive(status: RunStatus): boolean {
  return status === "queued" || status === "running";
}

export interface Progress {
  elapsed_seconds: number;
  duration_seconds: number;
  fraction: number;
}

export interface Summary {
  total_requests: number;
  failed_requests: number;
  error_rate: number;
  rps: number;
  duration_seconds: number;
  latency_ms: { p50: number; p95: number; p99: number; max: number; avg: number };
}

export interface ThresholdVerdict {
  expression: string;
  passed: boolean;
  actual: number | string | null;
}

export interface Run {
  id: number;
  spec_id: number | null;
  spec: Spec;
  status: RunStatus;
  schedule_id: number | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  progress: Progress | null;
  summary: Summary | null;
  thresholds: ThresholdVerdict[];
  passed: boolean | null;
  error: string | null;
}

export interface Schedule {
  id: number;
  spec_id: number;
  cron: string;
  timezone: string;
  enabled: boolean;
  next_fire_at: string | null;
  last_fire_at: string | null;
  last_run_id: number | null;
  created_at: string;
  updated_at: string;
}

export interface ScheduleInput {
  spec_id: number;
  cron: string;
  timezone: string;
  enabled: boolean;
}

/** The list envelope of GET /api/specs, /api/runs and /api/schedules. */
export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

export interface LogLine {
  seq: number;
  timestamp: string;
  line: string;
}

export type RunMessage =
  | { type: "history"; data: { run: Run; snapshots: Snapshot[]; logs: LogLine[] } }
  | { type: "progress"; data: Snapshot }
  | { type: "log"; data: LogLine }
  | { type: "status"; data: Run };

/** One item of FastAPI's validation error list. */
export interface ValidationIssue {
  loc: (string | number)[];
  msg: string;
  type?: string;
}

export type ErrorDetail = string | ValidationIssue[] | unknown;
