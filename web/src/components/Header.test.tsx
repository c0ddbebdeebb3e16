import { fireEvent, render, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import type { TestStatus } from "../types";
import { Header } from "./Header";

const running: TestStatus = {
  status: "running",
  scenario: "REST API",
  pattern: "constant 5 users",
  target_users: 5,
  duration: 60,
  elapsed: 3,
};

describe("Header", () => {
  it("shows the scenario, the phase and the connection, and stops a live run", () => {
    const onStop = vi.fn();
    render(<Header status={running} connection="open" mode="live" onStop={onStop} />);
    expect(screen.getByTestId("scenario").textContent).toBe("REST API · constant 5 users");
    expect(screen.getByTestId("run-status").textContent).toBe("running");
    expect(screen.getByTestId("connection").textContent).toBe("Connected");
    fireEvent.click(screen.getByTestId("stop-button"));
    expect(onStop).toHaveBeenCalledOnce();
  });

  it("cannot stop a replay or a finished run", () => {
    const { rerender } = render(<Header status={running} connection="closed" mode="replay" onStop={() => {}} />);
    expect(screen.getByTestId("stop-button")).toHaveProperty("disabled", true);
    expect(screen.getByTestId("connection").textContent).toBe("Disconnected");
    rerender(<Header status={{ ...running, status: "completed" }} connection="open" mode="live" onStop={() => {}} />);
    expect(screen.getByTestId("stop-button")).toHaveProperty("disabled", true);
  });
});
