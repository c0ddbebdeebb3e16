"""A composite load shape: ramp up, hold, spike, then ramp down, from a config file.

Composite patterns chain stages, each with its own length, to script a whole
test day in one run. The stages are in composite_pattern.toml next to this
file; run it against LoadForge's built-in demo API. In one terminal:

    loadforge target

and in another:

    loadforge run examples/composite_pattern.py --base-url http://127.0.0.1:8080 \\
        --config examples/composite_pattern.toml
"""

import random

from loadforge import HttpClient, scenario, setup, task


@scenario(name="Composite", base_url="http://127.0.0.1:8080", think_time=(0.2, 0.6))
class Composite:
    """Logged-in users reading items, with the occasional slow call."""

    @setup
    async def log_in(self, client: HttpClient) -> None:
        """Log in once per virtual user."""
        resp = await client.post(
            "/auth/login", json={"email": "ops@example.com", "password": "secret"}, name="Log In"
        )
        data = await resp.json()
        if not isinstance(data, dict) or "token" not in data:
            resp.fail("login returned no token")
            return
        client.headers["Authorization"] = f"Bearer {data['token']}"

    @task(weight=4)
    async def get_item(self, client: HttpClient) -> None:
        """GET /items/{id} of a random item."""
        await client.get(f"/items/{random.randint(1, 1000)}", name="Get Item")

    @task(weight=1)
    async def report(self, client: HttpClient) -> None:
        """GET /delay/50: a report that takes the server 50 ms."""
        await client.get("/delay/50", name="Report")
