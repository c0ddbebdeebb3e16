// The one row of headline cards, each a figure with an optional trend arrow. The dashboard shows
// a snapshot's cards (`snapshotCards`); the server's run page shows the run's own (RunPage's `runCards`).
import { formatMs, formatNumber, formatPercent, trend, type Trend } from "../lib/format";
import type { Snapshot } from "../types";

export interface Card {
  id: string;
  title: string;
  /** The figure as shown, "–" while there is none. */
  value: string;
  /** Which way the figure moved since the previous reading, and whether a rise is bad; none: no arrow. */
  trend?: { direction: Trend; higherIsBad: boolean };
}

interface SnapshotCard {
  id: string;
  title: string;
  value: (s: Snapshot) => number;
  format: (value: number) => string;
  higherIsBad: boolean;
}

const SNAPSHOT_CARDS: SnapshotCard[] = [
  { id: "users", title: "Active Users", value: (s) => s.active_users, format: (v) => formatNumber(v), higherIsBad: false },
  { id: "rps", title: "RPS", value: (s) => s.rps, format: (v) => formatNumber(v, 1), higherIsBad: false },
  { id: "p95", title: "p95 Latency", value: (s) => s.latency_p95, format: formatMs, higherIsBad: true },
  { id: "p99", title: "p99 Latency", value: (s) => s.latency_p99, format: formatMs, higherIsBad: true },
  { id: "errors", title: "Error Rate", value: (s) => s.error_rate, format: formatPercent, higherIsBad: true },
];

/** The dashboard's cards: the latest snapshot's figures, each with its trend since the previous one. */
export function snapshotCards(latest: Snapshot | undefined, previous: Snapshot | undefined): Card[] {
  return SNAPSHOT_CARDS.map((card) => ({
    id: card.id,
    title: card.title,
    value: latest ? card.format(card.value(latest)) : "–",
    trend: { direction: trend(previous && card.value(previous), latest && card.value(latest)), higherIsBad: card.higherIsBad },
  }));
}

const ARROW: Record<Trend, string> = { up: "▲", down: "▼", flat: "▶" };

function arrowColour(direction: Trend, higherIsBad: boolean): string {
  if (direction === "flat") return "text-slate-500";
  return (direction === "up") === higherIsBad ? "text-red-400" : "text-emerald-400";
}

export function Cards({ cards }: { cards: readonly Card[] }) {
  return (
    <section className="grid grid-cols-2 gap-3 md:grid-cols-5">
      {cards.map((card) => (
        <div key={card.id} data-testid={`card-${card.id}`} className="rounded-lg bg-slate-900 p-3 shadow">
          <p className="text-xs uppercase tracking-wide text-slate-400">{card.title}</p>
          <p className="mt-1 flex items-baseline gap-2 text-2xl font-semibold">
            <span data-testid={`card-${card.id}-value`}>{card.value}</span>
            {card.trend !== undefined && (
              <span
                className={`text-sm ${arrowColour(card.trend.direction, card.trend.higherIsBad)}`}
                title={`trend ${card.trend.direction}`}
                data-testid={`card-${card.id}-trend`}
              >
                {ARROW[card.trend.direction]}
              </span>
            )}
          </p>
        </div>
      ))}
    </section>
  );
}
