"""A scenario that carries its own traffic pattern, written in Python.

Warm up from 0 to 20 users over 10 s, hold 20 for 20 s, then spike to 60
for 5 s and settle at 30 over 5 s, holding 30 for 10 s more: 50 s in all.
No pattern flags are needed; flags still win over the file (`-u 5` runs a
constant 5 users instead). In one terminal:

    loadforge target

and in another:

    loadforge run examples/python_pattern.py --base-url http://127.0.0.1:8080

The `Waves` class below shows a pattern of your own: any object with
`users_at(t)` (or `rate_at(t)` for the open model) and a `duration`. Use it
with `@scenario(..., pattern=Waves())` or `pattern = Waves()`.
"""

import math

from loadforge import HttpClient, constant, ramp, scenario, spike, task


class Waves:
    """Between 5 and 25 users in waves of one minute, for five minutes."""

    duration = "5m"

    def users_at(self, t: float) -> float:
        """Users at `t` seconds: 15 ± 10 along a sine."""
        return 15 + 10 * math.sin(2 * math.pi * t / 60)


@scenario(
    name="Python Pattern",
    base_url="http://127.0.0.1:8080",
    think_time=(0.1, 0.3),
    pattern=ramp(0, 20, "10s")
    >> constant(20, "20s")
    >> spike(20, 60, 0, "5s", sustain=30, decay="5s", hold="10s"),
)
class PythonPattern:
    """Browse a catalogue, now and then opening one item (the demo API echoes both)."""

    @task(weight=3)
    async def list_items(self, client: HttpClient) -> None:
        """GET /anything/items: the catalogue's first page."""
        await client.get("/anything/items", name="List Items")

    @task(weight=1)
    async def get_item(self, client: HttpClient) -> None:
        """GET /anything/items/1: one item."""
        await client.get("/anything/items/1", name="Get Item")
