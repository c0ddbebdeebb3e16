# ruff: noqa
# mypy: ignore-errors
# fmt: off
# The example scenario from LoadForge's implementation plan, kept verbatim (hence
# the lines above keeping linters and the formatter away). Against the demo API:
#   TOKEN=x loadforge run examples/seed_plan_example.py --base-url http://127.0.0.1:8080
import random
from loadforge import scenario, task, setup, teardown, HttpClient

@scenario(
    name="REST API Load Test",
    base_url="https://api.example.com",
    default_headers={"Authorization": "Bearer ${TOKEN}"},
    think_time=(0.5, 1.5),  # random pause between tasks (seconds)
)
class ApiScenario:

    @setup
    async def on_start(self, client: HttpClient):
        """Called once per virtual user before tasks begin."""
        resp = await client.post("/auth/login", json={
            "email": "test@example.com",
            "password": "secret",
        })
        data = await resp.json()
        client.headers["Authorization"] = f"Bearer {data['token']}"

    @task(weight=5)
    async def list_items(self, client: HttpClient):
        """GET /items — most common operation."""
        await client.get("/items", name="List Items")

    @task(weight=3)
    async def get_item(self, client: HttpClient):
        """GET /items/:id — second most common."""
        item_id = random.randint(1, 1000)
        await client.get(f"/items/{item_id}", name="Get Item")

    @task(weight=1)
    async def create_item(self, client: HttpClient):
        """POST /items — least common."""
        await client.post("/items", json={"name": "New Item"}, name="Create Item")

    @teardown
    async def on_stop(self, client: HttpClient):
        """Called once per virtual user on shutdown."""
        await client.post("/auth/logout")
