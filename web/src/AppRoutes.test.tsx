import { render, screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { MemoryRouter } from "react-router-dom";
import { AppRoutes, ROUTER_FUTURE } from "./AppRoutes";

class QuietSocket {
  static urls: string[] = [];
  onopen = null;
  onmessage = null;
  onclose = null;
  constructor(url: string) {
    QuietSocket.urls.push(url);
  }
  close() {}
}

function renderAt(path: string) {
  return render(
    <MemoryRouter initialEntries={[path]} future={ROUTER_FUTURE}>
      <AppRoutes />
    </MemoryRouter>,
  );
}

describe("the routes", () => {
  beforeEach(() => {
    QuietSocket.urls = [];
    vi.spyOn(console, "warn").mockImplementation(() => undefined); // Recharts: a 0×0 chart in jsdom
    vi.stubGlobal("WebSocket", QuietSocket);
    vi.stubGlobal("ResizeObserver", class { observe() {} unobserve() {} disconnect() {} }); // prettier-ignore
    vi.stubGlobal("fetch", vi.fn(() => Promise.resolve(new Response(JSON.stringify({ items: [], total: 0, limit: 25, offset: 0 })))));
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
  });

  it("keep the run dashboard at / without the server nav", () => {
    renderAt("/");
    expect(screen.getByText("LoadForge Dashboard")).toBeTruthy();
    expect(screen.queryByRole("navigation")).toBeNull();
    expect(QuietSocket.urls[0]).toMatch(/\/ws\/metrics$/);
  });

  it("load the server pages, with their nav, at their own paths", async () => {
    renderAt("/specs");
    const nav = await screen.findByRole("navigation", {}, { timeout: 10_000 });
    expect(Array.from(nav.querySelectorAll("a")).map((a) => [a.textContent, a.getAttribute("href")])).toEqual([
      ["Specs", "/specs"],
      ["Runs", "/runs"],
      ["Schedules", "/schedules"],
    ]);
    expect(await screen.findByText(/No specs yet/)).toBeTruthy();
  });

  it("open the live run page on its socket", async () => {
    renderAt("/runs/12");
    await screen.findByText("Run #12", {}, { timeout: 10_000 });
    expect(QuietSocket.urls).toContain(`ws://${window.location.host}/ws/runs/12`);
  });
});
