"""Which hosts a run may reach: an allowlist the client consults before it connects.

`loadforge serve --allow-target` hands its patterns to each run's process;
the connection pool then asks the policy twice: whether a host and port may
be requested at all (by name, before any DNS: every request and every
redirect hop), and whether one address the name resolved to may be
connected to (at connect time, so a name cannot point a run elsewhere).
`loadforge run` has no policy and pays nothing for it.

Patterns, matched case-insensitively, each with an optional `:port`:

- an IP address (`10.0.0.5`, `[::1]`), a network (`10.0.0.0/24`,
  `[fd00::/8]`) or trailing wildcards (`10.0.0.*` = `10.0.0.0/24`): matched
  as addresses, never as text, so `10.0.0.*` does not match `10.0.0.evil.com`;
- a DNS name (`api.internal`) or a name under a domain (`*.example.com`:
  any name ending in `.example.com`, at any depth, but not `example.com`
  itself). Names are compared label by label; a `*` stands for whole labels
  only, so `*example.com` is refused when the server starts.

An exactly named host may resolve to any address. A name matched only by a
`*.` pattern may not resolve to a loopback, link-local, unspecified,
multicast or reserved address (this machine, a cloud metadata service)
unless an IP pattern allows that address too.
"""

from __future__ import annotations

import ipaddress
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from loadforge.errors import ConfigError

__all__ = [
    "TARGETS_VARIABLE",
    "AllowList",
    "TargetPattern",
    "TargetPolicy",
    "policy_from_environ",
]

TARGETS_VARIABLE = "LOADFORGE_ALLOWED_TARGETS"
"""The environment variable (a JSON list of patterns) that carries a run's allowlist
to its process and to the worker processes it starts."""

IpNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class TargetPolicy(Protocol):
    """What the connection pool asks before it sends a request or opens a socket."""

    def allows(self, host: str, port: int) -> bool:
        """Whether a request may go to host:port at all (by name, before DNS)."""
        ...

    def allows_address(self, host: str, address: str, port: int) -> bool:
        """Whether a connection to host:port may use `address`, one that `host` resolved to."""
        ...


@dataclass(frozen=True, slots=True)
class TargetPattern:
    """One pattern: an IP network or DNS labels (a leading "*" for any subdomain), and a port."""

    text: str
    network: IpNetwork | None
    labels: tuple[str, ...]
    port: int | None

    @property
    def is_wildcard(self) -> bool:
        """True for a `*.domain` pattern."""
        return bool(self.labels) and self.labels[0] == "*"

    @classmethod
    def parse(cls, text: str) -> TargetPattern:
        """`host`, `host:port`, `*.example.com`, `10.0.0.*`, `10.0.0.0/24`, `[::1]:8080`."""
        raw = text.strip().lower()
        host, port = _split_port(raw, text)
        if not host:
            raise ConfigError(f"--allow-target {text!r}: give a host or host:port.")
        network = _network(host, text)
        if network is not None:
            return cls(text, network, (), port)
        return cls(text, None, _labels(host, text), port)

    def matches_name(self, host: str, port: int) -> bool:
        """True when host:port is covered, with `host` taken as written in the URL."""
        if self.port is not None and self.port != port:
            return False
        address = _address(host)
        if address is not None:
            return self.network is not None and address in self.network
        if self.network is not None:
            return False
        labels = tuple(host.lower().rstrip(".").split("."))
        if self.is_wildcard:
            suffix = self.labels[1:]
            return len(labels) > len(suffix) and labels[-len(suffix) :] == suffix
        return labels == self.labels

    def matches_address(self, address: IpAddress, port: int) -> bool:
        """True when an IP pattern covers this address and port."""
        if self.port is not None and self.port != port:
            return False
        return self.network is not None and address in self.network


@dataclass(frozen=True, slots=True)
class AllowList:
    """The server's --allow-target patterns as a `TargetPolicy`; empty allows nothing."""

    patterns: tuple[TargetPattern, ...]

    @classmethod
    def parse(cls, patterns: Iterable[str]) -> AllowList:
        """Every pattern parsed; ConfigError (naming the pattern) on the first bad one."""
        return cls(tuple(TargetPattern.parse(pattern) for pattern in patterns))

    @property
    def texts(self) -> tuple[str, ...]:
        """The patterns as they were given."""
        return tuple(pattern.text for pattern in self.patterns)

    def allows(self, host: str, port: int) -> bool:
        """Whether some pattern covers host:port by name (an IP literal as an address)."""
        return any(pattern.matches_name(host, port) for pattern in self.patterns)

    def allows_address(self, host: str, address: str, port: int) -> bool:
        """Whether `host` (which some pattern named) may be reached at `address`."""
        resolved = _address(address)
        if resolved is None:
            return False
        if any(pattern.matches_address(resolved, port) for pattern in self.patterns):
            return True
        if _address(host) is not None:
            return False  # an IP literal is allowed only by IP patterns
        named = [pattern for pattern in self.patterns if pattern.matches_name(host, port)]
        if any(not pattern.is_wildcard for pattern in named):
            return True
        return bool(named) and not _is_special(resolved)

    def to_environ(self) -> dict[str, str]:
        """The environment variable that hands this list to a run's processes."""
        return {TARGETS_VARIABLE: json.dumps(list(self.texts))}


