"""A flat load: the baseline for measuring steady-state throughput and latency."""

from __future__ import annotations

from dataclasses import dataclass

from loadforge.patterns._validation import user_count
from loadforge.patterns.base import LoadPattern
from loadforge.patterns.quantity import USERS, Quantity

__all__ = ["ConstantPattern"]


@dataclass(frozen=True, slots=True)
class ConstantPattern(LoadPattern):
    """The same number of users for the whole run.

    Formula: users_at(t) = users, for every t >= 0.
    """

    users: int
    quantity: Quantity = USERS

    def __post_init__(self) -> None:
        user_count("users", self.users)

    def users_at(self, elapsed: float) -> int:
        """Target users at `elapsed` seconds: always `users`."""
        return self.users

    def describe(self) -> str:
        """One line such as 'constant 10 users' or 'constant 0.5 iterations/s'."""
        return f"constant {self.quantity.amount(self.users)}"

    def to_config(self) -> dict[str, object]:
        """{"type": "constant", "users": users}."""
        return {"type": "constant", "users": self.users}

    def _peak_over(self, duration: float, *, include_end: bool) -> int:
        return self.users
