// The WebSocket to /ws/metrics: messages into state, reconnecting with exponential backoff.
import { useEffect, useReducer, useState } from "react";
import type { Message } from "../types";
import { applyMessage, backoffDelay, initialState, LIVE_CAPACITY, type MetricsState } from "./metricsState";

export type Connection = "connecting" | "open" | "closed";

export interface SocketLike {
  onopen: ((event: Event) => void) | null;
  onmessage: ((event: MessageEvent<string>) => void) | null;
  onclose: ((event: CloseEvent) => void) | null;
  close(): void;
}

export type SocketFactory = (url: string) => SocketLike;

export interface MetricsSocket extends MetricsState {
  connection: Connection;
}

export interface Options {
  capacity?: number;
  createSocket?: SocketFactory;
  baseDelayMs?: number;
  maxDelayMs?: number;
}

const browserSocket: SocketFactory = (url) => new WebSocket(url);

export function defaultUrl(location: Location = window.location): string {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  return `${scheme}://${location.host}/ws/metrics`;
}

export function useMetricsSocket(url: string, options: Options = {}): MetricsSocket {
  const { capacity = LIVE_CAPACITY, createSocket = browserSocket, baseDelayMs = 500, maxDelayMs = 10_000 } =
    options;
  const [state, dispatch] = useReducer(
    (current: MetricsState, message: Message) => applyMessage(current, message, capacity),
    initialState,
  );
  const [connection, setConnection] = useState<Connection>("connecting");

  useEffect(() => {
    let socket: SocketLike | null = null;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let attempt = 0;
    let disposed = false;

    const connect = (): void => {
      setConnection("connecting");
      socket = createSocket(url);
      socket.onopen = () => {
        attempt = 0;
        setConnection("open");
      };
      socket.onmessage = (event) => {
        dispatch(JSON.parse(event.data) as Message);
      };
      socket.onclose = () => {
        if (disposed) return;
        setConnection("closed");
        timer = setTimeout(connect, backoffDelay(attempt, baseDelayMs, maxDelayMs));
        attempt += 1;
      };
    };
    connect();
    return () => {
      disposed = true;
      if (timer !== null) clearTimeout(timer);
      socket?.close();
    };
  }, [url, createSocket, baseDelayMs, maxDelayMs]);

  return { ...state, connection };
}
