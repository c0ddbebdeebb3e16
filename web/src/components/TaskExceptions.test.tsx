import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { snapshot } from "../test/fixtures";
import { TaskExceptions, sumTaskExceptions } from "./TaskExceptions";

const raised = (message: string, count: number) => ({
  type: "TypeError",
  message,
  task: "browse",
  traceback: "scenario.py:9 in browse: await client.get()",
  count,
});

describe("TaskExceptions", () => {
  it("sums each distinct exception over the seconds, most frequent first", () => {
    const seconds = [
      { ...snapshot(1), task_exceptions: [raised("a", 1), raised("b", 1)] },
      { ...snapshot(2), task_exceptions: [raised("b", 3)] },
    ];
    expect(sumTaskExceptions(seconds).map((e) => [e.message, e.count])).toEqual([
      ["b", 4],
      ["a", 1],
    ]);
  });

  it("shows the message and where the scenario raised it", () => {
    render(<TaskExceptions snapshots={[{ ...snapshot(1), task_exceptions: [raised("bad", 2)] }]} />);
    expect(screen.getByText("TypeError: bad")).toBeTruthy();
    expect(screen.getByText("scenario.py:9 in browse: await client.get()")).toBeTruthy();
  });

  it("shows nothing when no task raised", () => {
    render(<TaskExceptions snapshots={[snapshot(1)]} />);
    expect(screen.queryByTestId("task-exceptions")).toBeNull();
  });
});
