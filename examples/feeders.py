"""Data for each virtual user from a file: `Feeder`, as Gatling's feeders and k6's SharedArray.

    loadforge target                                   # in one terminal
    loadforge run examples/feeders.py --base-url http://127.0.0.1:8080 -u 10 -d 30s

`Feeder.csv` reads `accounts.csv` next to this file (a header row, then one
dict per row); `Feeder.json`, `Feeder.jsonl` and `Feeder.rows([...])` read
the other forms. Modes: `circular` (the default) walks the rows in order
and wraps around, `random` draws with replacement, `shuffle` without
replacement per pass, `unique` hands every row out at most once in the
whole run, across workers. When a `unique` feeder runs out the run ends
cleanly, with the reason among the result's events (`on_exhausted="raise"`
raises `FeederExhausted` in the task instead). A bad file fails at import,
naming the file and line, before any traffic.
"""

from loadforge import Feeder, HttpClient, scenario, task

accounts = Feeder.csv("accounts.csv")
items = Feeder.rows([{"id": 1}, {"id": 2}, {"id": 3}], mode="shuffle", seed=1)


@scenario(name="Feeders", base_url="http://127.0.0.1:8080", think_time=(0.2, 0.5))
class Feeders:
    """Log in as the next account from the file, then read an item of the shuffled list."""

    @task
    async def log_in_and_read(self, client: HttpClient) -> None:
        """One account's login, then one item, per iteration."""
        account = accounts.next()
        resp = await client.post(
            "/auth/login",
            json={"email": account["email"], "password": account["password"]},
            name="Log In",
        )
        data = await resp.json()
        if isinstance(data, dict):
            client.headers["Authorization"] = f"Bearer {data['token']}"
        await client.get(f"/items/{items.next()['id']}", name="Get Item")
