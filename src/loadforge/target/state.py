"""The demo API's in-memory state: items, login tokens and request counts.

Each app gets its own state so tests and demos never see each other's data.
Everything runs on the server's single event loop, so plain dicts and ints are
exact without locks.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

#: How many items exist when the target starts (ids 1..INITIAL_ITEMS).
INITIAL_ITEMS = 1000


@dataclass(frozen=True, slots=True)
class Item:
    """One item of the demo catalogue."""

    id: int
    name: str

    def to_json(self) -> dict[str, object]:
        """The item as it appears in response bodies."""
        return {"id": self.id, "name": self.name}


class ItemStore:
    """The catalogue behind ``/items``: pre-filled, growing with each POST."""

    def __init__(self, initial: int = INITIAL_ITEMS) -> None:
        self._items = {number: Item(number, f"Item {number}") for number in range(1, initial + 1)}
        self._next_id = initial + 1

    def __len__(self) -> int:
        return len(self._items)

    def page(self, offset: int, limit: int) -> list[Item]:
        """Items in id order, ``limit`` of them starting at position ``offset``."""
        # Ids are dense and increasing, so a position maps straight to an id.
        first = offset + 1
        return [self._items[i] for i in range(first, first + limit) if i in self._items]

    def get(self, item_id: int) -> Item | None:
        """The item with this id, or None."""
        return self._items.get(item_id)

    def add(self, name: str) -> Item:
        """Create an item with the next free id."""
        item = Item(self._next_id, name)
        self._items[item.id] = item
        self._next_id += 1
        return item


class TokenStore:
    """Bearer tokens handed out by ``/auth/login`` and revoked by ``/auth/logout``."""

    def __init__(self) -> None:
        self._users: dict[str, str] = {}

    def issue(self, user: str) -> str:
        """A fresh token for ``user``."""
        token = secrets.token_urlsafe(18)
        self._users[token] = user
        return token

    def user_of(self, token: str) -> str | None:
        """Who the token belongs to, or None when it is unknown or revoked."""
        return self._users.get(token)

    def revoke(self, token: str) -> None:
        """Make the token unusable."""
        self._users.pop(token, None)


class RequestCounts:
    """Requests served, per ``METHOD /route/{template}`` and in total.

    Tests compare these with LoadForge's own counts, so every response the
    server starts is counted exactly once.
    """

    def __init__(self) -> None:
        self.total = 0
        self.by_route: dict[str, int] = {}

    def add(self, key: str) -> None:
        """Count one request served under ``key``."""
        self.total += 1
        self.by_route[key] = self.by_route.get(key, 0) + 1

    def reset(self) -> None:
        """Start counting from zero again."""
        self.total = 0
        self.by_route = {}

    def to_json(self) -> dict[str, object]:
        """The counts as served by ``GET /stats``."""
        return {"total": self.total, "routes": dict(sorted(self.by_route.items()))}


class TargetState:
    """All the mutable state of one demo API instance."""

    def __init__(self) -> None:
        self.items = ItemStore()
        self.tokens = TokenStore()
        self.counts = RequestCounts()
