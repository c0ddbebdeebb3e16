"""Several scenarios in one `loadforge run`: exact shares of users, figures per scenario."""

from __future__ import annotations

import json
import urllib.request
from collections import Counter
from pathlib import Path

import pytest

from cli_harness import Target, invoke, run_process

pytestmark = pytest.mark.slow

SHOP = """
from loadforge import HttpClient, current_user, scenario, setup, task


class Noted:
    @setup
    async def note(self, client: HttpClient) -> None:
        with open({log!r}, "a") as log:
            log.write(f"{{type(self).__name__}} {{current_user().index}}\\n")


@scenario(base_url="{url}", think_time=0.05, weight=3)
class Browse(Noted):
    @task
    async def look(self, client: HttpClient) -> None:
        await client.get("/anything", name="list")


@scenario(base_url="{url}", think_time=0.05)
class Buy(Noted):
    @task
    async def pay(self, client: HttpClient) -> None:
        await client.get("/status/201", name="list")


@scenario(base_url="{url}", think_time=0.05, users=1)
class Admin(Noted):
    @task
    async def slow(self, client: HttpClient) -> None:
        await client.get("/delay/1")
"""


def routes(target: Target) -> dict[str, int]:
    with urllib.request.urlopen(f"{target.url}/stats", timeout=5) as response:
        counts: dict[str, int] = json.loads(response.read())["routes"]
    return counts


def test_all_scenarios_over_two_workers_share_users_exactly_and_add_up_to_the_run(
    fresh_target: Target, tmp_path: Path
) -> None:
    log = tmp_path / "users.log"
    shop = tmp_path / "shop.py"
    shop.write_text(SHOP.format(url=fresh_target.url, log=str(log)))

    flags = ["--scenario", "all", "-u", "9", "-w", "2", "-d", "2s", "-q"]
    gates = ["--threshold", '"Browse": requests>0', "--threshold", '"Admin": p95<5s']
    run = invoke(["run", str(shop), *flags, *gates, "-o", str(tmp_path)])

    assert run.exit_code == 0, run.output
    assert "thresholds 2 passed" in run.output
    users = [line.split() for line in log.read_text().splitlines()]
    assert sorted(int(index) for _, index in users) == list(range(9))
    assert Counter(name for name, _ in users) == {"Browse": 6, "Buy": 2, "Admin": 1}
    result = run.result()
    assert result.scenario_name == "Browse + Buy + Admin"
    by_name = {each.name: each for each in result.scenarios}
    assert {name: each.users for name, each in by_name.items()} == Counter(
        name for name, _ in users
    )
    assert by_name["Admin"].fixed_users == 1
    assert by_name["Browse"].weight == 3
    endpoints = result.final_summary.endpoints
    assert set(endpoints) == {"Browse › list", "Buy › list", "Admin › GET /delay/1"}
    served = routes(fresh_target)
    assert by_name["Browse"].requests == endpoints["Browse › list"].requests
    assert by_name["Browse"].requests == served["GET /anything"]
    assert by_name["Buy"].requests == served["GET /status/{code}"]
    assert by_name["Admin"].requests == served["GET /delay/{ms}"]
    assert sum(each.requests for each in result.scenarios) == result.final_summary.requests
    assert result.final_summary.requests == fresh_target.served()
    assert sum(each.errors for each in result.scenarios) == result.final_summary.errors
    assert by_name["Browse"].latency_p50 > 0
    stored = json.loads((run.results_dir / "result.json").read_text())
    assert [each["name"] for each in stored["scenarios"]] == ["Browse", "Buy", "Admin"]
    csv_rows = (run.results_dir / "scenarios.csv").read_text().splitlines()
    assert csv_rows[0].startswith("name,weight,fixed_users,users,requests,rps,errors")
    assert [row.split(",")[:5] for row in csv_rows[1:]] == [
        [each.name, *map(str, (each.weight, each.fixed_users or "", each.users, each.requests))]
        for each in result.scenarios
    ]


