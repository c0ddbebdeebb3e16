// `/` is the run dashboard of `loadforge run --dashboard`; every other path is one of
// `loadforge serve`'s pages, loaded only when asked for so that the dashboard stays small.
import { lazy, Suspense } from "react";
import { Route, Routes } from "react-router-dom";
import { App } from "./App";

const ServerApp = lazy(() => import("./server/ServerApp"));

/** react-router v7's behaviour, opted into now (and its warnings silenced). */
export const ROUTER_FUTURE = { v7_startTransition: true, v7_relativeSplatPath: true } as const;

export function AppRoutes() {
  return (
    <Routes>
      <Route path="/" element={<App />} />
      <Route path="/index.html" element={<App />} />
      <Route
        path="*"
        element={
          <Suspense fallback={<p className="p-4 text-slate-400">Loading…</p>}>
            <ServerApp />
          </Suspense>
        }
      />
    </Routes>
  );
}
