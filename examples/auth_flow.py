"""A login-heavy flow: every iteration logs in, uses the API, then logs out.

Use this shape to load-test an authentication service, where sessions are
short and logins are a large share of the traffic. Run it against LoadForge's
built-in demo API. In one terminal:

    loadforge target

and in another:

    loadforge run examples/auth_flow.py --base-url http://127.0.0.1:8080 -u 10 -d 30s
"""

import random

from loadforge import HttpClient, scenario, task


@scenario(name="Auth Flow", base_url="http://127.0.0.1:8080", think_time=(0.2, 0.8))
class AuthFlow:
    """Short sessions: log in, two authenticated calls, log out."""

    @task
    async def session(self, client: HttpClient) -> None:
        """One whole session, with its token sent per request rather than per user."""
        resp = await client.post(
            "/auth/login",
            json={"username": f"user{random.randint(1, 100)}", "password": "secret"},
            name="Log In",
        )
        data = await resp.json()
        if not isinstance(data, dict) or "token" not in data:
            resp.fail("login returned no token")
            return
        auth = {"Authorization": f"Bearer {data['token']}"}
        await client.get("/items", headers=auth, name="List Items")
        await client.get(f"/items/{random.randint(1, 1000)}", headers=auth, name="Get Item")
        await client.post("/auth/logout", headers=auth, name="Log Out")
        # After logout the token must be refused: 401 is the success case here.
        await client.get("/items", headers=auth, name="Items After Logout", expect=401)