def policy_from_environ(environ: Mapping[str, str] | None = None) -> AllowList | None:
    """The allowlist a server put in the environment of this run, or None (no policy)."""
    source = os.environ if environ is None else environ
    text = source.get(TARGETS_VARIABLE)
    if text is None:
        return None
    try:
        patterns = json.loads(text)
    except ValueError:
        raise ConfigError(f"{TARGETS_VARIABLE} must be a JSON list of patterns.") from None
    if not isinstance(patterns, list) or not all(isinstance(p, str) for p in patterns):
        raise ConfigError(f"{TARGETS_VARIABLE} must be a JSON list of patterns.")
    return AllowList.parse(patterns)


def _split_port(raw: str, text: str) -> tuple[str, int | None]:
    if raw.startswith("["):
        end = raw.find("]")
        if end < 0:
            raise ConfigError(f"--allow-target {text!r}: unclosed '['.")
        rest = raw[end + 1 :]
        if rest and not rest.startswith(":"):
            raise ConfigError(f"--allow-target {text!r}: only :port may follow ']'.")
        return raw[1:end], _port(rest[1:], text) if rest else None
    if raw.count(":") == 1:
        host, port_text = raw.split(":")
        return host, _port(port_text, text)
    return raw, None  # no port, or a bare IPv6 address or network


def _port(text: str, pattern: str) -> int:
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise ConfigError(f"--allow-target {pattern!r}: the port must be 1-65535.")
    return int(text)


def _network(host: str, text: str) -> IpNetwork | None:
    """The addresses an IP pattern covers; None when the host is a DNS name."""
    if "/" in host:
        try:
            return ipaddress.ip_network(host, strict=False)
        except ValueError:
            raise ConfigError(
                f"--allow-target {text!r}: {host!r} is not a network such as 10.0.0.0/24."
            ) from None
    if ":" in host:
        try:
            return ipaddress.ip_network(host)
        except ValueError:
            message = f"--allow-target {text!r}: {host!r} is not an IPv6 address."
            raise ConfigError(message) from None
    parts = host.split(".")
    if len(parts) == 4 and all(part == "*" or part.isdigit() for part in parts):
        return _ipv4_wildcard(parts, text)
    return None


def _ipv4_wildcard(parts: Sequence[str], text: str) -> IpNetwork:
    fixed = len(parts) - parts.count("*")
    if "*" in parts[:fixed] or fixed == 0:
        raise ConfigError(
            f"--allow-target {text!r}: '*' may only stand for the last parts of an address"
            " (10.0.0.*, 10.0.*.*); or give a network such as 10.0.0.0/24."
        )
    base = ".".join([*parts[:fixed], *["0"] * (4 - fixed)])
    try:
        return ipaddress.ip_network(f"{base}/{8 * fixed}")
    except ValueError:
        raise ConfigError(f"--allow-target {text!r}: {base!r} is not an IPv4 address.") from None


def _labels(host: str, text: str) -> tuple[str, ...]:
    labels = tuple(host.rstrip(".").split("."))
    for index, label in enumerate(labels):
        if label == "*" and index == 0:
            continue
        if "*" in label:
            raise ConfigError(
                f"--allow-target {text!r}: '*' stands for whole labels, first only:"
                " write '*.example.com' for the names under example.com (and"
                " 'example.com' for the domain itself)."
            )
        if not label or not all(c.isalnum() or c in "-_" for c in label):
            raise ConfigError(f"--allow-target {text!r}: {host!r} is not a host name.")
    if labels == ("*",):
        raise ConfigError(
            f"--allow-target {text!r}: name a domain after '*.' (*.example.com); a pattern"
            " that allows every host would make the allowlist pointless."
        )
    return labels


def _address(host: str) -> IpAddress | None:
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _is_special(address: IpAddress) -> bool:
    return (
        address.is_loopback
        or address.is_link_local
        or address.is_unspecified
        or address.is_multicast
        or address.is_reserved
    )
