"""Named checks with pass rates, gated in CI: k6's `check()`, the LoadForge way.

    loadforge target                                   # in one terminal
    loadforge run examples/checks.py --base-url http://127.0.0.1:8080 -u 10 -d 30s \\
        --threshold "checks>99%" --threshold '"lists items": checks>99.9%'

`resp.check(name, condition)` counts a pass or a fail under `name` (and under
the request's endpoint) and returns the outcome, so a task can go on only
when a check passed. A failed check does not make the request an error
unless `fail=True` says so. A condition written as a function of the
response counts its exception as a failed check instead of crashing the task.
"""

from loadforge import HttpClient, scenario, setup, task


@scenario(name="Checks", base_url="http://127.0.0.1:8080", think_time=(0.2, 0.5))
class Checks:
    """List and read items, checking every answer."""

    @setup
    async def log_in(self, client: HttpClient) -> None:
        """Log in once per virtual user; the token goes on every later request."""
        resp = await client.post(
            "/auth/login", json={"email": "load@example.com", "password": "secret"}, name="Log In"
        )
        if resp.check("logged in", resp.status == 200, fail=True):
            data = await resp.json()
            if isinstance(data, dict):
                client.headers["Authorization"] = f"Bearer {data['token']}"

    @task(weight=3)
    async def list_items(self, client: HttpClient) -> None:
        """GET /items: the status, and that the body really lists items."""
        resp = await client.get("/items", params={"limit": 20}, name="List Items")
        resp.check("status is 200", resp.status == 200)
        page = await resp.json() if resp.ok else None
        resp.check("lists items", isinstance(page, dict) and isinstance(page.get("items"), list))

    @task
    async def get_item(self, client: HttpClient) -> None:
        """GET /items/1: the status and the item's id, read in a check of its own."""
        resp = await client.get("/items/1", name="Get Item")
        resp.check("status is 200", resp.status == 200)
        resp.check("has a content type", lambda r: r.headers["content-type"].startswith("app"))
