"""The JSON schema of a spec's `load_profile`, as OpenAPI shows it.

A profile is the ramp form (`ramp_up`, `users`, `steady`, `ramp_down`) or
`loadforge run` config keys, in the spelling the config file takes (dashes
or underscores). The schema names every key a profile may hold, with its
JSON type, and requires at least one; the keys the server chooses itself
(output, scenario, report settings) are not among them. Which combinations
make a load (a `ramp_to` needs `pattern: "ramp"`, a duration must be
positive...) is `loadforge run`'s own check, done when the spec is saved: a
422 naming the key.
"""

from __future__ import annotations

from typing import Any

# The very key sets the readers check against, so the schema cannot drift from them.
from loadforge.runs.options import _DURATION_KEYS, _FLOAT_KEYS, _INT_KEYS, _STR_KEYS
from loadforge.server.execution.profile import _SERVER_OWNED as SERVER_OWNED
from loadforge.server.execution.profile import RAMP_KEYS

_DURATION: dict[str, Any] = {
    "anyOf": [{"type": "number"}, {"type": "string", "minLength": 1}],
    "description": "Seconds, or a duration such as 30s, 5m, 1h30m.",
}
_PATTERN: dict[str, Any] = {
    "anyOf": [{"type": "string", "minLength": 1}, {"type": "object"}],
    "description": "A pattern name (constant, ramp, step, spike, diurnal) or a [pattern] table.",
}


def _types() -> dict[str, dict[str, Any]]:
    keys: dict[str, dict[str, Any]] = {}
    keys.update(dict.fromkeys(_DURATION_KEYS, _DURATION))
    keys.update({key: {"type": "integer"} for key in _INT_KEYS})
    keys.update({key: {"type": "number"} for key in _FLOAT_KEYS})
    keys.update({key: {"type": "string"} for key in _STR_KEYS})
    keys.update({key: {"type": "number"} for key in RAMP_KEYS - {"users"}})
    keys["pattern"] = _PATTERN
    return {key: schema for key, schema in keys.items() if key not in SERVER_OWNED}


def load_profile_schema() -> dict[str, Any]:
    """The schema: an object of known keys, each of its type, at least one of them."""
    properties: dict[str, dict[str, Any]] = {}
    for key, schema in sorted(_types().items()):
        properties[key] = schema
        if "_" in key:
            properties[key.replace("_", "-")] = schema
    return {
        "type": "object",
        "minProperties": 1,
        "properties": properties,
        "additionalProperties": False,
        "description": __doc__.split("\n\n", 1)[1].strip().replace("\n", " "),
    }
