"""HTTP header fields as scenario code sees them.

Header names are case-insensitive and a name may repeat (Set-Cookie, Vary),
so a plain dict is wrong in both directions. `Headers` is a mutable mapping
whose item access joins repeated values with ", " (as RFC 9110 allows) and
whose `get_all` returns them one by one. It tells a subscriber about every
change, so the client knows when a user's headers changed and its cached
request heads must be rebuilt.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping

__all__ = ["HeaderSource", "Headers"]

HeaderSource = Mapping[str, str] | Iterable[tuple[str, str]]


class Headers(MutableMapping[str, str]):
    """Case-insensitive, multi-valued header fields in the order they were given."""

    __slots__ = ("_fields", "_on_change", "_version")

    def __init__(self, fields: HeaderSource | None = None) -> None:
        # (lowercased name, name as given, value) per field, in order.
        self._fields: list[tuple[str, str, str]] = []
        self._version = 0
        self._on_change: Callable[[], None] | None = None
        if fields is not None:
            pairs = fields.items() if isinstance(fields, Mapping) else fields
            for name, value in pairs:
                self._fields.append((name.lower(), name, value))

    @classmethod
    def from_raw(cls, raw: Iterable[tuple[bytes, bytes]]) -> Headers:
        """Build from header fields as they came off the wire (Latin-1, per RFC 9110)."""
        headers = cls()
        fields = headers._fields
        for name_bytes, value_bytes in raw:
            name = name_bytes.decode("latin-1")
            fields.append((name.lower(), name, value_bytes.decode("latin-1")))
        return headers

    @property
    def version(self) -> int:
        """Incremented on every change, so dependants can tell a stale copy."""
        return self._version

    def subscribe(self, on_change: Callable[[], None]) -> None:
        """Have `on_change` called after every change (one subscriber: the owning client)."""
        self._on_change = on_change

    def _changed(self) -> None:
        self._version += 1
        if self._on_change is not None:
            self._on_change()

    def get_all(self, name: str) -> list[str]:
        """Every value of `name`, in order; an empty list when absent."""
        key = name.lower()
        return [value for lower, _, value in self._fields if lower == key]

    def multi_items(self) -> list[tuple[str, str]]:
        """Every field as (name, value), repeated names included, in order."""
        return [(name, value) for _, name, value in self._fields]

    def add(self, name: str, value: str) -> None:
        """Append a field, keeping the values `name` already has."""
        self._fields.append((name.lower(), name, value))
        self._changed()

    def __getitem__(self, name: str) -> str:
        values = self.get_all(name)
        if not values:
            raise KeyError(name)
        return ", ".join(values)

    def __setitem__(self, name: str, value: str) -> None:
        key = name.lower()
        fields = [field for field in self._fields if field[0] != key]
        fields.append((key, name, value))
        self._fields = fields
        self._changed()

    def __delitem__(self, name: str) -> None:
        key = name.lower()
        fields = [field for field in self._fields if field[0] != key]
        if len(fields) == len(self._fields):
            raise KeyError(name)
        self._fields = fields
        self._changed()

    def __contains__(self, name: object) -> bool:
        if not isinstance(name, str):
            return False
        key = name.lower()
        return any(lower == key for lower, _, _ in self._fields)

    def __iter__(self) -> Iterator[str]:
        seen: set[str] = set()
        for lower, name, _ in self._fields:
            if lower not in seen:
                seen.add(lower)
                yield name

    def __len__(self) -> int:
        return len({lower for lower, _, _ in self._fields})

    def __repr__(self) -> str:
        return f"Headers({self.multi_items()!r})"


def merge_fields(*layers: HeaderSource | None) -> list[tuple[str, str]]:
    """Merge header layers; a name in a later layer replaces all its earlier values.

    Used to put per-call headers over the user's headers over the built-in
    defaults.
    """
    merged: list[tuple[str, str, str]] = []
    for layer in layers:
        if layer is None:
            continue
        if isinstance(layer, Headers):
            pairs: Iterable[tuple[str, str]] = layer.multi_items()
        elif isinstance(layer, Mapping):
            pairs = layer.items()
        else:
            pairs = layer
        fields = [(name.lower(), name, value) for name, value in pairs]
        replaced = {lower for lower, _, _ in fields}
        merged = [field for field in merged if field[0] not in replaced]
        merged.extend(fields)
    return [(name, value) for _, name, value in merged]