OPEN_SHOP = """
from loadforge import HttpClient, current_user, scenario, setup, task


class Noted:
    @setup
    async def note(self, client: HttpClient) -> None:
        with open({log!r}, "a") as log:
            log.write(f"{{type(self).__name__}} {{current_user().index}}\\n")


@scenario(base_url="{url}", weight=3)
class Browse(Noted):
    @task
    async def look(self, client: HttpClient) -> None:
        await client.get("/anything", name="list")


@scenario(base_url="{url}")
class Buy(Noted):
    @task
    async def pay(self, client: HttpClient) -> None:
        await client.get("/delay/300", name="pay")
"""


def test_an_arrival_rate_over_two_workers_shares_its_starts_by_weight_exactly(
    fresh_target: Target, tmp_path: Path
) -> None:
    log = tmp_path / "users.log"
    shop = tmp_path / "shop.py"
    shop.write_text(OPEN_SHOP.format(url=fresh_target.url, log=str(log)))

    flags = ["--scenario", "all", "--arrival-rate", "20", "-w", "2", "-d", "2s", "-q"]
    run = invoke(["run", str(shop), *flags, "--max-users", "40", "-o", str(tmp_path)])

    assert run.exit_code == 0, run.output
    result = run.result()
    summary = result.final_summary
    # 20 starts/s for 2 s are 40 starts, dealt 3 : 1 by their run-wide numbers.
    assert (summary.started_iterations, summary.dropped_iterations) == (40, 0)
    by_name = {each.name: each for each in result.scenarios}
    assert {name: each.requests for name, each in by_name.items()} == {"Browse": 30, "Buy": 10}
    served = routes(fresh_target)
    assert (served["GET /anything"], served["GET /delay/{ms}"]) == (30, 10)
    # Each scenario holds the users its starts set up, as its setups logged them.
    set_up = Counter(line.split()[0] for line in log.read_text().splitlines())
    assert {name: each.users for name, each in by_name.items()} == set_up
    # Buy's iterations take 300 ms, a start every 200 ms: it needs more than one user.
    assert set_up["Buy"] >= 2
    stored = json.loads((run.results_dir / "result.json").read_text())
    assert [each["users"] for each in stored["scenarios"]] == [set_up["Browse"], set_up["Buy"]]


OWN_PATTERNS = """
from loadforge import HttpClient, constant, current_user, ramp, scenario, setup, task


class Noted:
    @setup
    async def note(self, client: HttpClient) -> None:
        with open({log!r}, "a") as log:
            log.write(f"{{type(self).__name__}} {{current_user().index}}\\n")


@scenario(base_url="{url}", think_time=0.05, pattern=ramp(1, 3, "1s") >> constant(3, "1s"))
class Browse(Noted):
    @task
    async def look(self, client: HttpClient) -> None:
        await client.get("/anything", name="list")


@scenario(base_url="{url}", think_time=0.05, weight=9, pattern=constant(1))
class Admin(Noted):
    @task
    async def manage(self, client: HttpClient) -> None:
        await client.get("/status/201", name="manage")
"""


@pytest.mark.parametrize("workers", ["1", "2"])
def test_scenarios_on_patterns_of_their_own_each_run_their_own_users(
    fresh_target: Target, tmp_path: Path, workers: str
) -> None:
    log = tmp_path / "users.log"
    shop = tmp_path / "shop.py"
    shop.write_text(OWN_PATTERNS.format(url=fresh_target.url, log=str(log)))

    run = invoke(["run", str(shop), "--scenario", "all", "-w", workers, "-o", str(tmp_path)])

    assert run.exit_code == 0, run.output
    result = run.result()
    # The run lasts as long as the longest pattern, 2 s, and holds both side by side.
    assert result.pattern_description.startswith("Browse: ramp 1 → 3 users over 1s")
    assert result.pattern_description.endswith("; Admin: constant 1 user")
    assert "Admin: constant 1 user" in " ".join(run.output.split())
    assert 2.0 <= result.duration_seconds < 4.0
    users = [line.split() for line in log.read_text().splitlines()]
    # Admin's weight=9 plays no part: each scenario runs the users its pattern gives.
    assert Counter(name for name, _ in users) == {"Browse": 3, "Admin": 1}
    assert len({int(index) for _, index in users}) == 4
    by_name = {each.name: each for each in result.scenarios}
    assert {name: each.users for name, each in by_name.items()} == {"Browse": 3, "Admin": 1}
    served = routes(fresh_target)
    assert by_name["Browse"].requests == served["GET /anything"] > 0
    assert by_name["Admin"].requests == served["GET /status/{code}"] > 0
    assert max(each.active_users for each in result.snapshots) == 4


