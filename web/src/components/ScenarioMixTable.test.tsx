import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { endpoint } from "../test/fixtures";
import { ScenarioMixTable } from "./ScenarioMixTable";

function cells(): string[][] {
  const body = screen.getByTestId("scenario-mix-table").querySelector("tbody");
  return Array.from(body?.querySelectorAll("tr") ?? []).map((tr) => Array.from(tr.cells, (td) => td.textContent ?? ""));
}

describe("ScenarioMixTable", () => {
  it("shows a row per scenario with its requests, rate and errors, and says why no latency", () => {
    render(
      <ScenarioMixTable
        endpoints={[endpoint("Browse › List", 30, 10, 3), endpoint("Buy › Pay", 5, 90), endpoint("Browse › Get", 10, 20, 1)]}
      />,
    );
    const rows = cells();
    expect(rows.map((row) => row[0])).toEqual(["Browse", "Buy"]);
    expect(rows[0]?.slice(1)).toEqual(["40", "40.0", "4", "10.00%"]);
    expect(screen.getByText(/percentiles do not add up/)).toBeTruthy();
  });

  it("renders nothing for a run of one scenario", () => {
    const { container } = render(<ScenarioMixTable endpoints={[endpoint("List", 30, 10)]} />);
    expect(container.innerHTML).toBe("");
  });
});
