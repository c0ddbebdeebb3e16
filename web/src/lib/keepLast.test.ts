// @vitest-environment node
import { describe, expect, it } from "vitest";
import { keepLast } from "./keepLast";

describe("keepLast", () => {
  it("returns everything when under capacity or unlimited, else the newest", () => {
    expect(keepLast([1, 2], 5)).toEqual([1, 2]);
    expect(keepLast([1, 2, 3], null)).toEqual([1, 2, 3]);
    expect(keepLast([1, 2, 3], 2)).toEqual([2, 3]);
  });
});
