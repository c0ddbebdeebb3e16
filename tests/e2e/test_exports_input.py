"""Bad export options are exit code 2 with a clear message, before any load is sent."""

from __future__ import annotations

import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from cli_harness import EXAMPLES, Target, invoke
from loadforge.exports import INSTALL_LINE


def _scenario() -> str:
    return str(EXAMPLES / "basic_get.py")


def test_a_port_in_use_is_a_clear_error(target: Target, tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(SystemExit) as raised:
            _main(["run", _scenario(), "--base-url", target.url, "-d", "1s", "-o",
                   str(tmp_path), "--prometheus", str(port)])  # fmt: skip

    assert raised.value.code == 2
    assert not list(tmp_path.iterdir())  # no run started, no results directory


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--prometheus-remote-write", "not a url"], "--prometheus-remote-write 'not a url'"),
        (["--prometheus-remote-write", "ftp://host/x"], "give http:// or https://"),
        (["--otlp-endpoint", "http://host:99999"], "--otlp-endpoint 'http://host:99999'"),
        (["--prometheus", "host:port"], "the port must be a number"),
        (["--prometheus", "[::1"], "IPv6"),
        (["--prometheus-linger", "5s"], "give --prometheus too"),
        (["--prometheus", "9464", "--prometheus-linger", "soon"], "--prometheus-linger"),
    ],
)
def test_an_unparsable_option_is_a_clear_error(
    flags: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as raised:
        _main(["run", _scenario(), "-d", "1s", "-o", str(tmp_path), *flags])

    assert raised.value.code == 2
    assert message in " ".join(capsys.readouterr().err.split())


def test_an_unknown_option_and_an_unknown_config_key_exit_2(tmp_path: Path) -> None:
    config = tmp_path / "run.toml"
    config.write_text("prometheus_port = 9464\n")

    unknown_flag = invoke(["run", _scenario(), "--prometheus-port", "9464"])
    unknown_key = subprocess.run(
        [sys.executable, "-m", "loadforge", "run", _scenario(), "-c", str(config)],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip

    assert unknown_flag.exit_code == 2
    assert "No such option" in unknown_flag.output
    assert unknown_key.returncode == 2
    assert "unknown setting 'prometheus_port'" in unknown_key.stderr


def test_without_the_extra_an_export_flag_names_the_install_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "prometheus_client", None)  # as if not installed

    with pytest.raises(SystemExit) as raised:
        _main(["run", _scenario(), "-d", "1s", "-o", str(tmp_path), "--prometheus", "0"])

    assert raised.value.code == 2
    err = " ".join(capsys.readouterr().err.split())
    assert INSTALL_LINE in err
    assert "(missing: prometheus_client)" in err


def test_a_run_without_export_flags_never_imports_the_export_libraries(
    target: Target, tmp_path: Path
) -> None:
    probe = textwrap.dedent(
        f"""
        import sys
        from loadforge.cli.app import main
        sys.argv = ["loadforge", "run", {_scenario()!r}, "--base-url", {target.url!r},
                    "-u", "1", "-d", "1s", "-w", "1", "-q", "--no-report", "-o", {str(tmp_path)!r}]
        try:
            main()
        except SystemExit as exit:
            assert exit.code == 0, exit.code
        roots = ("prometheus_client", "opentelemetry", "google.protobuf", "cramjam", "urllib3")
        print(sorted(m for m in sys.modules if m.startswith(roots)))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=False
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"


def _main(args: list[str]) -> None:
    from loadforge.cli.app import main

    saved = sys.argv
    sys.argv = ["loadforge", *args]
    try:
        main()
    finally:
        sys.argv = saved
