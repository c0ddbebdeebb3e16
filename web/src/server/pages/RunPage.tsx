// /runs/:id: one run live: status, progress, cards, the dashboard's charts and endpoint table,
// the console, Stop, and once it ended its summary, threshold verdicts, CSV and reports (HTML, PDF).
import { useMemo, useState, type MouseEvent } from "react";
import { Link, useParams } from "react-router-dom";
import { Cards, type Card } from "../../components/Cards";
import { Charts } from "../../components/Charts";
import { EndpointTable } from "../../components/EndpointTable";
import { TaskExceptions } from "../../components/TaskExceptions";
import { ScenarioMixTable } from "../../components/ScenarioMixTable";
import { ScenarioTable } from "../../components/ScenarioTable";
import { formatMs, formatNumber, formatPercent } from "../../lib/format";
import { errorMessage, openProtected, runCsvUrl, runReportPdfUrl, runReportUrl, runSocketUrl, stopRun, storedToken } from "../api";
import { LogConsole } from "../components/LogConsole";
import { ErrorMessage, PassedBadge, StatusBadge, button, dangerButton, formatDate, formatSeconds, panel, table, td, th } from "../components/ui";
import { runElapsed, runFigures, runFraction, type RunFigures } from "../runState";
import { isActive, type Run } from "../types";
import { useRunSocket, type RunSocket } from "../useRunSocket";

const RUN_CARDS: { id: string; title: string; value: (f: RunFigures) => string }[] = [
  { id: "rps", title: "RPS", value: (f) => (f.rps === null ? "–" : formatNumber(f.rps, 1)) },
  { id: "successes", title: "Successes", value: (f) => formatNumber(f.successes) },
  { id: "failures", title: "Failures", value: (f) => formatNumber(f.failures) },
  { id: "p50", title: "p50 Latency", value: (f) => (f.p50 === null ? "–" : formatMs(f.p50)) },
  { id: "p95", title: "p95 Latency", value: (f) => (f.p95 === null ? "–" : formatMs(f.p95)) },
];

/** The run page's cards: the run's totals and latest latencies (its summary's once it ended). */
function runCards(figures: RunFigures): Card[] {
  return RUN_CARDS.map((card) => ({ id: card.id, title: card.title, value: card.value(figures) }));
}

function FileLink({ href, filename, label }: { href: string; filename: string; label: string }) {
  const [error, setError] = useState<string | null>(null);
  // A plain link cannot send the bearer header: with a token, fetch the file instead.
  const click = (event: MouseEvent) => {
    if (storedToken() === null) return;
    event.preventDefault();
    openProtected(href, filename).catch((e: unknown) => setError(errorMessage(e)));
  };
  return (
    <>
      <a href={href} download={filename.endsWith(".html") ? undefined : filename} target={filename.endsWith(".html") ? "_blank" : undefined} rel="noreferrer" onClick={click} className={button}>
        {label}
      </a>
      {error !== null && <span className="text-xs text-red-400">{error}</span>}
    </>
  );
}

