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