OWN_RATES = """
from loadforge import HttpClient, scenario, task


class Steady:
    def __init__(self, rate: float) -> None:
        self.rate, self.duration = rate, "2s"

    def rate_at(self, t: float) -> float:
        return self.rate


@scenario(base_url="{url}", pattern=Steady(15))
class Browse:
    @task
    async def look(self, client: HttpClient) -> None:
        await client.get("/anything", name="list")


@scenario(base_url="{url}", weight=9, pattern=Steady(2.5))
class Buy:
    @task
    async def pay(self, client: HttpClient) -> None:
        await client.get("/status/201", name="pay")
"""


@pytest.mark.parametrize("workers", ["1", "2"])
def test_scenarios_on_arrival_rates_of_their_own_each_start_their_rate_times_the_duration(
    fresh_target: Target, tmp_path: Path, workers: str
) -> None:
    shop = tmp_path / "shop.py"
    shop.write_text(OWN_RATES.format(url=fresh_target.url))

    run = invoke(["run", str(shop), "--scenario", "all", "-w", workers, "-q", "-o", str(tmp_path)])

    assert run.exit_code == 0, run.output
    result = run.result()
    assert result.pattern_description.startswith("Browse: ")
    summary = result.final_summary
    # 15/s and 2.5/s for the patterns' 2 s: 30 and 5 starts, whatever the weights.
    assert (summary.started_iterations, summary.dropped_iterations) == (35, 0)
    by_name = {each.name: each for each in result.scenarios}
    assert {name: each.requests for name, each in by_name.items()} == {"Browse": 30, "Buy": 5}
    served = routes(fresh_target)
    assert (served["GET /anything"], served["GET /status/{code}"]) == (30, 5)
    assert all(each.users >= 1 for each in result.scenarios)


USERS_BESIDE_A_RATE = """
from loadforge import HttpClient, constant, current_user, scenario, setup, task


class Steady:
    def __init__(self, rate: float) -> None:
        self.rate, self.duration = rate, "2s"

    def rate_at(self, t: float) -> float:
        return self.rate


class Noted:
    @setup
    async def note(self, client: HttpClient) -> None:
        with open({log!r}, "a") as log:
            log.write(f"{{type(self).__name__}} {{current_user().index}}\\n")


@scenario(base_url="{url}", think_time=0.05, pattern=constant(2))
class Browse(Noted):
    @task
    async def look(self, client: HttpClient) -> None:
        await client.get("/anything", name="list")


@scenario(base_url="{url}", pattern=Steady(5))
class Buy(Noted):
    @task
    async def pay(self, client: HttpClient) -> None:
        await client.get("/status/201", name="pay")
"""


@pytest.mark.parametrize("workers", ["1", "3"])
def test_users_beside_an_arrival_rate_each_run_in_their_own_model(
    fresh_target: Target, tmp_path: Path, workers: str
) -> None:
    log = tmp_path / "users.log"
    shop = tmp_path / "shop.py"
    shop.write_text(USERS_BESIDE_A_RATE.format(url=fresh_target.url, log=str(log)))

    run = invoke(["run", str(shop), "--scenario", "all", "-w", workers, "-o", str(tmp_path)])

    assert run.exit_code == 0, run.output
    result = run.result()
    assert result.pattern_description == (
        "Browse: constant 2 users; Buy: Steady (custom): up to 5 iterations/s over 2s"
    )
    assert 2.0 <= result.duration_seconds < 4.0
    summary = result.final_summary
    # Buy starts exactly 5/s × 2 s; Browse's two users loop beside it, on no schedule.
    assert (summary.started_iterations, summary.dropped_iterations) == (10, 0)
    assert summary.target_rate == pytest.approx(5.0)
    users = [line.split() for line in log.read_text().splitlines()]
    set_up = Counter(name for name, _ in users)
    assert set_up["Browse"] == 2
    assert set_up["Buy"] >= 1
    # One numbering for both models' users, across the workers.
    assert len({int(index) for _, index in users}) == len(users)
    by_name = {each.name: each for each in result.scenarios}
    assert {name: each.users for name, each in by_name.items()} == dict(set_up)
    served = routes(fresh_target)
    assert by_name["Buy"].requests == served["GET /status/{code}"] == 10
    assert by_name["Browse"].requests == served["GET /anything"] > 10
    # The result reads as the open model: the rate asked for and the corrected latency.
    output = " ".join(run.output.split())
    assert "dropped iterations 0" in output
    assert "corrected for arrival-rate scenarios only" in output
    assert summary.endpoints["Buy › pay"].latency_corrected_p99 > 0
    assert summary.endpoints["Browse › list"].latency_corrected_max == 0
    assert max(each.target_users for each in result.snapshots) == 2 + 100


