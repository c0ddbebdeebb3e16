import { fireEvent, render, screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { MemoryRouter } from "react-router-dom";
import { ROUTER_FUTURE } from "../../AppRoutes";
import { run, spec } from "../../test/serverFixtures";
import { runDuration, RunsPage } from "./RunsPage";

describe("the runs history", () => {
  let fetchMock: ReturnType<typeof vi.fn>;
  beforeEach(() => {
    fetchMock = vi.fn((url: string) => {
      const body = url.startsWith("/api/specs")
        ? { items: [spec(1), spec(2, "search")], total: 2, limit: 200, offset: 0 }
        : { items: [run(7, { status: "failed" })], total: 60, limit: 25, offset: Number(new URL(url, "http://x").searchParams.get("offset")) };
      return Promise.resolve(new Response(JSON.stringify(body)));
    });
    vi.stubGlobal("fetch", fetchMock);
  });
  afterEach(() => vi.unstubAllGlobals());

  const runCalls = () => fetchMock.mock.calls.map((call) => call[0] as string).filter((url) => url.startsWith("/api/runs"));

  it("filters by status and spec and pages with the envelope's limit", async () => {
    render(
      <MemoryRouter initialEntries={["/runs"]} future={ROUTER_FUTURE}>
        <RunsPage />
      </MemoryRouter>,
    );
    expect((await screen.findByTestId("run-row-7")).textContent).toContain("checkout");
    expect(screen.getByTestId("runs-range").textContent).toBe("1–1 of 60");
    fireEvent.change(screen.getByLabelText("Status"), { target: { value: "failed" } });
    await screen.findByText("search", { selector: "option" });
    fireEvent.change(screen.getByLabelText("Spec"), { target: { value: "2" } });
    fireEvent.click(screen.getByRole("button", { name: "Next" }));
    await vi.waitFor(() => expect(runCalls()).toContain("/api/runs?status=failed&spec_id=2&limit=25&offset=25"));
    expect(runCalls()[0]).toBe("/api/runs?limit=25&offset=0");
  });
});

describe("runDuration", () => {
  it("is the summary's when the run has one, else start to end or now", () => {
    const started = { started_at: "2026-11-23T13:00:00Z", finished_at: null };
    expect(runDuration(run(1, started), Date.parse("2026-11-23T13:00:30Z"))).toBe(30);
    expect(runDuration(run(1, { ...started, finished_at: "2026-11-23T13:01:00Z" }))).toBe(60);
    expect(runDuration(run(1, { started_at: null }))).toBeNull();
  });
});
