// The pages of `loadforge serve`: specs, runs and schedules, under a shared nav. Loaded lazily,
// so that the run dashboard at `/` does not download them.
import { useState } from "react";
import { NavLink, Route, Routes } from "react-router-dom";
import { storedToken, TOKEN_KEY } from "./api";
import { RunPage } from "./pages/RunPage";
import { RunsPage } from "./pages/RunsPage";
import { SchedulesPage } from "./pages/SchedulesPage";
import { SpecEditorPage } from "./pages/SpecEditorPage";
import { SpecsPage } from "./pages/SpecsPage";

const LINKS = [
  { to: "/specs", label: "Specs" },
  { to: "/runs", label: "Runs" },
  { to: "/schedules", label: "Schedules" },
];

/** The API token, for a server bound off loopback: kept in localStorage, sent by every call. */
function TokenButton() {
  const [hasToken, setHasToken] = useState(() => storedToken() !== null);
  const edit = () => {
    const token = window.prompt("API token (LOADFORGE_API_TOKEN); leave empty to forget it", storedToken() ?? "");
    if (token === null) return;
    if (token.trim() === "") window.localStorage.removeItem(TOKEN_KEY);
    else window.localStorage.setItem(TOKEN_KEY, token.trim());
    setHasToken(token.trim() !== "");
    window.location.reload();
  };
  return (
    <button type="button" onClick={edit} className="ml-auto text-xs text-slate-400 hover:text-slate-200">
      {hasToken ? "API token set" : "Set API token"}
    </button>
  );
}

function Nav() {
  return (
    <nav aria-label="Main" className="flex items-center gap-6 border-b border-slate-800 pb-3">
      <span className="text-xl font-semibold">LoadForge</span>
      <ul className="flex gap-4 text-sm">
        {LINKS.map((link) => (
          <li key={link.to}>
            <NavLink
              to={link.to}
              className={({ isActive }) => (isActive ? "font-semibold text-sky-400" : "text-slate-300 hover:text-slate-100")}
            >
              {link.label}
            </NavLink>
          </li>
        ))}
      </ul>
      <TokenButton />
    </nav>
  );
}

export default function ServerApp() {
  return (
    <div className="mx-auto max-w-7xl space-y-4 p-4">
      <Nav />
      <Routes>
        <Route path="/specs" element={<SpecsPage />} />
        <Route path="/specs/new" element={<SpecEditorPage />} />
        <Route path="/specs/:id/edit" element={<SpecEditorPage />} />
        <Route path="/runs" element={<RunsPage />} />
        <Route path="/runs/:id" element={<RunPage />} />
        <Route path="/schedules" element={<SchedulesPage />} />
        <Route path="*" element={<p className="text-slate-400">No such page.</p>} />
      </Routes>
    </div>
  );
}
