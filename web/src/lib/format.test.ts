// @vitest-environment node
import { describe, expect, it } from "vitest";
import { formatMs, formatPercent, latencyLevel, trend } from "./format";

describe("format", () => {
  it("shows milliseconds with sensible precision and seconds above 1000 ms", () => {
    expect(formatMs(1.234)).toBe("1.23ms");
    expect(formatMs(45.67)).toBe("45.7ms");
    expect(formatMs(128.4)).toBe("128ms");
    expect(formatMs(2500)).toBe("2.50s");
    expect(formatPercent(0.002)).toBe("0.20%");
  });

  it("grades latency cells", () => {
    expect([99, 100, 499, 500].map(latencyLevel)).toEqual(["good", "warn", "warn", "bad"]);
  });

  it("calls changes under 2 % flat", () => {
    expect(trend(100, 110)).toBe("up");
    expect(trend(100, 90)).toBe("down");
    expect(trend(100, 101)).toBe("flat");
    expect(trend(undefined, 5)).toBe("flat");
    expect(trend(0, 0)).toBe("flat");
  });
});
