// Which rows of a long fixed-row-height list to draw, and whether the reader is at the bottom.

export interface RowWindow {
  /** First row to draw (inclusive). */
  start: number;
  /** Row after the last one to draw (exclusive). */
  end: number;
}

/** The rows visible in the viewport, plus `overscan` rows each side so fast scrolling shows no gap. */
export function visibleRows(
  scrollTop: number,
  viewportHeight: number,
  rowHeight: number,
  count: number,
  overscan = 5,
): RowWindow {
  if (count === 0) return { start: 0, end: 0 };
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const last = Math.ceil((Math.max(0, scrollTop) + viewportHeight) / rowHeight);
  const start = Math.max(0, Math.min(first - overscan, count - 1));
  const end = Math.min(count, Math.max(last + overscan, start + 1));
  return { start, end };
}

/** At the bottom, give or take one row: then new lines keep the view scrolled to the end. */
export function isAtBottom(scrollTop: number, viewportHeight: number, contentHeight: number, slack: number): boolean {
  return contentHeight - (scrollTop + viewportHeight) <= slack;
}
