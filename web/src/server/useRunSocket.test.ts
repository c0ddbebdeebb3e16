import { act, renderHook } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { SocketLike } from "../lib/useMetricsSocket";
import { run } from "../test/serverFixtures";
import type { RunMessage } from "./types";
import { useRunSocket } from "./useRunSocket";

class FakeSocket implements SocketLike {
  onopen: ((event: Event) => void) | null = null;
  onmessage: ((event: MessageEvent<string>) => void) | null = null;
  onclose: ((event: CloseEvent) => void) | null = null;
  closed = false;
  constructor(readonly url: string) {}
  send(message: RunMessage): void {
    this.onmessage?.(new MessageEvent("message", { data: JSON.stringify(message) }));
  }
  drop(code = 1006): void {
    this.onclose?.(new CloseEvent("close", { code }));
  }
  close(): void {
    this.closed = true;
  }
}

describe("useRunSocket", () => {
  let sockets: FakeSocket[];
  const createSocket = (url: string) => {
    const socket = new FakeSocket(url);
    sockets.push(socket);
    return socket;
  };
  beforeEach(() => {
    sockets = [];
    vi.useFakeTimers();
  });
  afterEach(() => vi.useRealTimers());

  const history = (status: "running" | "completed"): RunMessage => ({
    type: "history",
    data: { run: run(7, { status }), snapshots: [], logs: [] },
  });

  it("reconnects with backoff while the run is active", () => {
    const { result } = renderHook(() => useRunSocket("ws://x/ws/runs/7", { createSocket, baseDelayMs: 100 }));
    act(() => sockets[0]!.onopen?.(new Event("open")));
    act(() => sockets[0]!.send(history("running")));
    expect(result.current.connection).toBe("open");
    act(() => sockets[0]!.drop());
    expect(result.current.connection).toBe("closed");
    act(() => vi.advanceTimersByTime(100));
    expect(sockets).toHaveLength(2);
  });

  it("does not reconnect once the run ended", () => {
    renderHook(() => useRunSocket("ws://x/ws/runs/7", { createSocket, baseDelayMs: 100 }));
    act(() => sockets[0]!.send(history("running")));
    // The server sends the last status and closes in one go, before React renders again.
    act(() => {
      sockets[0]!.send({ type: "status", data: run(7, { status: "completed" }) });
      sockets[0]!.drop(1000);
    });
    act(() => vi.advanceTimersByTime(10_000));
    expect(sockets).toHaveLength(1);
  });

  it("gives up on an unknown run or a refused token", () => {
    const { result } = renderHook(() => useRunSocket("ws://x/ws/runs/7", { createSocket, baseDelayMs: 100 }));
    act(() => sockets[0]!.drop(4404));
    act(() => vi.advanceTimersByTime(10_000));
    expect(sockets).toHaveLength(1);
    expect(result.current.fatal).toBe("There is no such run.");
  });

  it("closes the socket when the page goes", () => {
    const { unmount } = renderHook(() => useRunSocket("ws://x/ws/runs/7", { createSocket }));
    unmount();
    expect(sockets[0]!.closed).toBe(true);
  });
});
