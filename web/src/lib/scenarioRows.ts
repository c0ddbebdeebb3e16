// A live view of a run of several scenarios, from its endpoints' figures.
//
// In such a run every endpoint's name starts with its scenario's
// ("Browse › List", `loadforge.metrics.per_scenario.SEPARATOR`), so a
// scenario's requests, errors and rate are its endpoints' added up, exactly.
// Latency percentiles do not add up from percentiles, so these rows carry
// none: the run's summary and report have them, from merged histograms.
import type { Endpoint } from "../types";

/** Between a scenario's name and its endpoint's, as the engine writes it. */
export const SEPARATOR = " › ";

/** One scenario's share of the last second: sums of its endpoints' counts. */
export interface ScenarioRow {
  name: string;
  requests: number;
  rps: number;
  errors: number;
  error_rate: number;
}

/**
 * A row per scenario, in the order their endpoints first appear; none unless
 * every endpoint names a scenario and there are at least two of them.
 */
export function scenarioRows(endpoints: readonly Endpoint[]): ScenarioRow[] {
  const rows = new Map<string, ScenarioRow>();
  for (const endpoint of endpoints) {
    const at = endpoint.name.indexOf(SEPARATOR);
    if (at < 0) {
      return [];
    }
    const name = endpoint.name.slice(0, at);
    const row = rows.get(name) ?? { name, requests: 0, rps: 0, errors: 0, error_rate: 0 };
    row.requests += endpoint.requests;
    row.rps += endpoint.rps;
    row.errors += endpoint.errors;
    rows.set(name, row);
  }
  if (rows.size < 2) {
    return [];
  }
  return Array.from(rows.values(), (row) => ({ ...row, error_rate: row.requests ? row.errors / row.requests : 0 }));
}