def test_two_named_scenarios_run_together_and_the_summary_has_a_row_each(
    fresh_target: Target, tmp_path: Path
) -> None:
    shop = tmp_path / "shop.py"
    shop.write_text(SHOP.format(url=fresh_target.url, log=str(tmp_path / "users.log")))

    flags = ["--scenario", "Buy", "--scenario", "Browse", "-u", "4", "-w", "1", "-d", "1s"]
    run = invoke(["run", str(shop), *flags, "--format", "json", "-o", str(tmp_path)])

    assert run.exit_code == 0, run.output
    assert "Scenarios" in run.output
    assert [(each.name, each.users) for each in run.result().scenarios] == [
        ("Browse", 3),
        ("Buy", 1),
    ]
    assert not (run.results_dir / "scenarios.csv").exists()
    rebuilt = invoke(["report", str(run.results_dir), "--format", "csv"])
    assert rebuilt.exit_code == 0, rebuilt.output
    rows = (run.results_dir / "scenarios.csv").read_text().splitlines()
    assert [row.split(",")[0] for row in rows] == ["name", "Browse", "Buy"]


BAD_SHARES = """
from loadforge import HttpClient, constant, scenario, task


@scenario(base_url="http://127.0.0.1:1", weight={weight_a}, {pattern_a})
class A:
    @task
    async def work(self, client: HttpClient) -> None:
        await client.get("/")


@scenario(base_url="http://127.0.0.1:1", {share_b}, {pattern_b})
class B:
    @task
    async def work(self, client: HttpClient) -> None:
        await client.get("/")
"""


@pytest.mark.parametrize(
    ("shares", "flags", "message"),
    [
        ({}, ["--scenario", "A", "--scenario", "C"], "There is no scenario named 'C'"),
        ({"weight_a": 0, "share_b": "weight=0"}, [], "add up to 0"),
        ({"share_b": "users=5"}, ["-u", "3"], "add up to 5, more than the 3 users"),
        ({"pattern_a": 'pattern=constant(2, "1s")'}, [], "carry a pattern and some do not"),
        (
            {"pattern_a": "pattern=constant(2)", "pattern_b": "pattern=constant(1)"}
            | {"share_b": "users=1"},
            [],
            "'B' (users=1) has a fixed count of users and a pattern of its own",
        ),
        ({"share_b": "users=2"}, ["--arrival-rate", "5"], "'B' (users=2) asks for a fixed count"),
    ],
)
def test_bad_input_for_several_scenarios_is_a_message_and_exit_2(
    tmp_path: Path, shares: dict[str, object], flags: list[str], message: str
) -> None:
    values: dict[str, object] = {"weight_a": 1, "share_b": "weight=1"}
    values |= {"pattern_a": "pattern=None", "pattern_b": "pattern=None"} | shares
    shop = tmp_path / "bad.py"
    shop.write_text(BAD_SHARES.format(**values))
    picked = flags if "--scenario" in flags else ["--scenario", "all", *flags]

    completed = run_process(["run", str(shop), *picked, "-d", "1s", "-o", str(tmp_path)])

    output = completed.stdout + completed.stderr
    assert completed.returncode == 2, output
    assert message in " ".join(output.split())
    assert "Traceback" not in output
