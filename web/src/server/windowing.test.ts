// @vitest-environment node
import { describe, expect, it } from "vitest";
import { isAtBottom, visibleRows } from "./windowing";

describe("console windowing", () => {
  it("draws the rows in view plus the overscan", () => {
    // 320 px of 20 px rows at the top: rows 0..15 visible, 5 more below.
    expect(visibleRows(0, 320, 20, 10_000, 5)).toEqual({ start: 0, end: 21 });
    // Scrolled to row 100.
    expect(visibleRows(2000, 320, 20, 10_000, 5)).toEqual({ start: 95, end: 121 });
  });

  it("stays inside the list", () => {
    expect(visibleRows(0, 320, 20, 3)).toEqual({ start: 0, end: 3 });
    expect(visibleRows(0, 320, 20, 0)).toEqual({ start: 0, end: 0 });
    expect(visibleRows(99_999, 320, 20, 50, 5)).toEqual({ start: 49, end: 50 });
  });

  it("counts the reader at the bottom within one row", () => {
    expect(isAtBottom(680, 320, 1000, 20)).toBe(true);
    expect(isAtBottom(665, 320, 1000, 20)).toBe(true);
    expect(isAtBottom(600, 320, 1000, 20)).toBe(false);
  });
});
