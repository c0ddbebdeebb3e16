// What the scenario measures itself, for the last second: checks with their
// pass rate, custom metrics (per second, level, share true or p95) and groups.
import { formatMs, formatNumber, formatPercent } from "../lib/format";
import type { CheckData, CustomMetricData, GroupData } from "../schemas";

function metricValue(metric: CustomMetricData): string {
  switch (metric.type) {
    case "counter":
      return `${formatNumber(metric.per_second, 1)}/s`;
    case "gauge":
      return formatNumber(metric.value, 2);
    case "rate":
      return formatPercent(metric.ratio);
    case "trend":
      return `p95 ${formatMs(metric.p95)}`;
  }
}

interface Props {
  checks: readonly CheckData[];
  metrics: readonly CustomMetricData[];
  groups: readonly GroupData[];
}

export function ScenarioTable({ checks, metrics, groups }: Props) {
  if (checks.length === 0 && metrics.length === 0 && groups.length === 0) {
    return null;
  }
  const cell = "px-3 py-1 text-right font-mono";
  return (
    <section className="overflow-x-auto rounded-lg bg-slate-900 p-3 shadow">
      <h2 className="mb-2 text-sm font-medium text-slate-300">Checks, metrics and groups (last second)</h2>
      <table className="w-full text-sm" data-testid="scenario-table">
        <thead>
          <tr className="text-slate-400">
            <th className="px-3 py-1 text-left">Name</th>
            <th className="px-3 py-1 text-right">Kind</th>
            <th className="px-3 py-1 text-right">Value</th>
            <th className="px-3 py-1 text-right">Count</th>
          </tr>
        </thead>
        <tbody>
          {checks.map((check) => (
            <tr key={`check ${check.name}`} className="border-t border-slate-800">
              <td className="px-3 py-1">{check.name}</td>
              <td className={cell}>check</td>
              <td className={`${cell} ${check.fails > 0 ? "text-red-400" : "text-emerald-300"}`}>
                {formatPercent(check.pass_rate)}
              </td>
              <td className={cell}>{formatNumber(check.passes + check.fails)}</td>
            </tr>
          ))}
          {metrics.map((metric) => (
            <tr key={`metric ${metric.name}`} className="border-t border-slate-800">
              <td className="px-3 py-1">{metric.name}</td>
              <td className={cell}>{metric.type}</td>
              <td className={cell}>{metricValue(metric)}</td>
              <td className={cell}>{metric.type === "gauge" ? "" : formatNumber(metric.count)}</td>
            </tr>
          ))}
          {groups.map((group) => (
            <tr key={`group ${group.name}`} className="border-t border-slate-800">
              <td className="px-3 py-1">{group.name}</td>
              <td className={cell}>group</td>
              <td className={cell}>p95 {formatMs(group.p95)}</td>
              <td className={cell}>{formatNumber(group.per_second, 1)}/s</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
