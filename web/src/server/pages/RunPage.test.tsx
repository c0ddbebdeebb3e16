import { fireEvent, render, screen, within } from "@testing-library/react";
import { act } from "react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { MemoryRouter, Route, Routes } from "react-router-dom";
import { ROUTER_FUTURE } from "../../AppRoutes";
import { endpoint, snapshot } from "../../test/fixtures";
import { run } from "../../test/serverFixtures";
import type { RunMessage } from "../types";
import { RunPage } from "./RunPage";

class ServerSocket {
  static last: ServerSocket;
  onopen: ((event: Event) => void) | null = null;
  onmessage: ((event: MessageEvent<string>) => void) | null = null;
  onclose: ((event: CloseEvent) => void) | null = null;
  constructor(readonly url: string) {
    ServerSocket.last = this;
  }
  send(message: RunMessage) {
    act(() => this.onmessage?.(new MessageEvent("message", { data: JSON.stringify(message) })));
  }
  close() {}
}

function renderRun(id = 7) {
  return render(
    <MemoryRouter initialEntries={[`/runs/${id}`]} future={ROUTER_FUTURE}>
      <Routes>
        <Route path="/runs/:id" element={<RunPage />} />
      </Routes>
    </MemoryRouter>,
  );
}

describe("the live run page", () => {
  let fetchMock: ReturnType<typeof vi.fn>;
  beforeEach(() => {
    vi.stubGlobal("WebSocket", ServerSocket);
    vi.stubGlobal("ResizeObserver", class { observe() {} unobserve() {} disconnect() {} }); // prettier-ignore
    vi.spyOn(console, "warn").mockImplementation(() => undefined); // Recharts: a 0×0 chart in jsdom
    fetchMock = vi.fn();
    vi.stubGlobal("fetch", fetchMock);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
  });

  it("fills the cards and the console as messages come, and stops the run", async () => {
    renderRun();
    const socket = ServerSocket.last;
    socket.send({ type: "history", data: { run: run(), snapshots: [snapshot(1)], logs: [{ seq: 1, timestamp: "t", line: "run 7 started" }] } });
    socket.send({ type: "progress", data: snapshot(2) });
    socket.send({ type: "log", data: { seq: 2, timestamp: "t", line: "10 users" } });
    expect(screen.getByTestId("run-status").textContent).toBe("running");
    expect(screen.getByTestId("card-successes-value").textContent).toBe("200");
    expect(screen.getByTestId("card-rps-value").textContent).toBe("100.0");
    expect(screen.getAllByTestId("log-line").map((row) => row.textContent)).toEqual(["run 7 started", "10 users"]);
    expect(screen.queryByRole("link", { name: "CSV" })).toBeNull();

    fetchMock.mockResolvedValue(new Response(JSON.stringify(run(7, { status: "stopped" })), { status: 202 }));
    fireEvent.click(screen.getByRole("button", { name: "Stop" }));
    await screen.findByText("stopped");
    expect(fetchMock.mock.calls[0]).toMatchObject(["/api/runs/7/stop", { method: "POST" }]);
    expect(screen.queryByRole("button", { name: "Stop" })).toBeNull();
  });

  it("shows the latest snapshot's endpoints in the endpoint table", () => {
    renderRun();
    const socket = ServerSocket.last;
    const first = { ...snapshot(1), endpoints: [endpoint("List", 40, 12)] };
    socket.send({ type: "history", data: { run: run(), snapshots: [first], logs: [] } });
    const table = screen.getByTestId("endpoint-table");
    expect(within(table).getByText("List")).toBeTruthy();

    socket.send({ type: "progress", data: { ...snapshot(2), endpoints: [endpoint("Create", 9, 30), endpoint("Get Item", 25, 20)] } });
    const rows = within(screen.getByTestId("endpoint-table")).getAllByRole("row").slice(1);
    const names = rows.map((row) => within(row).getAllByRole("cell")[0]?.textContent?.replace("GET", ""));
    expect(names).toEqual(["Get Item", "Create"]); // by RPS, highest first
    expect(within(rows[0] as HTMLElement).getByText("25.0")).toBeTruthy();
    expect(within(screen.getByTestId("endpoint-table")).queryByText("List")).toBeNull();
  });

  it("shows a Scenarios table of the latest second for a run of several scenarios only", () => {
    renderRun();
    const socket = ServerSocket.last;
    const one = { ...snapshot(1), endpoints: [endpoint("List", 40, 12)] };
    socket.send({ type: "history", data: { run: run(), snapshots: [one], logs: [] } });
    expect(screen.queryByTestId("scenario-mix-table")).toBeNull();

    const mixed = [endpoint("Browse › List", 30, 12, 3), endpoint("Buy › Pay", 6, 40), endpoint("Browse › Item", 10, 20)];
    socket.send({ type: "progress", data: { ...snapshot(2), endpoints: mixed } });
    const rows = within(screen.getByTestId("scenario-mix-table")).getAllByRole("row").slice(1);
    const cells = rows.map((row) => within(row).getAllByRole("cell").map((cell) => cell.textContent));
    expect(cells).toEqual([
      ["Browse", "40", "40.0", "3", "7.50%"],
      ["Buy", "6", "6.0", "0", "0.00%"],
    ]);
  });

  it("shows the summary, the verdicts and the files once the run ended", () => {
    renderRun();
    const summary = {
      requests: 1000, errors: 10, error_rate: 0.01, rps: 99.5, duration_seconds: 10,
      latency_p50: 3, latency_p95: 9, latency_p99: 12, latency_max: 40, latency_avg: 4,
    }; // prettier-ignore
    const ended = run(7, {
      status: "completed",
      summary,
      passed: false,
      thresholds: [{ expression: "p95<5ms", passed: false, actual: "9ms" }],
    });
    ServerSocket.last.send({ type: "history", data: { run: ended, snapshots: [], logs: [] } });
    expect(screen.getByTestId("card-failures-value").textContent).toBe("10");
    expect(screen.getByRole("link", { name: "CSV" }).getAttribute("href")).toBe("/api/runs/7/csv");
    expect(screen.getByRole("link", { name: "Report" }).getAttribute("href")).toBe("/api/runs/7/report");
    const pdf = screen.getByRole("link", { name: "PDF report" });
    expect(pdf.getAttribute("href")).toBe("/api/runs/7/report.pdf");
    expect(pdf.getAttribute("download")).toBe("run-7-report.pdf");
    const verdicts = screen.getByTestId("threshold-verdicts");
    expect(within(verdicts).getByText("p95<5ms")).toBeTruthy();
    expect(within(verdicts).getByTestId("passed-badge").textContent).toBe("failed");
  });

  it("offers no PDF report for an interrupted run, which has no result.json to print", () => {
    renderRun();
    const interrupted = run(7, { status: "interrupted", error: "server stopped" });
    ServerSocket.last.send({ type: "history", data: { run: interrupted, snapshots: [], logs: [] } });
    expect(screen.getByRole("link", { name: "Report" }).getAttribute("href")).toBe("/api/runs/7/report");
    expect(screen.queryByRole("link", { name: "PDF report" })).toBeNull();
  });
});
