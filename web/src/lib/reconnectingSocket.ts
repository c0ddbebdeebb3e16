// One WebSocket kept open for a page: reconnect with exponential backoff until its owner lets go.
// Shared by the run dashboard (/ws/metrics) and the server's run page (/ws/runs/{id}).
import { backoffDelay } from "./backoff";

export type Connection = "connecting" | "open" | "closed";

export interface SocketLike {
  onopen: ((event: Event) => void) | null;
  onmessage: ((event: MessageEvent<string>) => void) | null;
  onclose: ((event: CloseEvent) => void) | null;
  close(): void;
}

export type SocketFactory = (url: string) => SocketLike;

export interface ReconnectingSocketOptions {
  url: string;
  createSocket: SocketFactory;
  baseDelayMs: number;
  maxDelayMs: number;
  onConnection: (connection: Connection) => void;
  onMessage: (text: string) => void;
  /** After a close, whether to connect again (default: always). */
  shouldReconnect?: (event: CloseEvent) => boolean;
}

/** Open the socket and keep it open; the returned function closes it for good. */
export function openReconnectingSocket(options: ReconnectingSocketOptions): () => void {
  const { url, createSocket, baseDelayMs, maxDelayMs, onConnection, onMessage, shouldReconnect } = options;
  let socket: SocketLike | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let attempt = 0;
  let disposed = false;

  const connect = (): void => {
    onConnection("connecting");
    socket = createSocket(url);
    socket.onopen = () => {
      attempt = 0;
      onConnection("open");
    };
    socket.onmessage = (event) => onMessage(event.data);
    socket.onclose = (event) => {
      if (disposed) return;
      onConnection("closed");
      if (shouldReconnect !== undefined && !shouldReconnect(event)) return;
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
}
