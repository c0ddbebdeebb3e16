// /specs: every saved spec with its last run, and edit / run / delete.
import { useCallback, useEffect, useState } from "react";
import { Link, useNavigate } from "react-router-dom";
import { deleteSpec, errorMessage, listSpecs, MAX_PAGE, startRun } from "../api";
import { ErrorMessage, PassedBadge, StatusBadge, button, dangerButton, formatDate, primaryButton, table, td, th } from "../components/ui";
import type { Spec } from "../types";

const PAGE_SIZE = MAX_PAGE;

export function SpecsPage() {
  const navigate = useNavigate();
  const [specs, setSpecs] = useState<Spec[] | null>(null);
  const [total, setTotal] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<number | null>(null);

  const load = useCallback(async () => {
    try {
      const page = await listSpecs({ limit: PAGE_SIZE, offset: 0 });
      setSpecs(page.items);
      setTotal(page.total);
    } catch (e) {
      setError(errorMessage(e));
      setSpecs([]);
    }
  }, []);
  useEffect(() => void load(), [load]);

  const run = async (spec: Spec) => {
    setBusy(spec.id);
    setError(null);
    try {
      const started = await startRun(spec.id);
      navigate(`/runs/${started.id}`);
    } catch (e) {
      setError(`Cannot run “${spec.name}”: ${errorMessage(e)}`);
    } finally {
      setBusy(null);
    }
  };

  const remove = async (spec: Spec) => {
    if (!window.confirm(`Delete the spec “${spec.name}”? Its runs are kept.`)) return;
    setBusy(spec.id);
    setError(null);
    try {
      await deleteSpec(spec.id);
      await load();
    } catch (e) {
      setError(`Cannot delete “${spec.name}”: ${errorMessage(e)}`);
    } finally {
      setBusy(null);
    }
  };

  return (
    <main className="space-y-3">
      <div className="flex items-center justify-between">
        <h1 className="text-lg font-semibold">Specs</h1>
        <Link to="/specs/new" className={primaryButton}>
          New spec
        </Link>
      </div>
      <ErrorMessage message={error} onDismiss={() => setError(null)} />
      {specs === null ? (
        <p className="text-slate-400">Loading…</p>
      ) : specs.length === 0 ? (
        <p className="text-slate-400">No specs yet. Create one with “New spec”.</p>
      ) : (
        <table className={table} data-testid="specs-table">
          <thead>
            <tr>
              <th className={th}>Name</th>
              <th className={th}>Method</th>
              <th className={th}>URL</th>
              <th className={th}>Last run</th>
              <th className={th}>Result</th>
              <th className={th}>
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {specs.map((spec) => (
              <tr key={spec.id} data-testid={`spec-row-${spec.id}`}>
                <td className={`${td} font-medium`}>{spec.name}</td>
                <td className={`${td} font-mono`}>{spec.request?.method ?? "scenario"}</td>
                <td className={`${td} max-w-xs truncate font-mono text-xs`} title={spec.request?.url}>
                  {spec.request?.url ?? "Python scenario"}
                </td>
                <td className={td}>
                  {spec.last_run === null ? (
                    <span className="text-slate-500">never</span>
                  ) : (
                    <Link to={`/runs/${spec.last_run.id}`} className="flex items-center gap-2 hover:underline">
                      <StatusBadge status={spec.last_run.status} testId="last-run-status" />
                      <span className="text-xs text-slate-400">{formatDate(spec.last_run.finished_at)}</span>
                    </Link>
                  )}
                </td>
                <td className={td}>
                  <PassedBadge passed={spec.last_run?.passed ?? null} />
                </td>
                <td className={`${td} whitespace-nowrap text-right`}>
                  <span className="inline-flex gap-2">
                    <Link to={`/specs/${spec.id}/edit`} className={button}>
                      Edit
                    </Link>
                    <button type="button" className={primaryButton} disabled={busy === spec.id} onClick={() => void run(spec)}>
                      Run
                    </button>
                    <button type="button" className={dangerButton} disabled={busy === spec.id} onClick={() => void remove(spec)}>
                      Delete
                    </button>
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {specs !== null && total > specs.length && (
        <p className="text-xs text-slate-400">Showing the first {specs.length} of {total} specs.</p>
      )}
    </main>
  );
}
