// The JSON of `loadforge serve`'s API, named for the app. The interfaces are
// generated from the pydantic models into ../schemas.ts (tests/typescript_schemas.py);
// this file narrows the fields the API keeps as free JSON (a spec's load profile,
// the spec a run froze) and adds what is not a pydantic model (the run's WebSocket).
import type {
  Attachment,
  LastRun,
  Progress,
  RequestSpec,
  Run as RunSchema,
  RunSummary,
  Schedule,
  ScheduleInput,
  Spec as SpecSchema,
  SpecInput as SpecInputSchema,
  ThresholdResult,
} from "../schemas";
import type { Refine, Snapshot } from "../types";

export type { Attachment, LastRun, Progress, RequestSpec, RunSummary, Schedule, ScheduleInput };

export const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const satisfies readonly RequestSpec["method"][];
export type Method = RequestSpec["method"];

export type BodyMode = RequestSpec["body_mode"];

/** The ramp form: 0 → users over ramp_up, hold for steady, users → 0 over ramp_down (seconds). */
export interface RampProfile {
  ramp_up: number;
  users: number;
  steady: number;
  ramp_down: number;
}

/** Either the ramp form or a mapping of `loadforge run` options (TOML config keys). */
export type LoadProfile = RampProfile | Record<string, unknown>;

export type Spec = Refine<SpecSchema, { load_profile: LoadProfile }>;

/** What POST /api/specs and PUT /api/specs/{id} take (the rest is read-only). */
export type SpecInput = Refine<SpecInputSchema, { load_profile: LoadProfile }>;

export type RunStatus = RunSchema["status"];
export const RUN_STATUSES = ["queued", "running", "completed", "stopped", "failed", "interrupted"] as const satisfies readonly RunStatus[];

export function isActive(status: RunStatus): boolean {
  return status === "queued" || status === "running";
}

/** A run; `spec` is the spec as it was when the run started. */
export type Run = Refine<RunSchema, { spec: Spec }>;

/** A threshold's verdict at the end of a run. */
export type ThresholdVerdict = ThresholdResult;

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
