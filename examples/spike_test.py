"""A spike test: steady traffic that suddenly jumps tenfold, then falls back.

Does the API survive a burst, and how fast do latencies recover afterwards?
Run it against LoadForge's built-in demo API. In one terminal:

    loadforge target

and in another: 5 users, jumping to 50 users 10 s in, for 5 s, in a 30 s run:

    loadforge run examples/spike_test.py --base-url http://127.0.0.1:8080 \\
        --pattern spike --users 5 --spike-users 50 --spike-at 10s --spike-duration 5s -d 30s
"""

import random

from loadforge import HttpClient, scenario, task


@scenario(name="Spike", base_url="http://127.0.0.1:8080", think_time=(0.1, 0.5))
class Spike:
    """A cheap endpoint plus one with 20 ms of server-side work."""

    @task(weight=3)
    async def browse(self, client: HttpClient) -> None:
        """GET /anything with a random query, like a search page."""
        await client.get("/anything", params={"q": str(random.randint(1, 100))}, name="Search")

    @task(weight=1)
    async def slow_page(self, client: HttpClient) -> None:
        """GET /delay/20: a page that takes the server 20 ms to build."""
        await client.get("/delay/20", name="Slow Page")
