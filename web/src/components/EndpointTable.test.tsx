import { fireEvent, render, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { endpoint } from "../test/fixtures";
import { EndpointTable } from "./EndpointTable";

const rows = [endpoint("List", 4200, 32), endpoint("Get Item", 2500, 450), endpoint("Create", 850, 900)];

function names(): string[] {
  const body = screen.getByTestId("endpoint-table").querySelector("tbody");
  return Array.from(body?.querySelectorAll("tr") ?? []).map((tr) => tr.cells[0]?.textContent?.replace("GET", "") ?? "");
}

describe("EndpointTable", () => {
  it("sorts by RPS first, then by the clicked column, flipping on a second click", () => {
    render(<EndpointTable endpoints={rows} />);
    expect(names()).toEqual(["List", "Get Item", "Create"]);
    fireEvent.click(screen.getByText("p95"));
    expect(names()).toEqual(["Create", "Get Item", "List"]);
    fireEvent.click(screen.getByText(/p95/));
    expect(names()).toEqual(["List", "Get Item", "Create"]);
    fireEvent.click(screen.getByText("Endpoint"));
    expect(names()).toEqual(["Create", "Get Item", "List"]);
  });

  it("colours latency cells by level", () => {
    render(<EndpointTable endpoints={rows} />);
    const create = screen.getByText("Create").closest("tr");
    expect(create).not.toBeNull();
    const levels = within(create as HTMLElement)
      .getAllByRole("cell")
      .map((cell) => cell.getAttribute("data-level"))
      .filter((level) => level !== null);
    expect(levels).toEqual(["warn", "bad", "bad"]); // p50 450 ms, p95 900 ms, p99 1.8 s
  });
});

describe("EndpointTable timings", () => {
  const timing = (p95: number) => ({ count: 10, avg: p95 / 2, p50: p95 / 2, p90: p95, p95, p99: p95 * 2, min: 0, max: p95 * 3 });

  it("has no timing columns for a run that records none", () => {
    render(<EndpointTable endpoints={rows} />);
    expect(screen.queryByText("TTFB p95")).toBeNull();
    expect(screen.getByTestId("endpoint-table").querySelector("[data-timing]")).toBeNull();
  });

  it("shows each endpoint's ttfb and receiving p95, the rest in the tooltip, and keeps the columns", () => {
    const timed = [
      { ...endpoint("List", 4200, 32), timings: { connecting: timing(1), ttfb: timing(20), receiving: timing(2) } },
      endpoint("Create", 850, 900),
    ];
    const { rerender } = render(<EndpointTable endpoints={timed} />);
    expect(screen.getByText("TTFB p95")).toBeTruthy();
    const list = screen.getByText("List").closest("tr") as HTMLElement;
    const ttfb = list.querySelector('[data-timing="ttfb"]') as HTMLElement;
    expect(ttfb.textContent).toBe("20.0ms");
    expect(ttfb.getAttribute("title")).toBe(
      "Connect: p50 0.50ms, p95 1.00ms, p99 2.00ms (10)\nTTFB: p50 10.0ms, p95 20.0ms, p99 40.0ms (10)\nReceive: p50 1.00ms, p95 2.00ms, p99 4.00ms (10)",
    );
    const create = screen.getByText("Create").closest("tr") as HTMLElement;
    expect(create.querySelector('[data-timing="ttfb"]')?.textContent).toBe("–");
    // The timing columns sort like the others; an endpoint without the timing goes last.
    fireEvent.click(screen.getByText("TTFB p95"));
    expect(names()).toEqual(["List", "Create"]);
    fireEvent.click(screen.getByText(/TTFB p95/));
    expect(names()).toEqual(["Create", "List"]);
    // A second in which nothing recorded timings keeps the columns.
    rerender(<EndpointTable endpoints={rows} />);
    expect(screen.getByText(/TTFB p95/)).toBeTruthy();
  });
});
