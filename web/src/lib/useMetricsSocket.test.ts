import { act, renderHook } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Message } from "../types";
import { snapshot } from "../test/fixtures";
import { defaultUrl, type SocketLike, useMetricsSocket } from "./useMetricsSocket";

class FakeSocket implements SocketLike {
  onopen: ((event: Event) => void) | null = null;
  onmessage: ((event: MessageEvent<string>) => void) | null = null;
  onclose: ((event: CloseEvent) => void) | null = null;
  closed = false;
  constructor(readonly url: string) {}
  open(): void {
    this.onopen?.(new Event("open"));
  }
  send(message: Message): void {
    this.onmessage?.(new MessageEvent("message", { data: JSON.stringify(message) }));
  }
  drop(): void {
    this.onclose?.(new CloseEvent("close"));
  }
  close(): void {
    this.closed = true;
  }
}

describe("useMetricsSocket", () => {
  let sockets: FakeSocket[];
  const createSocket = (url: string): FakeSocket => {
    const socket = new FakeSocket(url);
    sockets.push(socket);
    return socket;
  };

  beforeEach(() => {
    sockets = [];
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("reconnects with exponential backoff and resets it once connected", () => {
    const { result } = renderHook(() => useMetricsSocket("ws://x/ws/metrics", { createSocket, baseDelayMs: 100 }));
    expect(sockets).toHaveLength(1);
    expect(result.current.connection).toBe("connecting");
    act(() => sockets[0]?.open());
    expect(result.current.connection).toBe("open");

    act(() => sockets[0]?.drop());
    expect(result.current.connection).toBe("closed");
    act(() => void vi.advanceTimersByTime(99));
    expect(sockets).toHaveLength(1);
    act(() => void vi.advanceTimersByTime(1));
    expect(sockets).toHaveLength(2); // after 100 ms

    act(() => sockets[1]?.drop());
    act(() => void vi.advanceTimersByTime(199));
    expect(sockets).toHaveLength(2);
    act(() => void vi.advanceTimersByTime(1));
    expect(sockets).toHaveLength(3); // after 200 ms

    act(() => sockets[2]?.drop());
    act(() => void vi.advanceTimersByTime(400));
    expect(sockets).toHaveLength(4); // after 400 ms

    act(() => sockets[3]?.open());
    act(() => sockets[3]?.drop());
    act(() => void vi.advanceTimersByTime(100));
    expect(sockets).toHaveLength(5); // back to 100 ms after a successful connection
  });

  it("keeps a ring buffer of the last snapshots across messages", () => {
    const { result } = renderHook(() => useMetricsSocket("ws://x", { createSocket, capacity: 3 }));
    act(() => {
      sockets[0]?.open();
      sockets[0]?.send({ type: "history", data: { mode: "live", snapshots: [snapshot(1), snapshot(2)], status: null } });
      for (const second of [3, 4, 5]) sockets[0]?.send({ type: "snapshot", data: snapshot(second) });
    });
    expect(result.current.snapshots.map((s) => s.elapsed_seconds)).toEqual([3, 4, 5]);
  });

  it("closes its socket and stops reconnecting when unmounted", () => {
    const { unmount } = renderHook(() => useMetricsSocket("ws://x", { createSocket }));
    unmount();
    expect(sockets[0]?.closed).toBe(true);
    sockets[0]?.drop();
    vi.advanceTimersByTime(60_000);
    expect(sockets).toHaveLength(1);
  });

  it("derives the socket URL from the page's location", () => {
    expect(defaultUrl({ protocol: "http:", host: "127.0.0.1:8089" } as Location)).toBe("ws://127.0.0.1:8089/ws/metrics");
    expect(defaultUrl({ protocol: "https:", host: "example.com" } as Location)).toBe("wss://example.com/ws/metrics");
  });
});
