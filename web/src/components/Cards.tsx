import { formatMs, formatNumber, formatPercent, trend, type Trend } from "../lib/format";
import type { Snapshot } from "../types";

interface CardSpec {
  id: string;
  title: string;
  value: (s: Snapshot) => number;
  format: (value: number) => string;
  higherIsBad: boolean;
}

const CARDS: CardSpec[] = [
  { id: "users", title: "Active Users", value: (s) => s.active_users, format: (v) => formatNumber(v), higherIsBad: false },
  { id: "rps", title: "RPS", value: (s) => s.rps, format: (v) => formatNumber(v, 1), higherIsBad: false },
  { id: "p95", title: "p95 Latency", value: (s) => s.latency_p95, format: formatMs, higherIsBad: true },
  { id: "p99", title: "p99 Latency", value: (s) => s.latency_p99, format: formatMs, higherIsBad: true },
  { id: "errors", title: "Error Rate", value: (s) => s.error_rate, format: formatPercent, higherIsBad: true },
];

const ARROW: Record<Trend, string> = { up: "▲", down: "▼", flat: "▶" };

function arrowColour(direction: Trend, higherIsBad: boolean): string {
  if (direction === "flat") return "text-slate-500";
  return (direction === "up") === higherIsBad ? "text-red-400" : "text-emerald-400";
}

export function Cards({ latest, previous }: { latest: Snapshot | undefined; previous: Snapshot | undefined }) {
  return (
    <section className="grid grid-cols-2 gap-3 md:grid-cols-5">
      {CARDS.map((card) => {
        const direction = trend(previous && card.value(previous), latest && card.value(latest));
        return (
          <div key={card.id} data-testid={`card-${card.id}`} className="rounded-lg bg-slate-900 p-3 shadow">
            <p className="text-xs uppercase tracking-wide text-slate-400">{card.title}</p>
            <p className="mt-1 flex items-baseline gap-2 text-2xl font-semibold">
              <span data-testid={`card-${card.id}-value`}>{latest ? card.format(card.value(latest)) : "–"}</span>
              <span className={`text-sm ${arrowColour(direction, card.higherIsBad)}`} title={`trend ${direction}`}>
                {ARROW[direction]}
              </span>
            </p>
          </div>
        );
      })}
    </section>
  );
}
