// The run's log lines: only the rows in view are in the DOM, and the view follows new lines
// while the reader is at the bottom.
import { useLayoutEffect, useRef, useState } from "react";
import type { LogLine } from "../types";
import { isAtBottom, visibleRows } from "../windowing";

export const ROW_HEIGHT = 20;
export const VIEWPORT_HEIGHT = 320;

export function LogConsole({ lines }: { lines: readonly LogLine[] }) {
  const viewport = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const following = useRef(true);
  const contentHeight = lines.length * ROW_HEIGHT;

  useLayoutEffect(() => {
    const element = viewport.current;
    if (element === null || !following.current) return;
    const bottom = Math.max(0, contentHeight - VIEWPORT_HEIGHT);
    element.scrollTop = bottom;
    setScrollTop(bottom);
  }, [contentHeight]);

  const { start, end } = visibleRows(scrollTop, VIEWPORT_HEIGHT, ROW_HEIGHT, lines.length);
  return (
    <div
      ref={viewport}
      data-testid="log-console"
      role="log"
      aria-label="Run console"
      tabIndex={0}
      onScroll={(event) => {
        const top = event.currentTarget.scrollTop;
        following.current = isAtBottom(top, VIEWPORT_HEIGHT, contentHeight, ROW_HEIGHT);
        setScrollTop(top);
      }}
      className="overflow-y-auto rounded-lg bg-black/80 font-mono text-xs text-slate-200"
      style={{ height: VIEWPORT_HEIGHT }}
    >
      {lines.length === 0 ? (
        <p className="p-2 text-slate-500">No output yet.</p>
      ) : (
        <div style={{ height: contentHeight, position: "relative" }}>
          {lines.slice(start, end).map((line, i) => (
            <div
              key={line.seq}
              data-testid="log-line"
              className="absolute left-0 right-0 overflow-hidden whitespace-pre px-2"
              style={{ top: (start + i) * ROW_HEIGHT, height: ROW_HEIGHT, lineHeight: `${ROW_HEIGHT}px` }}
              title={line.timestamp}
            >
              {line.line}
            </div>
          ))}
        </div>
      )}
    </div>
  );
}
