import type { Connection } from "../lib/useMetricsSocket";
import { FINISHED, type Mode, type TestStatus } from "../types";

const DOT: Record<Connection, string> = {
  open: "bg-emerald-400",
  connecting: "bg-amber-400",
  closed: "bg-red-500",
};
const LABEL: Record<Connection, string> = { open: "Connected", connecting: "Connecting", closed: "Disconnected" };

interface Props {
  status: TestStatus | null;
  connection: Connection;
  mode: Mode;
  onStop: () => void;
}

export function Header({ status, connection, mode, onStop }: Props) {
  const finished = status !== null && FINISHED.has(status.status);
  return (
    <header className="flex flex-wrap items-center justify-between gap-3 border-b border-slate-800 pb-3">
      <div>
        <h1 className="text-xl font-semibold">LoadForge Dashboard</h1>
        <p className="text-sm text-slate-400" data-testid="scenario">
          {status?.scenario ?? "waiting for the run…"}
          {status !== null && ` · ${status.pattern}`}
          {mode === "replay" && " · replay"}
        </p>
      </div>
      <div className="flex items-center gap-3">
        <span
          data-testid="run-status"
          className="rounded bg-slate-800 px-2 py-1 font-mono text-xs uppercase tracking-wide"
        >
          {status?.status.replace("_", " ") ?? "starting"}
        </span>
        <span className="flex items-center gap-2 text-sm" data-testid="connection">
          <span className={`inline-block h-3 w-3 rounded-full ${DOT[connection]}`} />
          {LABEL[connection]}
        </span>
        <button
          type="button"
          data-testid="stop-button"
          onClick={onStop}
          disabled={mode === "replay" || finished || status === null}
          className="rounded bg-red-600 px-3 py-1 text-sm font-medium hover:bg-red-500 disabled:cursor-not-allowed disabled:opacity-40"
        >
          Stop
        </button>
      </div>
    </header>
  );
}