function Summary({ run }: { run: Run }) {
  const summary = run.summary;
  return (
    <section className={`${panel} space-y-3`} data-testid="run-summary">
      <h2 className="flex items-center gap-2 text-sm font-medium text-slate-300">
        Result <PassedBadge passed={run.passed} />
      </h2>
      {run.error !== null && <ErrorMessage message={`The run failed: ${run.error}`} />}
      {summary !== null && (
        <dl className="grid grid-cols-2 gap-2 text-sm md:grid-cols-5">
          {[
            ["Requests", formatNumber(summary.requests)],
            ["Failed", `${formatNumber(summary.errors)} (${formatPercent(summary.error_rate)})`],
            ["RPS", formatNumber(summary.rps, 1)],
            ["Duration", formatSeconds(summary.duration_seconds)],
            ["p50 / p95 / p99", `${formatMs(summary.latency_p50)} / ${formatMs(summary.latency_p95)} / ${formatMs(summary.latency_p99)}`],
          ].map(([term, value]) => (
            <div key={term}>
              <dt className="text-xs uppercase tracking-wide text-slate-400">{term}</dt>
              <dd className="font-mono">{value}</dd>
            </div>
          ))}
        </dl>
      )}
      {run.thresholds.length > 0 && (
        <table className={table} data-testid="threshold-verdicts">
          <thead>
            <tr>
              <th className={th}>Threshold</th>
              <th className={th}>Actual</th>
              <th className={th}>Verdict</th>
            </tr>
          </thead>
          <tbody>
            {run.thresholds.map((verdict) => (
              <tr key={verdict.expression}>
                <td className={`${td} font-mono`}>{verdict.expression}</td>
                <td className={`${td} font-mono`}>{verdict.actual === null ? "–" : String(verdict.actual)}</td>
                <td className={td}>
                  <PassedBadge passed={verdict.passed} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

const CONNECTION = { open: "Connected", connecting: "Connecting", closed: "Disconnected" } as const;

interface HeaderProps {
  runId: number;
  socket: RunSocket;
  stopping: boolean;
  onStop: () => void;
}

function RunHeader({ runId, socket, stopping, onStop }: HeaderProps) {
  const run = socket.run;
  const active = run !== null && isActive(run.status);
  return (
    <header className="flex flex-wrap items-center justify-between gap-3">
      <div>
        <h1 className="text-lg font-semibold">
          Run #{runId}
          {run !== null && <span className="text-slate-400"> · {run.spec.name}</span>}
        </h1>
        {run !== null && (
          <p className="text-xs text-slate-400">
            {run.spec_id !== null && (
              <Link to={`/specs/${run.spec_id}/edit`} className="hover:underline">
                spec #{run.spec_id}
              </Link>
            )}
            {" · started "}
            {formatDate(run.started_at)}
            {run.finished_at !== null && ` · ended ${formatDate(run.finished_at)}`}
          </p>
        )}
      </div>
      <div className="flex items-center gap-3">
        {run !== null ? (
          <StatusBadge status={run.status} />
        ) : (
          <span data-testid="run-status" className="text-xs text-slate-400">
            connecting…
          </span>
        )}
        <span data-testid="connection" className="text-xs text-slate-400">
          {CONNECTION[socket.connection]}
        </span>
        {active && (
          <button type="button" data-testid="stop-button" className={dangerButton} disabled={stopping} onClick={onStop}>
            Stop
          </button>
        )}
        {run !== null && !active && (
          <>
            <FileLink href={runCsvUrl(runId)} filename={`run-${runId}.csv`} label="CSV" />
            <FileLink href={runReportUrl(runId)} filename={`run-${runId}-report.html`} label="Report" />
            {/* Printed from result.json, which an interrupted run lacks (its report is drawn from snapshots). */}
            {run.status !== "interrupted" && (
              <FileLink href={runReportPdfUrl(runId)} filename={`run-${runId}-report.pdf`} label="PDF report" />
            )}
          </>
        )}
      </div>
    </header>
  );
}

function RunProgress({ socket }: { socket: RunSocket }) {
  const run = socket.run;
  const fraction = runFraction(socket);
  const active = run !== null && isActive(run.status);
  return (
    <div>
      <div
        role="progressbar"
        aria-label="Run progress"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(fraction * 100)}
        data-testid="run-progress"
        className="h-2 w-full overflow-hidden rounded bg-slate-800"
      >
        <div className={`h-full ${active ? "bg-sky-500" : "bg-slate-500"}`} style={{ width: `${fraction * 100}%` }} />
      </div>
      {run?.progress && (
        <p className="mt-1 text-xs text-slate-400">
          {formatSeconds(runElapsed(socket))} of {formatSeconds(run.progress.duration_seconds)} · {Math.round(fraction * 100)}%
        </p>
      )}
    </div>
  );
}

export function RunPage() {
  const runId = Number(useParams().id);
  const url = useMemo(() => runSocketUrl(runId), [runId]);
  const socket = useRunSocket(url);
  const [stopError, setStopError] = useState<string | null>(null);
  const [stopping, setStopping] = useState(false);

  const stop = async () => {
    setStopping(true);
    setStopError(null);
    try {
      socket.setRun(await stopRun(runId));
    } catch (e) {
      setStopError(`Stop failed: ${errorMessage(e)}`);
    } finally {
      setStopping(false);
    }
  };

  const run = socket.run;
  const latest = socket.snapshots[socket.snapshots.length - 1];
  return (
    <main className="space-y-4">
      <RunHeader runId={runId} socket={socket} stopping={stopping} onStop={() => void stop()} />
      <ErrorMessage message={socket.fatal ?? stopError} />
      <RunProgress socket={socket} />
      <Cards cards={runCards(runFigures(socket))} />
      {run !== null && !isActive(run.status) && <Summary run={run} />}
      <Charts snapshots={socket.snapshots} />
      <ScenarioMixTable endpoints={latest?.endpoints ?? []} />
      <EndpointTable key={runId} endpoints={latest?.endpoints ?? []} />
      <TaskExceptions snapshots={socket.snapshots} />
      <ScenarioTable checks={latest?.checks ?? []} metrics={latest?.metrics ?? []} groups={latest?.groups ?? []} />
      <section className="space-y-2">
        <h2 className="text-sm font-medium text-slate-300">Console</h2>
        <LogConsole lines={socket.logs} />
      </section>
    </main>
  );
}
