// The WebSocket to /ws/runs/{id}: messages into state, reconnecting with backoff while the run is active.
import { useEffect, useReducer, useRef, useState } from "react";
import { type Connection, openReconnectingSocket, type SocketFactory } from "../lib/reconnectingSocket";
import { applyRunMessage, initialRunState, type RunState } from "./runState";
import { isActive, type Run, type RunMessage, type RunStatus } from "./types";

/** Close codes after which reconnecting cannot help: unknown run, missing or wrong token. */
export const FATAL_CLOSE: Record<number, string> = {
  4404: "There is no such run.",
  4401: "The server refused the token: use “Set API token” above.",
};

export interface RunSocket extends RunState {
  connection: Connection;
  /** Why the page stopped listening, when it was not the run ending. */
  fatal: string | null;
  /** Apply a Run the page got from the REST API (after Stop), ahead of the socket's status message. */
  setRun: (run: Run) => void;
}

export interface RunSocketOptions {
  createSocket?: SocketFactory;
  baseDelayMs?: number;
  maxDelayMs?: number;
}

const browserSocket: SocketFactory = (url) => new WebSocket(url);

export function useRunSocket(url: string, options: RunSocketOptions = {}): RunSocket {
  const { createSocket = browserSocket, baseDelayMs = 500, maxDelayMs = 10_000 } = options;
  const [state, dispatch] = useReducer(applyRunMessage, initialRunState);
  const [connection, setConnection] = useState<Connection>("connecting");
  const [fatal, setFatal] = useState<string | null>(null);
  // The run's latest status, for the socket's close handler to decide whether to reconnect. Kept
  // as messages arrive, not on render: the server sends the final status and closes at once.
  const status = useRef<RunStatus | null>(null);

  useEffect(() => {
    setFatal(null);
    return openReconnectingSocket({
      url,
      createSocket,
      baseDelayMs,
      maxDelayMs,
      onConnection: setConnection,
      onMessage: (text) => {
        const message = JSON.parse(text) as RunMessage;
        if (message.type === "status") status.current = message.data.status;
        if (message.type === "history") status.current = message.data.run.status;
        dispatch(message);
      },
      shouldReconnect: (event) => {
        const reason = FATAL_CLOSE[event.code];
        if (reason !== undefined) {
          setFatal(reason);
          return false;
        }
        // Once the run has ended nothing more will come.
        return status.current === null || isActive(status.current);
      },
    });
  }, [url, createSocket, baseDelayMs, maxDelayMs]);

  const setRun = (run: Run) => {
    status.current = run.status;
    dispatch({ type: "status", data: run });
  };
  return { ...state, connection, fatal, setRun };
}
