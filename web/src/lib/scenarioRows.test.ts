// @vitest-environment node
import { describe, expect, it } from "vitest";
import { endpoint } from "../test/fixtures";
import { scenarioRows } from "./scenarioRows";

describe("scenarioRows", () => {
  it("adds up each scenario's endpoints, in the order they first appear", () => {
    const rows = scenarioRows([
      endpoint("Browse › List", 30, 10, 3),
      endpoint("Buy › Pay", 5, 90, 1),
      endpoint("Browse › Get", 10, 20, 1),
    ]);
    expect(rows).toEqual([
      { name: "Browse", requests: 40, rps: 40, errors: 4, error_rate: 0.1 },
      { name: "Buy", requests: 5, rps: 5, errors: 1, error_rate: 0.2 },
    ]);
  });

  it("has no rows for one scenario, or when an endpoint names no scenario", () => {
    expect(scenarioRows([endpoint("Browse › List", 3, 10), endpoint("Browse › Get", 1, 10)])).toEqual([]);
    expect(scenarioRows([endpoint("Browse › List", 3, 10), endpoint("Pay", 1, 10)])).toEqual([]);
    expect(scenarioRows([])).toEqual([]);
  });

  it("gives an error rate of 0 to a scenario with no requests in the second", () => {
    const rows = scenarioRows([endpoint("A › x", 0, 0), endpoint("B › y", 2, 10, 2)]);
    expect(rows.map((row) => row.error_rate)).toEqual([0, 1]);
  });
});
