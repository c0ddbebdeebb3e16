"""A WebSocket conversation per iteration: a greeting, then timed round trips.

Run it against LoadForge's built-in demo API, which echoes at /ws/echo:

    loadforge target
    loadforge run examples/websocket_chat.py --base-url http://127.0.0.1:8080 -u 10 -d 10s \\
        --threshold '"Chat round trip": p95<50ms'

Each conversation is recorded under its name ("Chat", the handshake's latency),
each `request` under "Chat round trip" and each `ping` under "Chat ping".
"""

from loadforge import HttpClient, scenario, task


@scenario(name="WebSocket chat", base_url="http://127.0.0.1:8080", think_time=0)
class WebSocketChat:
    """Open, talk, close: the shape of most chat and notification clients."""

    @task
    async def chat(self, client: HttpClient) -> None:
        """One conversation: a greeting, three timed exchanges and a ping."""
        async with client.websocket("/ws/echo", name="Chat") as ws:
            await ws.send("hello")
            await ws.receive()
            for number in range(3):
                await ws.request(f"message {number}")
            await ws.ping()
