import { render, screen } from "@testing-library/react";
import { Charts, DRAIN_LABEL, MIN_DRAIN_SHARE, drainSpan, toPoints } from "./Charts";
import { snapshot } from "../test/fixtures";

const drained = (elapsed: number) => ({ ...snapshot(elapsed), drain: true });

describe("drainSpan", () => {
  it("is null for a run without a drain", () => {
    expect(drainSpan(toPoints([snapshot(1), snapshot(2)]))).toBeNull();
  });

  it("starts where the first drain interval began and ends at the last drain point", () => {
    const points = toPoints([snapshot(1), snapshot(2), drained(3), drained(4)]);
    expect(points.map((p) => p.drain)).toEqual([false, false, true, true]);
    expect(drainSpan(points)).toEqual({ x1: 2, x2: 4 });
  });

  it("starts at the first point when the run drained from its first second", () => {
    expect(drainSpan(toPoints([drained(1), drained(2)]))).toEqual({ x1: 1, x2: 2 });
  });

  it("widens a drain too short to see to its least share of the axis", () => {
    const seconds = Array.from({ length: 100 }, (_, index) => snapshot(index + 1));
    const span = drainSpan(toPoints([...seconds, drained(100.02)]));
    expect(span?.x2).toBe(100.02);
    expect(span?.x1).toBeCloseTo(100.02 - 99.02 * MIN_DRAIN_SHARE, 6);
  });

  it("leaves a drain wider than its least share as it is", () => {
    const seconds = Array.from({ length: 10 }, (_, index) => snapshot(index + 1));
    expect(drainSpan(toPoints([...seconds, drained(11), drained(12)]))).toEqual({ x1: 10, x2: 12 });
  });
});

describe("Charts", () => {
  // Recharts' ResponsiveContainer needs a ResizeObserver, which jsdom lacks.
  beforeEach(() => {
    vi.stubGlobal("ResizeObserver", class { observe() {} unobserve() {} disconnect() {} }); // prettier-ignore
    vi.spyOn(console, "warn").mockImplementation(() => undefined); // Recharts: a 0×0 chart in jsdom
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
  });

  it("gives every chart a drain legend entry once the run drains", () => {
    render(<Charts snapshots={[snapshot(1), snapshot(2), drained(3)]} />);
    const keys = screen.getAllByTestId("drain-legend");
    expect(keys).toHaveLength(4);
    expect(keys[0]?.textContent).toBe(DRAIN_LABEL);
  });

  it("has no drain legend entry before the drain", () => {
    render(<Charts snapshots={[snapshot(1), snapshot(2)]} />);
    expect(screen.queryByTestId("drain-legend")).toBeNull();
  });
});
