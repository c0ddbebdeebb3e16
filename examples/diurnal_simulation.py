"""A day of traffic, compressed: load that rises and falls in a smooth wave.

Virtual users follow a cosine between a night-time minimum and a daytime peak,
which shows how latency tracks load. The pattern is in a config file next to
this one; run it against LoadForge's built-in demo API. In one terminal:

    loadforge target

and in another:

    loadforge run examples/diurnal_simulation.py --base-url http://127.0.0.1:8080 \\
        --config examples/diurnal_simulation.toml

The same wave from flags alone:

    loadforge run examples/diurnal_simulation.py --base-url http://127.0.0.1:8080 \\
        --pattern diurnal --users 2 --peak-users 20 --period 60s -d 60s
"""

import random

from loadforge import HttpClient, scenario, task


@scenario(name="Diurnal", base_url="http://127.0.0.1:8080", think_time=(0.5, 1.0))
class Diurnal:
    """A shop front: mostly echo traffic, some status checks."""

    @task(weight=4)
    async def home_page(self, client: HttpClient) -> None:
        """GET /anything/home."""
        await client.get("/anything/home", name="Home Page")

    @task(weight=1)
    async def health_check(self, client: HttpClient) -> None:
        """GET /status/200, or now and then a 503 the scenario expects."""
        code = 503 if random.random() < 0.1 else 200
        await client.get(f"/status/{code}", name="Health Check", expect=code)
