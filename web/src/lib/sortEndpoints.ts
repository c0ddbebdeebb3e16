// Sorting the per-endpoint table by any column.
import type { Endpoint } from "../types";

export type SortKey =
  | "name"
  | "rps"
  | "latency_p50"
  | "latency_p95"
  | "latency_p99"
  | "errors"
  | "error_rate"
  | "ttfb_p95"
  | "receiving_p95";

// The request-timing columns: each one's p95, where the endpoint recorded it.
const TIMING_KEYS: Partial<Record<SortKey, string>> = { ttfb_p95: "ttfb", receiving_p95: "receiving" };

/** The value a column sorts by; an endpoint without the timing sorts below every one with it. */
function sortValue(row: Endpoint, key: SortKey): string | number {
  const timing = TIMING_KEYS[key];
  if (timing !== undefined) return row.timings[timing]?.p95 ?? -1;
  return row[key as Exclude<SortKey, "ttfb_p95" | "receiving_p95">];
}
export type Direction = "asc" | "desc";

export interface Sort {
  key: SortKey;
  direction: Direction;
}

/** A sorted copy; ties keep name order so rows do not jump between snapshots. */
export function sortEndpoints(rows: readonly Endpoint[], sort: Sort): Endpoint[] {
  const sign = sort.direction === "asc" ? 1 : -1;
  return [...rows].sort((a, b) => {
    const left = sortValue(a, sort.key);
    const right = sortValue(b, sort.key);
    const order =
      typeof left === "string" && typeof right === "string"
        ? left.localeCompare(right)
        : (left as number) - (right as number);
    return order !== 0 ? sign * order : a.name.localeCompare(b.name);
  });
}

/** Clicking a header: the same column flips direction; a new one starts descending (names ascending). */
export function nextSort(current: Sort, key: SortKey): Sort {
  if (current.key === key) return { key, direction: current.direction === "asc" ? "desc" : "asc" };
  return { key, direction: key === "name" ? "asc" : "desc" };
}
