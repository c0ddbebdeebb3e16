// The dashboard page: header, five cards, four charts, the scenarios table (a run of
// several), the endpoint table, task exceptions.
import { useCallback, useState } from "react";
import { Cards, snapshotCards } from "./components/Cards";
import { Charts } from "./components/Charts";
import { EndpointTable } from "./components/EndpointTable";
import { ScenarioMixTable } from "./components/ScenarioMixTable";
import { ScenarioTable } from "./components/ScenarioTable";
import { Header } from "./components/Header";
import { TaskExceptions } from "./components/TaskExceptions";
import { defaultUrl, useMetricsSocket } from "./lib/useMetricsSocket";

export function App() {
  const metrics = useMetricsSocket(defaultUrl());
  const [stopError, setStopError] = useState<string | null>(null);
  const stop = useCallback(async () => {
    try {
      const response = await fetch("api/stop", { method: "POST" });
      if (response.ok) {
        setStopError(null);
        return;
      }
      const body = (await response.json().catch(() => ({}))) as { detail?: string };
      setStopError(body.detail ?? `Stop failed (HTTP ${response.status}).`);
    } catch {
      setStopError("Stop failed: the dashboard server cannot be reached.");
    }
  }, []);
  const latest = metrics.snapshots[metrics.snapshots.length - 1];
  const previous = metrics.snapshots[metrics.snapshots.length - 2];
  return (
    <div className="mx-auto max-w-7xl space-y-4 p-4">
      <Header
        status={metrics.status}
        connection={metrics.connection}
        mode={metrics.mode}
        onStop={() => void stop()}
      />
      {stopError !== null && <p className="text-sm text-red-400">{stopError}</p>}
      <Cards cards={snapshotCards(latest, previous)} />
      <Charts snapshots={metrics.snapshots} />
      <ScenarioMixTable endpoints={latest?.endpoints ?? []} />
      <EndpointTable endpoints={latest?.endpoints ?? []} />
      <TaskExceptions snapshots={metrics.snapshots} />
      <ScenarioTable checks={latest?.checks ?? []} metrics={latest?.metrics ?? []} groups={latest?.groups ?? []} />
    </div>
  );
}
