// The dashboard's wire format, named for the app. The interfaces themselves are
// generated from the pydantic models into ./schemas.ts (tests/typescript_schemas.py):
// a field renamed in Python renames it here, and the type checker finds every use.
import type {
  EndpointData,
  HistoryData,
  HistoryMessage,
  Phase,
  SnapshotData,
  SnapshotMessage,
  TestStatusData,
  TestStatusMessage,
} from "./schemas";

export type { Phase, TimingData } from "./schemas";

/** One second of the run: `loadforge.metrics.snapshot_schema.SnapshotData`. */
export type Snapshot = SnapshotData;
export type Endpoint = EndpointData;
export type TestStatus = TestStatusData;
export type Mode = HistoryData["mode"];

export const FINISHED: ReadonlySet<Phase> = new Set<Phase>(["completed", "interrupted", "error"]);

export type Message = SnapshotMessage | TestStatusMessage | HistoryMessage;

/**
 * `T` with the types of some of its fields narrowed; `U` may only name fields
 * that `T` has, so a field renamed in the schema fails the type check here too.
 */
export type Refine<T, U extends { [K in keyof U]: K extends keyof T ? unknown : never }> = Omit<T, keyof U> & U;
