import { useRef, useState } from "react";
import { formatMs, formatNumber, formatPercent, latencyLevel, type LatencyLevel } from "../lib/format";
import { nextSort, sortEndpoints, type Sort, type SortKey } from "../lib/sortEndpoints";
import type { Endpoint, TimingData } from "../types";

const COLUMNS: { key: SortKey; label: string }[] = [
  { key: "name", label: "Endpoint" },
  { key: "rps", label: "RPS" },
  { key: "latency_p50", label: "p50" },
  { key: "latency_p95", label: "p95" },
  { key: "latency_p99", label: "p99" },
  { key: "errors", label: "Errors" },
  { key: "error_rate", label: "Error Rate" },
];

const LEVEL: Record<LatencyLevel, string> = {
  good: "text-emerald-300",
  warn: "text-amber-300",
  bad: "text-red-400 font-semibold",
};

// The request timings a run records (`--record-timings`), in the order k6 lists them.
const TIMING_LABELS: [string, string][] = [
  ["dns", "DNS"],
  ["connecting", "Connect"],
  ["tls", "TLS"],
  ["ttfb", "TTFB"],
  ["receiving", "Receive"],
];

// The timings that get a column of their own; the connection ones are in each cell's tooltip.
const TIMING_COLUMNS: [string, string, SortKey][] = [
  ["ttfb", "TTFB p95", "ttfb_p95"],
  ["receiving", "Receive p95", "receiving_p95"],
];

/** Every timing the endpoint recorded in the second, one per line: "TTFB p50 … p95 … p99 …". */
export function timingsTooltip(timings: Record<string, TimingData>): string {
  return TIMING_LABELS.filter(([key]) => timings[key] !== undefined)
    .map(([key, label]) => {
      const t = timings[key] as TimingData;
      return `${label}: p50 ${formatMs(t.p50)}, p95 ${formatMs(t.p95)}, p99 ${formatMs(t.p99)} (${formatNumber(t.count)})`;
    })
    .join("\n");
}

function TimingCell({ row, timing }: { row: Endpoint; timing: string }) {
  const figures = row.timings[timing];
  return (
    <td className="px-3 py-1 text-right font-mono text-slate-300" title={timingsTooltip(row.timings)} data-timing={timing}>
      {figures === undefined ? "–" : formatMs(figures.p95)}
    </td>
  );
}

function LatencyCell({ ms }: { ms: number }) {
  const level = latencyLevel(ms);
  return (
    <td className={`px-3 py-1 text-right font-mono ${LEVEL[level]}`} data-level={level}>
      {formatMs(ms)}
    </td>
  );
}

export function EndpointTable({ endpoints }: { endpoints: readonly Endpoint[] }) {
  const [sort, setSort] = useState<Sort>({ key: "rps", direction: "desc" });
  // Once a second carried timings the columns stay, so they do not come and go with traffic.
  const timed = useRef(false);
  timed.current ||= endpoints.some((row) => Object.keys(row.timings).length > 0);
  const rows = sortEndpoints(endpoints, sort);
  return (
    <section className="overflow-x-auto rounded-lg bg-slate-900 p-3 shadow">
      <h2 className="mb-2 text-sm font-medium text-slate-300">Per-endpoint (last second)</h2>
      <table className="w-full text-sm" data-testid="endpoint-table">
        <thead>
          <tr className="text-slate-400">
            {COLUMNS.map((column) => (
              <th
                key={column.key}
                className={`cursor-pointer select-none px-3 py-1 ${column.key === "name" ? "text-left" : "text-right"}`}
                onClick={() => setSort(nextSort(sort, column.key))}
                aria-sort={sort.key === column.key ? (sort.direction === "asc" ? "ascending" : "descending") : "none"}
              >
                {column.label}
                {sort.key === column.key && (sort.direction === "asc" ? " ↑" : " ↓")}
              </th>
            ))}
            {timed.current &&
              TIMING_COLUMNS.map(([key, label, sortKey]) => (
                <th
                  key={key}
                  className="cursor-pointer select-none px-3 py-1 text-right"
                  title="Request timings of the last second (--record-timings)"
                  onClick={() => setSort(nextSort(sort, sortKey))}
                  aria-sort={sort.key === sortKey ? (sort.direction === "asc" ? "ascending" : "descending") : "none"}
                >
                  {label}
                  {sort.key === sortKey && (sort.direction === "asc" ? " ↑" : " ↓")}
                </th>
              ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={`${row.method} ${row.name}`} className="border-t border-slate-800">
              <td className="px-3 py-1">
                <span className="mr-2 font-mono text-xs text-slate-500">{row.method}</span>
                {row.name}
              </td>
              <td className="px-3 py-1 text-right font-mono">{formatNumber(row.rps, 1)}</td>
              <LatencyCell ms={row.latency_p50} />
              <LatencyCell ms={row.latency_p95} />
              <LatencyCell ms={row.latency_p99} />
              <td className="px-3 py-1 text-right font-mono">{formatNumber(row.errors)}</td>
              <td className="px-3 py-1 text-right font-mono">{formatPercent(row.error_rate)}</td>
              {timed.current && TIMING_COLUMNS.map(([key]) => <TimingCell key={key} row={row} timing={key} />)}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
