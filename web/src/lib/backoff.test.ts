// @vitest-environment node
import { describe, expect, it } from "vitest";
import { backoffDelay } from "./backoff";

describe("backoffDelay", () => {
  it("doubles from the base and stops at the cap", () => {
    expect([0, 1, 2, 3].map((n) => backoffDelay(n, 500, 3000))).toEqual([500, 1000, 2000, 3000]);
    expect(backoffDelay(20)).toBe(10_000);
  });
});
