// Number formatting and the colour of a latency cell.

export function formatMs(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)}s`;
  if (ms >= 100) return `${ms.toFixed(0)}ms`;
  return `${ms.toFixed(ms >= 10 ? 1 : 2)}ms`;
}

export function formatNumber(value: number, digits = 0): string {
  return value.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

export function formatPercent(rate: number): string {
  return `${(rate * 100).toFixed(2)}%`;
}

export type LatencyLevel = "good" | "warn" | "bad";

/** Green under 100 ms, amber under 500 ms, red above. */
export function latencyLevel(ms: number): LatencyLevel {
  if (ms < 100) return "good";
  if (ms < 500) return "warn";
  return "bad";
}

export type Trend = "up" | "down" | "flat";

/** Direction of change between two readings, ignoring changes under 2 %. */
export function trend(previous: number | undefined, current: number | undefined): Trend {
  if (previous === undefined || current === undefined) return "flat";
  const scale = Math.max(Math.abs(previous), Math.abs(current), 1e-9);
  const change = (current - previous) / scale;
  if (change > 0.02) return "up";
  if (change < -0.02) return "down";
  return "flat";
}
