// The WebSocket to /ws/metrics: messages into state, reconnecting with exponential backoff.
import { useEffect, useReducer, useState } from "react";
import type { Message } from "../types";
import { applyMessage, initialState, LIVE_CAPACITY, type MetricsState } from "./metricsState";
import { type Connection, openReconnectingSocket, type SocketFactory } from "./reconnectingSocket";

export type { Connection, SocketFactory, SocketLike } from "./reconnectingSocket";

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

  useEffect(
    () =>
      openReconnectingSocket({
        url,
        createSocket,
        baseDelayMs,
        maxDelayMs,
        onConnection: setConnection,
        onMessage: (text) => dispatch(JSON.parse(text) as Message),
      }),
    [url, createSocket, baseDelayMs, maxDelayMs],
  );

  return { ...state, connection };
}
