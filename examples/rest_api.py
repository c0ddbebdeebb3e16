"""A REST API load test: log in, then list, read and create items, then log out.

Run it against LoadForge's built-in demo API. In one terminal:

    loadforge target

and in another:

    loadforge run examples/rest_api.py --base-url http://127.0.0.1:8080 -u 20 -d 30s

(`loadforge demo` does both at once.) Each virtual user logs in once, then
picks tasks at random by weight: listing 5 times, reading 3 times and creating
once in every 9 picks on average, with 0.5-1.5 s of think time in between.
"""

import random

from loadforge import HttpClient, scenario, setup, task, teardown

#: Items 1..ITEM_COUNT exist when the demo API starts.
ITEM_COUNT = 1000


@scenario(name="REST API", base_url="http://127.0.0.1:8080", think_time=(0.5, 1.5))
class RestApi:
    """An authenticated catalogue API under a realistic read-heavy mix."""

    @setup
    async def log_in(self, client: HttpClient) -> None:
        """Log in once per virtual user; the token goes on every later request."""
        resp = await client.post(
            "/auth/login",
            json={"email": "load@example.com", "password": "secret"},
            name="Log In",
        )
        data = await resp.json()
        if not isinstance(data, dict) or "token" not in data:
            resp.fail("login returned no token")
            return
        client.headers["Authorization"] = f"Bearer {data['token']}"

    @task(weight=5)
    async def list_items(self, client: HttpClient) -> None:
        """GET /items, checking that the page really lists items."""
        resp = await client.get("/items", params={"limit": 20}, name="List Items")
        if resp.ok:
            page = await resp.json()
            if not isinstance(page, dict) or not isinstance(page.get("items"), list):
                resp.fail("no item list in the response")

    @task(weight=3)
    async def get_item(self, client: HttpClient) -> None:
        """GET /items/{id} of a random existing item, checking it is the one asked for."""
        item_id = random.randint(1, ITEM_COUNT)
        resp = await client.get(f"/items/{item_id}", name="Get Item")
        if resp.ok:
            item = await resp.json()
            if not isinstance(item, dict) or item.get("id") != item_id:
                resp.fail("wrong item returned")

    @task(weight=1)
    async def create_item(self, client: HttpClient) -> None:
        """POST /items, expecting 201 Created."""
        await client.post("/items", json={"name": "Load test item"}, name="Create Item", expect=201)

    @teardown
    async def log_out(self, client: HttpClient) -> None:
        """Revoke the token when the virtual user stops."""
        await client.post("/auth/logout", name="Log Out")
