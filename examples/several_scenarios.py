"""Three kinds of users in one run: browsers, buyers and one admin, as Locust's User classes.

Run it against LoadForge's built-in demo API. In one terminal:

    loadforge target

and in another:

    loadforge run examples/several_scenarios.py --base-url http://127.0.0.1:8080 \
        --scenario all -u 9 -d 10s

The admin has a fixed count (`users=1`); the other eight users are shared 3 : 1
by weight, six browsers and two buyers, whatever the number of workers. The
summary, result.json and the report give each scenario's figures beside the
run's, and both shoppers' "Item" endpoint stays apart: "Browse › Item" and
"Buy › Item".
"""

from loadforge import HttpClient, scenario, task


@scenario(base_url="http://127.0.0.1:8080", think_time=(0.2, 0.5), weight=3)
class Browse:
    """Most users look around."""

    @task(3)
    async def list_items(self, client: HttpClient) -> None:
        """GET /items?page=1: a page of the catalogue."""
        await client.get("/anything/items", params={"page": 1}, name="List")

    @task
    async def item(self, client: HttpClient) -> None:
        """GET one item."""
        await client.get("/anything/items/7", name="Item")


@scenario(base_url="http://127.0.0.1:8080", think_time=(0.5, 1.0))
class Buy:
    """Some look at an item and buy it (weight 1)."""

    @task
    async def buy(self, client: HttpClient) -> None:
        """GET the item, then POST an order."""
        await client.get("/anything/items/7", name="Item")
        await client.post("/anything/orders", json={"item": 7}, name="Order")


@scenario(base_url="http://127.0.0.1:8080", think_time=1.0, users=1)
class Admin:
    """Exactly one user reads a report now and then."""

    @task
    async def report(self, client: HttpClient) -> None:
        """GET the day's report."""
        await client.get("/anything/admin/report", name="Report")
