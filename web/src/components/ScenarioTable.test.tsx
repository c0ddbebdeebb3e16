import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { ScenarioTable } from "./ScenarioTable";

describe("ScenarioTable", () => {
  it("shows nothing for a scenario without checks, metrics or groups", () => {
    const { container } = render(<ScenarioTable checks={[]} metrics={[]} groups={[]} />);
    expect(container.textContent).toBe("");
  });

  it("shows a check's pass rate, a counter per second and a group's p95", () => {
    render(
      <ScenarioTable
        checks={[{ name: "status is 200", passes: 99, fails: 1, pass_rate: 0.99 }]}
        metrics={[{ name: "orders", type: "counter", count: 30, per_second: 30, value: 0, ratio: 0, p95: 0 }]}
        groups={[{ name: "checkout", count: 5, per_second: 5, p50: 10, p95: 20, p99: 30, max: 40 }]}
      />,
    );
    const table = screen.getByTestId("scenario-table");
    expect(table.textContent).toContain("status is 200");
    expect(table.textContent).toContain("99");
    expect(table.textContent).toContain("30.0/s");
    expect(table.textContent).toContain("checkout");
  });
});
