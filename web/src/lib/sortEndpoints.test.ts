// @vitest-environment node
import { describe, expect, it } from "vitest";
import { endpoint } from "../test/fixtures";
import { nextSort, sortEndpoints } from "./sortEndpoints";

const rows = [endpoint("List", 4200, 32, 3), endpoint("Get Item", 2500, 45, 1), endpoint("Create", 850, 90, 8)];

describe("sortEndpoints", () => {
  it("sorts numbers in both directions", () => {
    expect(sortEndpoints(rows, { key: "rps", direction: "desc" }).map((r) => r.name)).toEqual(["List", "Get Item", "Create"]);
    expect(sortEndpoints(rows, { key: "latency_p95", direction: "desc" }).map((r) => r.name)).toEqual(["Create", "Get Item", "List"]);
    expect(sortEndpoints(rows, { key: "errors", direction: "asc" }).map((r) => r.name)).toEqual(["Get Item", "List", "Create"]);
  });

  it("sorts names alphabetically and does not change its input", () => {
    expect(sortEndpoints(rows, { key: "name", direction: "asc" }).map((r) => r.name)).toEqual(["Create", "Get Item", "List"]);
    expect(rows[0]?.name).toBe("List");
  });

  it("breaks ties by name", () => {
    const tied = [endpoint("b", 10, 1), endpoint("a", 10, 1)];
    expect(sortEndpoints(tied, { key: "rps", direction: "desc" }).map((r) => r.name)).toEqual(["a", "b"]);
  });
});

describe("nextSort", () => {
  it("flips the direction on the same column and starts a new one descending", () => {
    expect(nextSort({ key: "rps", direction: "desc" }, "rps")).toEqual({ key: "rps", direction: "asc" });
    expect(nextSort({ key: "rps", direction: "asc" }, "rps")).toEqual({ key: "rps", direction: "desc" });
    expect(nextSort({ key: "rps", direction: "desc" }, "latency_p99")).toEqual({ key: "latency_p99", direction: "desc" });
    expect(nextSort({ key: "rps", direction: "desc" }, "name")).toEqual({ key: "name", direction: "asc" });
  });
});
