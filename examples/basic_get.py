"""The smallest useful scenario: every virtual user GETs /anything with no pause.

Run it against LoadForge's built-in demo API. In one terminal:

    loadforge target

and in another:

    loadforge run examples/basic_get.py --base-url http://127.0.0.1:8080 -u 10 -d 10s

With think_time=0 each virtual user sends its next request as soon as the last
one is answered, so this measures how fast the server (and LoadForge) can go.
"""

from loadforge import HttpClient, scenario, task


@scenario(name="Basic GET", base_url="http://127.0.0.1:8080", think_time=0)
class BasicGet:
    """One endpoint, as fast as the server answers."""

    @task
    async def anything(self, client: HttpClient) -> None:
        """GET /anything: the demo API echoes the request back."""
        await client.get("/anything", name="Anything")
