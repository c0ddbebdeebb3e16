// /runs: the run history, newest first, filtered by status and spec, a page at a time.
import { useEffect, useState } from "react";
import { Link, useSearchParams } from "react-router-dom";
import { formatMs, formatNumber } from "../../lib/format";
import { errorMessage, listAll, listRuns, listSpecs } from "../api";
import { ErrorMessage, Field, PassedBadge, StatusBadge, button, formatDate, formatSeconds, input, table, td, th } from "../components/ui";
import { RUN_STATUSES, type Page, type Run, type RunStatus, type Spec } from "../types";

export const RUNS_PAGE_SIZE = 25;

/** Seconds between start and end (or now, while it runs); the summary's figure once there is one. */
export function runDuration(run: Run, now: number = Date.now()): number | null {
  if (run.summary !== null) return run.summary.duration_seconds;
  if (run.started_at === null) return null;
  const end = run.finished_at === null ? now : Date.parse(run.finished_at);
  return Math.max(0, (end - Date.parse(run.started_at)) / 1000);
}

export function RunsPage() {
  const [params, setParams] = useSearchParams();
  const status = (params.get("status") ?? "") as RunStatus | "";
  const specId = params.get("spec_id") ?? "";
  const offset = Math.max(0, Number(params.get("offset") ?? 0) || 0);
  const [page, setPage] = useState<Page<Run> | null>(null);
  const [specs, setSpecs] = useState<Spec[]>([]);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    listAll(listSpecs)
      .then(setSpecs)
      .catch(() => setSpecs([]));
  }, []);

  useEffect(() => {
    let current = true;
    const filter = { status: status || null, spec_id: specId === "" ? null : Number(specId), limit: RUNS_PAGE_SIZE, offset };
    listRuns(filter).then(
      (result) => {
        if (!current) return; // the filter changed while this page was on its way
        setPage(result);
        setError(null);
      },
      (e: unknown) => {
        if (current) setError(errorMessage(e));
      },
    );
    return () => {
      current = false;
    };
  }, [status, specId, offset]);

  const update = (changes: Record<string, string>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value === "" || (key === "offset" && value === "0")) next.delete(key);
      else next.set(key, value);
    }
    setParams(next);
  };

  const limit = page?.limit ?? RUNS_PAGE_SIZE;
  const total = page?.total ?? 0;
  return (
    <main className="space-y-3">
      <h1 className="text-lg font-semibold">Runs</h1>
      <div className="flex flex-wrap gap-3">
        <div className="w-48">
          <Field id="runs-status" label="Status">
            <select id="runs-status" className={input} value={status} onChange={(e) => update({ status: e.target.value, offset: "0" })}>
              <option value="">any</option>
              {RUN_STATUSES.map((s) => (
                <option key={s}>{s}</option>
              ))}
            </select>
          </Field>
        </div>
        <div className="w-64">
          <Field id="runs-spec" label="Spec">
            <select id="runs-spec" className={input} value={specId} onChange={(e) => update({ spec_id: e.target.value, offset: "0" })}>
              <option value="">any</option>
              {specs.map((spec) => (
                <option key={spec.id} value={String(spec.id)}>
                  {spec.name}
                </option>
              ))}
            </select>
          </Field>
        </div>
      </div>
      <ErrorMessage message={error} />
      {page === null ? (
        <p className="text-slate-400">Loading…</p>
      ) : page.items.length === 0 ? (
        <p className="text-slate-400">No runs.</p>
      ) : (
        <table className={table} data-testid="runs-table">
          <thead>
            <tr>
              {["Run", "Spec", "Status", "Started", "Duration", "Requests", "p95", "Passed"].map((title) => (
                <th key={title} className={th}>
                  {title}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {page.items.map((run) => (
              <tr key={run.id} data-testid={`run-row-${run.id}`}>
                <td className={td}>
                  <Link to={`/runs/${run.id}`} className="font-mono text-sky-400 hover:underline">
                    #{run.id}
                  </Link>
                </td>
                <td className={td}>{run.spec.name}</td>
                <td className={td}>
                  <StatusBadge status={run.status} testId="run-row-status" />
                </td>
                <td className={td}>{formatDate(run.started_at)}</td>
                <td className={`${td} font-mono`}>{formatSeconds(runDuration(run))}</td>
                <td className={`${td} font-mono`}>{run.summary === null ? "–" : formatNumber(run.summary.requests)}</td>
                <td className={`${td} font-mono`}>{run.summary === null ? "–" : formatMs(run.summary.latency_p95)}</td>
                <td className={td}>
                  <PassedBadge passed={run.passed} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {page !== null && total > 0 && (
        <div className="flex items-center gap-3 text-sm">
          <button type="button" className={button} disabled={offset === 0} onClick={() => update({ offset: String(Math.max(0, offset - limit)) })}>
            Previous
          </button>
          <span data-testid="runs-range" className="text-slate-400">
            {Math.min(offset + 1, total)}–{Math.min(offset + page.items.length, total)} of {total}
          </span>
          <button type="button" className={button} disabled={offset + limit >= total} onClick={() => update({ offset: String(offset + limit) })}>
            Next
          </button>
        </div>
      )}
    </main>
  );
}
