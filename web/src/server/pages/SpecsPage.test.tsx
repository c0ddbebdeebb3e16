import { fireEvent, render, screen, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { MemoryRouter, Route, Routes } from "react-router-dom";
import { ROUTER_FUTURE } from "../../AppRoutes";
import { run, spec } from "../../test/serverFixtures";
import { SpecsPage } from "./SpecsPage";

const json = (status: number, body: unknown) => Promise.resolve(new Response(JSON.stringify(body), { status }));

function renderList() {
  return render(
    <MemoryRouter initialEntries={["/specs"]} future={ROUTER_FUTURE}>
      <Routes>
        <Route path="/specs" element={<SpecsPage />} />
        <Route path="/runs/:id" element={<p>run page</p>} />
      </Routes>
    </MemoryRouter>,
  );
}

describe("the specs list", () => {
  let fetchMock: ReturnType<typeof vi.fn>;
  beforeEach(() => {
    fetchMock = vi.fn();
    vi.stubGlobal("fetch", fetchMock);
  });
  afterEach(() => vi.unstubAllGlobals());

  const withLastRun = { ...spec(1), last_run: { id: 3, status: "completed" as const, passed: false, finished_at: "2026-11-23T13:01:00Z" } };

  it("shows each spec with its last run, and Run opens the new run", async () => {
    fetchMock.mockImplementation((_url: string, init: RequestInit) =>
      init.method === "POST" ? json(202, run(9)) : json(200, { items: [withLastRun], total: 1, limit: 100, offset: 0 }),
    );
    renderList();
    const row = await screen.findByTestId("spec-row-1");
    expect(row.textContent).toContain("checkout");
    expect(row.textContent).toContain("http://127.0.0.1:8080/anything");
    expect(within(row).getByTestId("last-run-status").textContent).toBe("completed");
    expect(within(row).getByTestId("passed-badge").textContent).toBe("failed");
    fireEvent.click(within(row).getByRole("button", { name: "Run" }));
    await screen.findByText("run page");
    expect(fetchMock.mock.calls[1]?.[0]).toBe("/api/runs/1");
  });

  it("shows why the server refused to run it", async () => {
    fetchMock.mockImplementation((_url: string, init: RequestInit) =>
      init.method === "POST"
        ? json(403, { detail: "target 10.1.1.1 is not in --allow-target" })
        : json(200, { items: [spec(1)], total: 1, limit: 100, offset: 0 }),
    );
    renderList();
    fireEvent.click(await screen.findByRole("button", { name: "Run" }));
    expect((await screen.findByRole("alert")).textContent).toContain("not in --allow-target");
  });

  it("deletes after confirmation and shows a 409", async () => {
    vi.stubGlobal("confirm", () => true);
    fetchMock.mockImplementation((_url: string, init: RequestInit) =>
      init.method === "DELETE"
        ? json(409, { detail: "spec 1 has a running run" })
        : json(200, { items: [spec(1)], total: 1, limit: 100, offset: 0 }),
    );
    renderList();
    fireEvent.click(await screen.findByRole("button", { name: "Delete" }));
    expect((await screen.findByRole("alert")).textContent).toContain("has a running run");
    expect(fetchMock.mock.calls[1]).toMatchObject(["/api/specs/1", { method: "DELETE" }]);
  });
});
