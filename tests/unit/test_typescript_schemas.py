"""web/src/schemas.ts is what the pydantic models generate, and the app's types use it."""

from __future__ import annotations

import re
from typing import Literal

import pytest
from pydantic import BaseModel

import typescript_schemas
from typescript_schemas import OUTPUT, UnsupportedSchema, typescript

WEB_SRC = OUTPUT.parent


def test_the_committed_typescript_is_what_the_models_generate() -> None:
    assert OUTPUT.read_text(encoding="utf-8") == typescript(), (
        "web/src/schemas.ts is older than the pydantic models: run"
        " `uv run python tests/typescript_schemas.py`, then `npm run build` in web/."
    )


def test_the_run_figures_have_the_vocabularys_names() -> None:
    text = OUTPUT.read_text(encoding="utf-8")
    snapshot = re.search(r"export interface SnapshotData \{(.*?)\}", text, re.S)
    summary = re.search(r"export interface RunSummary \{(.*?)\}", text, re.S)
    assert snapshot is not None
    assert summary is not None

    for name in ("requests", "rps", "errors", "error_rate", "latency_p95", "errors_by_status"):
        assert f"  {name}: " in snapshot[1]
    for name in ("requests", "rps", "errors", "error_rate", "latency_p95", "latency_avg"):
        assert f"  {name}: " in summary[1]
    for old in ("total_requests", "request_count", "error_count", "failed_requests", "latency_ms"):
        assert old not in text


def test_the_apps_types_come_from_the_generated_file() -> None:
    dashboard = (WEB_SRC / "types.ts").read_text(encoding="utf-8")
    server = (WEB_SRC / "server" / "types.ts").read_text(encoding="utf-8")

    assert '} from "./schemas";' in dashboard
    assert '} from "../schemas";' in server
    for name in ("Snapshot", "Endpoint", "TestStatus"):
        assert f"export interface {name} " not in dashboard
    for name in ("Spec", "Run", "Summary", "Schedule", "Attachment", "RequestSpec"):
        assert f"export interface {name} " not in server


def test_a_renamed_field_changes_the_output(monkeypatch: pytest.MonkeyPatch) -> None:
    class Old(BaseModel):
        """Before."""

        total_requests: int

    class New(BaseModel):
        """After."""

        requests: int

    monkeypatch.setattr(typescript_schemas, "MODELS", (Old,))
    before = typescript().replace("Old", "Model").replace("Before", "Doc")
    monkeypatch.setattr(typescript_schemas, "MODELS", (New,))
    after = typescript().replace("New", "Model").replace("After", "Doc")

    assert "total_requests: number;" in before
    assert before != after


def test_each_schema_construct_has_its_typescript(monkeypatch: pytest.MonkeyPatch) -> None:
    class Leaf(BaseModel):
        """A leaf.

        More words that stay out of the comment.
        """

        flag: bool

    class Tree(BaseModel):
        kind: Literal["tree"] = "tree"
        mode: Literal["a", "b"]
        leaf: Leaf | None
        leaves: list[Leaf | int]
        names: list[str]
        counts: dict[str, int]
        anything: object
        ratio: float

    monkeypatch.setattr(typescript_schemas, "MODELS", (Tree,))
    text = typescript()

    assert "/** A leaf. */\nexport interface Leaf {\n  flag: boolean;\n}\n" in text
    assert '  kind: "tree";\n  mode: "a" | "b";\n  leaf: Leaf | null;\n' in text
    assert "  leaves: (Leaf | number)[];\n  names: string[];\n" in text
    assert "  counts: Record<string, number>;\n  anything: unknown;\n  ratio: number;\n" in text


def test_an_unknown_construct_is_an_error_not_a_guess(monkeypatch: pytest.MonkeyPatch) -> None:
    class Odd(BaseModel):
        pair: tuple[int, str]

    monkeypatch.setattr(typescript_schemas, "MODELS", (Odd,))

    with pytest.raises(UnsupportedSchema, match="no TypeScript for the schema"):
        typescript()
