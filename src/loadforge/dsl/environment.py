"""Filling ``${VAR}`` references in a scenario from the environment when a run starts.

Secrets such as API tokens stay out of scenario files: users write
``"Bearer ${TOKEN}"`` and export ``TOKEN``. Expansion happens at run start
(not at import) so listing or validating a scenario never needs the secrets.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from loadforge.dsl.definitions import ScenarioDefinition
from loadforge.dsl.urls import base_url_problem, normalise_base_url
from loadforge.errors import ConfigError

# "$$" is an escaped "$"; "${NAME}" a reference; "${" followed by anything else is a mistake.
_REFERENCE = re.compile(r"\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$\{")


@dataclass(frozen=True, slots=True)
class ResolvedScenario:
    """A scenario with its base URL and default headers final, ready to run."""

    definition: ScenarioDefinition
    base_url: str
    default_headers: Mapping[str, str]

    def __post_init__(self) -> None:
        object.__setattr__(self, "default_headers", MappingProxyType(dict(self.default_headers)))


def expand_variables(text: str, environ: Mapping[str, str], *, where: str) -> str:
    """Replace each ``${VAR}`` in ``text`` with its value from ``environ``.

    ``$$`` stands for a literal ``$``. ``where`` names the place the text came
    from (e.g. ``default_headers['Authorization']``) so a missing variable
    can be reported where the user wrote it.
    """

    def replace(match: re.Match[str]) -> str:
        matched, variable = match.group(0), match.group(1)
        if matched == "$$":
            return "$"
        if variable is None:
            raise ConfigError(
                f"{where} contains a malformed variable reference in {text!r}: write "
                "${NAME} with a name made of letters, digits and underscores, or $$ for a "
                "literal dollar sign."
            )
        if variable not in environ:
            raise ConfigError(
                f"Environment variable {variable} is not set, but {where} uses it "
                f"(${{{variable}}}). Set it before running, e.g. `export {variable}=...` or "
                f"`{variable}=... loadforge run ...`; write $${{{variable}}} to send the text "
                "literally."
            )
        return environ[variable]

    return _REFERENCE.sub(replace, text)


def resolve_scenario(
    definition: ScenarioDefinition,
    environ: Mapping[str, str],
    base_url_override: str | None = None,
) -> ResolvedScenario:
    """Expand the scenario's variables and check the final base URL.

    With ``base_url_override`` (``--base-url``) the scenario's own base URL,
    and so any variable in it, is not used at all.
    """
    owner = f"scenario {definition.name!r}"
    if base_url_override is not None:
        base_url, origin = base_url_override, "The base URL override (--base-url)"
    else:
        where = f"base_url of {owner}"
        base_url = expand_variables(definition.base_url, environ, where=where)
        origin = f"The base_url of {owner}"
    problem = base_url_problem(base_url)
    if problem is not None:
        raise ConfigError(
            f"{origin} is {base_url!r}, which cannot be used because {problem}. Give a full "
            "URL such as http://127.0.0.1:8080."
        )
    headers = {
        key: _header_value(key, value, environ, owner)
        for key, value in definition.default_headers.items()
    }
    return ResolvedScenario(definition, normalise_base_url(base_url), headers)


def _header_value(key: str, value: str, environ: Mapping[str, str], owner: str) -> str:
    where = f"default_headers[{key!r}] of {owner}"
    expanded = expand_variables(value, environ, where=where)
    # A variable's value could smuggle a line break into the request head.
    if any(c in expanded for c in "\r\n\0"):
        raise ConfigError(
            f"{where} contains a line break or NUL character after filling in environment "
            "variables; header values must be a single line. Check the variables it uses."
        )
    return expanded
