"""Metrics of your own: a counter, a gauge, a rate and a trend (k6's four kinds).

    loadforge target                                   # in one terminal
    loadforge run examples/custom_metrics.py --base-url http://127.0.0.1:8080 -u 10 -d 30s \\
        --threshold "items_created>10" --threshold "found>99%" \\
        --threshold "create_to_read_ms: p95<200ms"

Declare each metric once at module level; record it from tasks. The values
are merged across workers exactly (a trend is an HDR histogram, as request
latency is), checked by thresholds by name, and shown per second in the live
view, the report, the CSV files and the dashboard.
"""

import time

from loadforge import HttpClient, metrics, scenario, setup, task

items_created = metrics.counter("items_created")
last_item_id = metrics.gauge("last_item_id")
found = metrics.rate("found")
create_to_read_ms = metrics.trend("create_to_read_ms")


@scenario(name="Custom metrics", base_url="http://127.0.0.1:8080", think_time=(0.2, 0.5))
class CustomMetrics:
    """Create an item, read it back, and measure the round trip as one figure."""

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
    async def create_and_read(self, client: HttpClient) -> None:
        """POST an item, then GET it: count it, note its id, time both together."""
        started = time.perf_counter()
        created = await client.post(
            "/items", json={"name": "metric item"}, name="Create Item", expect=201
        )
        if not created.ok:
            return
        item = await created.json()
        item_id = item.get("id") if isinstance(item, dict) else None
        items_created.add(1)
        if isinstance(item_id, int):
            last_item_id.set(item_id)
        read = await client.get(f"/items/{item_id}", name="Get Item")
        found.add(read.status == 200)
        create_to_read_ms.record((time.perf_counter() - started) * 1000)
