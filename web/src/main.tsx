import { lazy, StrictMode, Suspense } from "react";
import { createRoot } from "react-dom/client";
import { BrowserRouter, Route, Routes } from "react-router-dom";
import { App } from "./App";
import "./index.css";

// `/` is the run dashboard of `loadforge run --dashboard`; the other paths are `loadforge serve`'s pages.
const ServerApp = lazy(() => import("./server/ServerApp"));

const root = document.getElementById("root");
if (root !== null) {
  createRoot(root).render(
    <StrictMode>
      <BrowserRouter>
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
      </BrowserRouter>
    </StrictMode>,
  );
}
