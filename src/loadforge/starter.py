"""The starter scenario written by ``loadforge init NAME``.

A new user's first file should run as-is against the built-in target and
teach the DSL through its comments, so the template logs in, runs a few
weighted tasks and logs out, explaining each decorator on the way.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

from loadforge.errors import ConfigError

_TEMPLATE = '''\
"""Load test scenario {title}, created by `loadforge init`.

Try it against LoadForge's built-in demo API. Start the API in one terminal
(it serves http://127.0.0.1:8080):

    loadforge target

and in another, run 10 virtual users for 30 seconds:

    loadforge run {filename} -u 10 -d 30s

Then point base_url (or --base-url) at your own API and adapt the tasks.
"""

import random

from loadforge import HttpClient, scenario, setup, task, teardown


# @scenario turns this class into a load test. Every virtual user gets its own
# instance of the class and its own HTTP client. Values may use ${{VAR}} to read
# environment variables when the run starts, e.g. "Bearer ${{TOKEN}}".
@scenario(
    name={name_literal},
    base_url="http://127.0.0.1:8080",
    think_time=(0.5, 1.5),  # random pause between two tasks, in seconds
)
class {class_name}:
    # @setup runs once per virtual user, before its first task.
    @setup
    async def log_in(self, client: HttpClient) -> None:
        resp = await client.post(
            "/auth/login",
            json={{"email": "user@example.com", "password": "secret"}},
            name="Log In",
        )
        data = await resp.json()
        if not isinstance(data, dict) or "token" not in data:
            # Counts this request as failed in the report, with this reason.
            resp.fail("login returned no token")
            return
        # Headers set on the client are sent with every later request.
        client.headers["Authorization"] = f"Bearer {{data['token']}}"

    # @task marks what virtual users do. They pick tasks at random in
    # proportion to their weights: here, listing happens 3x as often as reading.
    @task(weight=3)
    async def list_items(self, client: HttpClient) -> None:
        # `name` groups requests in the report, whatever the exact URL.
        await client.get("/items", name="List Items")

    @task(weight=1)
    async def get_item(self, client: HttpClient) -> None:
        item_id = random.randint(1, 1000)
        resp = await client.get(f"/items/{{item_id}}", name="Get Item")
        # Fail a request when its content is wrong, not only when its status is.
        if resp.ok:
            item = await resp.json()
            if not isinstance(item, dict) or item.get("id") != item_id:
                resp.fail("wrong item returned")

    # @teardown runs once per virtual user when the test stops.
    @teardown
    async def log_out(self, client: HttpClient) -> None:
        await client.post("/auth/logout", name="Log Out")
'''


def _words(name: str) -> list[str]:
    # Accents are dropped ("Café" -> "Cafe") so file and class names stay ASCII, and
    # apostrophes join their word ("Bob's" -> "Bobs") rather than split it.
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.findall(r"[A-Za-z0-9]+", ascii_name.replace("'", ""))


def _check_name(name: str) -> str:
    cleaned = name.strip()
    if not _words(cleaned) or any(not char.isprintable() for char in cleaned):
        raise ConfigError(
            f"{name!r} cannot name a scenario: use a short printable name with at least one "
            "ASCII letter or digit, for example `loadforge init checkout`."
        )
    return cleaned


def starter_class_name(name: str) -> str:
    """The Python class name for scenario NAME, e.g. ``"my api"`` -> ``MyApi``."""
    words = _words(_check_name(name))
    joined = "".join(word[0].upper() + word[1:] for word in words)
    return joined if joined[0].isalpha() else f"Scenario{joined}"


def starter_filename(name: str) -> str:
    """The file ``loadforge init NAME`` writes, e.g. ``"My API"`` -> ``my_api.py``."""
    return "_".join(_words(_check_name(name))).lower() + ".py"


def render_starter(name: str) -> str:
    """The text of a commented starter scenario called NAME."""
    title = _check_name(name)
    return _TEMPLATE.format(
        # Only letters and digits go into the docstring, so no quote can end it early.
        title=" ".join(_words(title)),
        filename=starter_filename(title),
        name_literal=_string_literal(title),
        class_name=starter_class_name(title),
    )


def _string_literal(text: str) -> str:
    # Quote the way `ruff format` would, so the new file is already formatted.
    if '"' in text and "'" not in text:
        return repr(text)
    # A JSON string is also a valid Python string literal, its quotes escaped.
    return json.dumps(text, ensure_ascii=False)


def write_starter(name: str, directory: Path) -> Path:
    """Write the starter scenario for NAME into ``directory`` and return its path.

    An existing file is never overwritten.
    """
    text = render_starter(name)
    path = directory / starter_filename(name)
    try:
        with path.open("x", encoding="utf-8") as file:
            file.write(text)
    except FileExistsError:
        raise ConfigError(
            f"{path} already exists; LoadForge will not overwrite it. Choose another name "
            "or remove the file first."
        ) from None
    except OSError as exc:
        raise ConfigError(f"Cannot write {path}: {exc.strerror or exc}.") from None
    return path
