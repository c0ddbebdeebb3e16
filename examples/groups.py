"""A multi-step flow timed as one: `client.group`, as k6's and Gatling's groups.

    loadforge target                                   # in one terminal
    loadforge run examples/groups.py --base-url http://127.0.0.1:8080 -u 10 -d 30s \\
        --threshold '"browse": p95<500ms' --threshold '"browse › item": p99<300ms'

Each `async with client.group(name):` block gets a duration histogram of its
own, and the requests inside carry the group in their endpoint name
("browse › List Items"), so they are counted apart from the same request
made elsewhere. Groups nest. The report shows them as a tree.
"""

import random

from loadforge import HttpClient, scenario, setup, task


@scenario(name="Groups", base_url="http://127.0.0.1:8080", think_time=(0.2, 0.5))
class Groups:
    """Browse the catalogue, then open two items, as one timed flow."""

    @setup
    async def log_in(self, client: HttpClient) -> None:
        """Log in once per virtual user."""
        resp = await client.post(
            "/auth/login", json={"email": "load@example.com", "password": "secret"}, name="Log In"
        )
        data = await resp.json()
        if isinstance(data, dict):
            client.headers["Authorization"] = f"Bearer {data['token']}"

    @task
    async def browse(self, client: HttpClient) -> None:
        """A page of items, then two of them: group "browse", holding group "item"."""
        async with client.group("browse"):
            await client.get("/items", params={"limit": 10}, name="List Items")
            for _ in range(2):
                async with client.group("item"):
                    item_id = random.randint(1, 1000)
                    await client.get(f"/items/{item_id}", name="Get Item")
