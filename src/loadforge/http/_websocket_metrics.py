"""The run-wide custom metrics WebSocket conversations add to, named as k6 names them.

Declared when `loadforge.http` is imported, not when the `websockets` library
is, so that a threshold such as `ws_msgs_received>1000` is known before any
conversation starts.
"""

from loadforge.metrics.custom import counter, trend

__all__ = [
    "BYTES_RECEIVED",
    "BYTES_SENT",
    "MESSAGES_RECEIVED",
    "MESSAGES_SENT",
    "SESSION_DURATION",
]

MESSAGES_SENT = counter("ws_msgs_sent")
MESSAGES_RECEIVED = counter("ws_msgs_received")
BYTES_SENT = counter("ws_bytes_sent")
BYTES_RECEIVED = counter("ws_bytes_received")
SESSION_DURATION = trend("ws_session_duration")
