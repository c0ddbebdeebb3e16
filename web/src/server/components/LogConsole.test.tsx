import { fireEvent, render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { LogLine } from "../types";
import { LogConsole, ROW_HEIGHT, VIEWPORT_HEIGHT } from "./LogConsole";

const lines = (count: number): LogLine[] =>
  Array.from({ length: count }, (_, i) => ({ seq: i + 1, timestamp: "t", line: `line ${i + 1}` }));

describe("the run console", () => {
  it("puts only the rows in view in the DOM, following the end", () => {
    const { rerender } = render(<LogConsole lines={lines(5000)} />);
    const rows = screen.getAllByTestId("log-line");
    expect(rows.length).toBeLessThan(40);
    expect(rows[rows.length - 1]!.textContent).toBe("line 5000");
    rerender(<LogConsole lines={lines(5001)} />);
    const after = screen.getAllByTestId("log-line");
    expect(after[after.length - 1]!.textContent).toBe("line 5001");
  });

  it("stays where the reader scrolled to when new lines come", () => {
    const { rerender } = render(<LogConsole lines={lines(1000)} />);
    const viewport = screen.getByTestId("log-console");
    viewport.scrollTop = 100 * ROW_HEIGHT;
    fireEvent.scroll(viewport);
    expect(screen.getAllByTestId("log-line")[0]!.textContent).toBe("line 96");
    rerender(<LogConsole lines={lines(1001)} />);
    expect(viewport.scrollTop).toBe(100 * ROW_HEIGHT);
    expect(screen.getAllByTestId("log-line").some((row) => row.textContent === "line 1001")).toBe(false);
    expect(VIEWPORT_HEIGHT / ROW_HEIGHT).toBe(16);
  });
});
