"""Feeders: reading files, handing out rows by mode, each worker's share, bad input."""

from __future__ import annotations

import contextvars
import json
from pathlib import Path

import pytest

from loadforge import Feeder, FeederExhausted
from loadforge.dsl import UserInfo, feeders
from loadforge.dsl.current_user import bind_user
from loadforge.errors import ScenarioError

ROWS = [{"user": f"u{i}", "n": i} for i in range(10)]


@pytest.fixture(autouse=True)
def no_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts as a process no engine has bound to a worker yet."""
    monkeypatch.setattr(feeders, "_position", [None])
    monkeypatch.setattr(feeders, "_stop_hook", [None])


def write_csv(tmp_path: Path, text: str, name: str = "rows.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_csv_row_is_a_dict_of_its_fields(tmp_path: Path) -> None:
    path = write_csv(tmp_path, "user,password\nann,a1\nbob,b2\n\n")
    feeder = Feeder.csv(path)

    assert feeder.next() == {"user": "ann", "password": "a1"}
    assert feeder.next() == {"user": "bob", "password": "b2"}
    assert feeder.next() == {"user": "ann", "password": "a1"}, "circular wraps around"
    assert feeder.total_rows == 2


def test_json_and_jsonl_files_give_their_objects(tmp_path: Path) -> None:
    (tmp_path / "rows.json").write_text(json.dumps(ROWS[:2]))
    (tmp_path / "rows.jsonl").write_text("\n".join(json.dumps(row) for row in ROWS[:2]) + "\n")

    for feeder in (Feeder.json(tmp_path / "rows.json"), Feeder.jsonl(tmp_path / "rows.jsonl")):
        assert [feeder.next(), feeder.next()] == ROWS[:2]


def test_a_relative_path_is_read_next_to_the_scenario_file(tmp_path: Path) -> None:
    write_csv(tmp_path, "user\nann\n", "accounts.csv")
    scenario = tmp_path / "shop.py"
    scenario.write_text('from loadforge import Feeder\naccounts = Feeder.csv("accounts.csv")\n')
    namespace: dict[str, object] = {"__file__": str(scenario)}
    exec(compile(scenario.read_text(), str(scenario), "exec"), namespace)  # noqa: S102

    accounts = namespace["accounts"]
    assert isinstance(accounts, Feeder)
    assert accounts.next() == {"user": "ann"}


def test_each_worker_keeps_its_share_and_unique_never_repeats_across_workers() -> None:
    seen: list[int] = []
    for index in range(3):
        feeders.bind_worker(index, 3)
        feeder = Feeder.rows(ROWS, mode="unique", on_exhausted="raise")
        assert feeder.share == len(range(index, 10, 3))
        for _ in range(feeder.share):
            number = feeder.next()["n"]
            assert isinstance(number, int)
            seen.append(number)
        with pytest.raises(FeederExhausted, match="ran out of rows"):
            feeder.next()

    assert sorted(seen) == list(range(10))


def test_circular_without_wrap_runs_out_after_one_pass() -> None:
    feeder = Feeder.rows(ROWS[:2], wrap=False, on_exhausted="raise")
    feeder.next()
    feeder.next()

    with pytest.raises(FeederExhausted):
        feeder.next()


def test_shuffle_hands_out_every_row_once_per_pass() -> None:
    feeder = Feeder.rows(ROWS, mode="shuffle", seed=1)
    first = [int(str(feeder.next()["n"])) for _ in range(10)]
    second = [int(str(feeder.next()["n"])) for _ in range(10)]

    assert sorted(first) == sorted(second) == list(range(10))
    assert first != list(range(10))


def test_random_is_reproducible_with_a_seed() -> None:
    draws = [
        [feeder.next()["n"] for _ in range(20)]
        for feeder in (Feeder.rows(ROWS, mode="random", seed=7) for _ in range(2))
    ]

    assert draws[0] == draws[1]
    assert len(set(draws[0])) > 1


def test_with_a_seed_each_user_draws_its_own_stream_however_users_interleave() -> None:
    def draws(feeder: Feeder, order: list[int]) -> dict[int, list[object]]:
        seen: dict[int, list[object]] = {}

        def as_user(index: int) -> None:
            bind_user(UserInfo(index, index, 0, 1))
            seen.setdefault(index, []).append(feeder.next()["n"])

        for index in order:
            contextvars.copy_context().run(as_user, index)
        return seen

    one = draws(Feeder.rows(ROWS, mode="random", seed=7), [0, 1, 2] * 8)
    other = draws(Feeder.rows(ROWS, mode="random", seed=7), [2] * 8 + [1] * 8 + [0] * 8)
    reseeded = draws(Feeder.rows(ROWS, mode="random", seed=8), [0] * 8)

    assert one == other
    assert len({tuple(stream) for stream in one.values()}) == 3
    assert all(len(set(stream)) > 1 for stream in one.values())
    assert reseeded[0] != one[0]


def test_stop_mode_tells_the_engine_once_and_stops_the_user() -> None:
    reasons: list[str] = []
    feeders.on_feeder_exhausted(reasons.append)
    feeder = Feeder.rows(ROWS[:1], mode="unique")
    feeder.next()

    for _ in range(2):
        with pytest.raises(FeederExhausted) as raised:
            feeder.next()
        assert raised.value.stops_user

    assert len(reasons) == 1
    assert "Feeder.rows ran out of rows (mode unique" in reasons[0]


def test_the_coordinator_checks_the_file_and_keeps_nothing_until_asked(tmp_path: Path) -> None:
    feeder = Feeder.csv(write_csv(tmp_path, "user\nann\nbob\n"))

    assert feeder.share == 0
    assert feeder.next() == {"user": "ann"}
    assert feeder.share == 2


def test_a_row_is_a_copy(tmp_path: Path) -> None:
    feeder = Feeder.rows(ROWS[:1])
    feeder.next()["user"] = "changed"

    assert feeder.next()["user"] == "u0"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", r"rows.csv:1: the CSV file is empty"),
        ("user,\nann,x\n", r"rows.csv:1: bad header"),
        ("user,user\nann,x\n", r"rows.csv:1: bad header"),
        ("user,password\nann,a1\nbob\n", r"rows.csv:3: 1 fields, but the header has 2"),
        ("user,password\n", r"rows.csv: no rows to feed"),
    ],
)
def test_bad_csv_input_names_the_file_and_line(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ScenarioError, match=message):
        Feeder.csv(write_csv(tmp_path, text))


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("rows.json", '[{"a": 1},\n 3]', r"rows.json: item 2: a row must be a JSON object"),
        ("rows.json", '{"a": 1}', r"rows.json:1: a JSON feeder file holds an array"),
        ("rows.json", '[{"a": 1},\n{"b": }]', r"rows.json:2: not valid JSON"),
        ("rows.jsonl", '{"a": 1}\n\n{"a":\n', r"rows.jsonl:3: not valid JSON"),
        ("rows.jsonl", '{"a": 1}\n[1]\n', r"rows.jsonl:2: a row must be a JSON object"),
    ],
)
def test_bad_json_input_names_the_file_and_line(
    tmp_path: Path, name: str, text: str, message: str
) -> None:
    path = tmp_path / name
    path.write_text(text)
    read = Feeder.json if name.endswith(".json") else Feeder.jsonl
    with pytest.raises(ScenarioError, match=message):
        read(path)


def test_a_missing_file_an_unknown_mode_and_a_bad_choice_are_scenario_errors(
    tmp_path: Path,
) -> None:
    with pytest.raises(ScenarioError, match=r"missing.csv does not exist"):
        Feeder.csv(tmp_path / "missing.csv")
    with pytest.raises(ScenarioError, match=r"unknown feeder mode 'once'; use one of circular"):
        Feeder.rows(ROWS, mode="once")
    with pytest.raises(ScenarioError, match=r"on_exhausted is 'stop'"):
        Feeder.rows(ROWS, on_exhausted="ignore")
    with pytest.raises(ScenarioError, match=r"item 1 is not a dict"):
        Feeder.rows([1])  # type: ignore[list-item]
