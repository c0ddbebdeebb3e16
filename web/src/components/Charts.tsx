// The four time-series charts. Animations are off: a chart redraws once per snapshot.
// The drain (the seconds after the planned end, while users finish) is shaded on each.
import type { ReactNode } from "react";
import {
  Area,
  AreaChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ReferenceArea,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import type { Snapshot } from "../types";

export interface ChartPoint {
  t: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  active: number;
  target: number;
  e4xx: number;
  e5xx: number;
  other: number;
  drain: boolean;
}

/** Where the drain lies on the time axis, from one point to another. */
export interface DrainSpan {
  x1: number;
  x2: number;
}

export const DRAIN_LABEL = "drain (after planned end)";

/** One chart row per snapshot; errors grouped by status class (4xx, 5xx, other). */
export function toPoints(snapshots: readonly Snapshot[]): ChartPoint[] {
  return snapshots.map((s) => {
    let e4xx = 0;
    let e5xx = 0;
    for (const [code, count] of Object.entries(s.errors_by_status)) {
      if (code.startsWith("4")) e4xx += count;
      else if (code.startsWith("5")) e5xx += count;
    }
    return {
      // Seconds to the hundredth: a drain's last point, a fraction past the planned end, keeps its own place.
      t: Math.round(s.elapsed_seconds * 100) / 100,
      rps: s.rps,
      p50: s.latency_p50,
      p95: s.latency_p95,
      p99: s.latency_p99,
      active: s.active_users,
      target: s.target_users,
      e4xx,
      e5xx,
      other: Math.max(0, s.errors - e4xx - e5xx),
      drain: s.drain === true, // false for rows a server stored before the field existed
    };
  });
}

/** The least share of the time axis the drain's shading covers, so that a drain of a few milliseconds still shows. */
export const MIN_DRAIN_SHARE = 0.015;

/**
 * The drain's span, or null without one: a point is where its interval ends, so the span starts
 * at the point before the first drain point (where that interval began) and ends at the last.
 * A span narrower than MIN_DRAIN_SHARE of the axis widens leftwards to it, never past the first point.
 */
export function drainSpan(points: readonly ChartPoint[]): DrainSpan | null {
  const first = points.findIndex((p) => p.drain);
  if (first < 0) return null;
  let last = first;
  points.forEach((p, index) => {
    if (p.drain) last = index;
  });
  const start = points[Math.max(0, first - 1)];
  const end = points[last];
  const origin = points[0];
  const final = points[points.length - 1];
  if (!start || !end || !origin || !final) return null;
  const least = (final.t - origin.t) * MIN_DRAIN_SHARE;
  const x1 = end.t - start.t >= least ? start.t : Math.max(origin.t, end.t - least);
  return { x1, x2: end.t };
}

/** The drain's shaded area; an element, not a component: recharts looks for its direct children. */
function drainArea(span: DrainSpan | null) {
  return span === null ? null : (
    <ReferenceArea x1={span.x1} x2={span.x2} fill="#64748b" fillOpacity={0.3} stroke="none" ifOverflow="extendDomain" />
  );
}

/** The drain's legend entry, beside the chart's title: the swatch is the shaded area's colour. */
function DrainKey() {
  return (
    <span data-testid="drain-legend" className="flex items-center gap-1 text-xs text-slate-400">
      <span className="inline-block h-3 w-3 rounded-sm bg-slate-500/60" />
      {DRAIN_LABEL}
    </span>
  );
}

function Panel({ id, title, drain, children }: { id: string; title: string; drain: boolean; children: ReactNode }) {
  return (
    <div data-testid={`chart-${id}`} className="rounded-lg bg-slate-900 p-3 shadow">
      <div className="mb-2 flex items-center justify-between gap-2">
        <h2 className="text-sm font-medium text-slate-300">{title}</h2>
        {drain && <DrainKey />}
      </div>
      <div className="h-56">
        <ResponsiveContainer width="100%" height="100%">
          {children as React.ReactElement}
        </ResponsiveContainer>
      </div>
    </div>
  );
}

const axis = { stroke: "#94a3b8", fontSize: 11 };
/** Time as a number line, ticked in whole seconds, so points a fraction of a second apart stay apart. */
const timeAxis = {
  ...axis,
  dataKey: "t",
  type: "number" as const,
  domain: ["dataMin", "dataMax"] as [string, string],
  allowDecimals: false,
  tickFormatter: (seconds: number) => `${Math.round(seconds)}s`,
};
const tooltip = { contentStyle: { background: "#0f172a", border: "1px solid #334155" } };

export function Charts({ snapshots }: { snapshots: readonly Snapshot[] }) {
  const points = toPoints(snapshots);
  const drain = drainSpan(points);
  const area = drainArea(drain);
  return (
    <section className="grid gap-3 md:grid-cols-2">
      <Panel id="throughput" drain={drain !== null} title="Throughput (requests/s)">
        <LineChart data={points}>
          <CartesianGrid stroke="#1e293b" />
          {area}
          <XAxis {...timeAxis} />
          <YAxis {...axis} />
          <Tooltip {...tooltip} />
          <Line type="monotone" dataKey="rps" name="RPS" stroke="#38bdf8" dot={false} isAnimationActive={false} />
        </LineChart>
      </Panel>
      <Panel id="latency" drain={drain !== null} title="Latency percentile bands (ms)">
        <AreaChart data={points}>
          <CartesianGrid stroke="#1e293b" />
          {area}
          <XAxis {...timeAxis} />
          <YAxis {...axis} />
          <Tooltip {...tooltip} />
          <Legend />
          <Area dataKey="p99" name="p99" stroke="#f87171" fill="#f87171" fillOpacity={0.2} isAnimationActive={false} />
          <Area dataKey="p95" name="p95" stroke="#fbbf24" fill="#fbbf24" fillOpacity={0.25} isAnimationActive={false} />
          <Area dataKey="p50" name="p50" stroke="#34d399" fill="#34d399" fillOpacity={0.3} isAnimationActive={false} />
        </AreaChart>
      </Panel>
      <Panel id="users" drain={drain !== null} title="Active users: target (dashed) vs actual">
        <LineChart data={points}>
          <CartesianGrid stroke="#1e293b" />
          {area}
          <XAxis {...timeAxis} />
          <YAxis allowDecimals={false} {...axis} />
          <Tooltip {...tooltip} />
          <Legend />
          <Line dataKey="target" name="target" stroke="#a78bfa" strokeDasharray="6 4" dot={false} isAnimationActive={false} />
          <Line dataKey="active" name="actual" stroke="#38bdf8" dot={false} isAnimationActive={false} />
        </LineChart>
      </Panel>
      <Panel id="errors" drain={drain !== null} title="Errors by status class">
        <AreaChart data={points}>
          <CartesianGrid stroke="#1e293b" />
          {area}
          <XAxis {...timeAxis} />
          <YAxis allowDecimals={false} {...axis} />
          <Tooltip {...tooltip} />
          <Legend />
          <Area stackId="e" dataKey="e4xx" name="4xx" stroke="#fbbf24" fill="#fbbf24" isAnimationActive={false} />
          <Area stackId="e" dataKey="e5xx" name="5xx" stroke="#f87171" fill="#f87171" isAnimationActive={false} />
          <Area stackId="e" dataKey="other" name="other (timeouts, resets, task errors)" stroke="#94a3b8" fill="#94a3b8" isAnimationActive={false} />
        </AreaChart>
      </Panel>
    </section>
  );
}
