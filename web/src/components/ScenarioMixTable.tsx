// The Scenarios table of a run of several scenarios, for the last second:
// requests, rate and errors per scenario, added up from its endpoints.
import { formatNumber, formatPercent } from "../lib/format";
import { scenarioRows } from "../lib/scenarioRows";
import type { Endpoint } from "../types";

export function ScenarioMixTable({ endpoints }: { endpoints: readonly Endpoint[] }) {
  const rows = scenarioRows(endpoints);
  if (rows.length === 0) {
    return null;
  }
  const cell = "px-3 py-1 text-right font-mono";
  return (
    <section className="overflow-x-auto rounded-lg bg-slate-900 p-3 shadow">
      <h2 className="mb-2 text-sm font-medium text-slate-300">Scenarios (last second)</h2>
      <table className="w-full text-sm" data-testid="scenario-mix-table">
        <thead>
          <tr className="text-slate-400">
            <th className="px-3 py-1 text-left">Scenario</th>
            <th className="px-3 py-1 text-right">Requests</th>
            <th className="px-3 py-1 text-right">RPS</th>
            <th className="px-3 py-1 text-right">Errors</th>
            <th className="px-3 py-1 text-right">Error Rate</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.name} className="border-t border-slate-800">
              <td className="px-3 py-1">{row.name}</td>
              <td className={cell}>{formatNumber(row.requests)}</td>
              <td className={cell}>{formatNumber(row.rps, 1)}</td>
              <td className={cell}>{formatNumber(row.errors)}</td>
              <td className={cell}>{formatPercent(row.error_rate)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="mt-2 text-xs text-slate-500">
        Each scenario's endpoints added up. Latency per scenario is in the run's summary and report: percentiles do not
        add up from the endpoints' percentiles.
      </p>
    </section>
  );
}
