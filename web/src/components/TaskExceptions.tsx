// The run's distinct task exceptions, summed over the seconds received: message, task, where.
import type { Snapshot } from "../types";

type TaskException = Snapshot["task_exceptions"][number];

/** Each distinct exception (by type and message) over `snapshots`, most frequent first. */
export function sumTaskExceptions(snapshots: readonly Snapshot[]): TaskException[] {
  const byKey = new Map<string, TaskException>();
  for (const snapshot of snapshots) {
    for (const exception of snapshot.task_exceptions ?? []) {
      const key = `${exception.type}\u0000${exception.message}`;
      const known = byKey.get(key);
      byKey.set(key, known ? { ...known, count: known.count + exception.count } : exception);
    }
  }
  return [...byKey.values()].sort((a, b) => b.count - a.count || a.type.localeCompare(b.type));
}

export function TaskExceptions({ snapshots }: { snapshots: readonly Snapshot[] }) {
  const exceptions = sumTaskExceptions(snapshots);
  if (exceptions.length === 0) {
    return null;
  }
  return (
    <section className="space-y-2" data-testid="task-exceptions">
      <h2 className="text-sm font-medium text-red-300">Task exceptions</h2>
      <ul className="space-y-2 text-sm">
        {exceptions.map((e) => (
          <li key={`${e.type}:${e.message}`} className="rounded bg-slate-800 p-2">
            <div>
              <span className="font-mono">{e.count.toLocaleString()}×</span> in task {e.task}:{" "}
              <span className="text-red-300">{e.message ? `${e.type}: ${e.message}` : e.type}</span>
            </div>
            <pre className="overflow-x-auto text-xs text-slate-400">{e.traceback}</pre>
          </li>
        ))}
      </ul>
    </section>
  );
}
