"""The `courtlake` command line: help, errors without tracebacks, the simulator commands."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from orchestration.cli import main

COMMANDS = [
    ["--help"],
    ["simulator", "--help"],
    ["simulator", "serve", "--help"],
    ["simulator", "truth", "--help"],
    ["ingest", "--help"],
    ["ingest", "compact", "--help"],
    ["ingest", "reparse", "--help"],
    ["ingest", "parse", "--help"],
]
EXAMPLES = Path(__file__).parents[1] / "examples" / "odyssey"


@pytest.mark.parametrize("argv", COMMANDS, ids=[" ".join(c) for c in COMMANDS])
def test_every_command_has_help(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 0
    assert "usage: courtlake" in capsys.readouterr().out


def test_truth_writes_the_same_bytes_for_the_same_seed(tmp_path) -> None:
    first, second, other = tmp_path / "a.json", tmp_path / "b.json", tmp_path / "c.json"
    for out, seed in ((first, "7"), (second, "7"), (other, "8")):
        argv = ["simulator", "truth", "--seed", seed, "--as-of", "2026-11-23", "--scale", "0.1"]
        assert main([*argv, "--out", str(out)]) == 0
    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes() != other.read_bytes()


def test_bad_input_gets_a_one_line_error_and_no_traceback(
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = ["simulator", "serve", "--seed", "1", "--as-of", "2026-11-23", "--faults", "nope"]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "unknown fault profile 'nope'" in err and "Traceback" not in err
    assert main(["ingest", "--as-of", "2026-11-23"]) == 2
    assert "--court-url and --jail-url are required" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["ingest", "--shard", "3/2", "--as-of", "2026-11-23"])
    assert "need 1 <= I <= N" in capsys.readouterr().err


def test_simulator_serve_prints_its_urls_and_serves_both_portals() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "orchestration.cli",
            "simulator",
            "serve",
            "--seed",
            "7",
            "--as-of",
            "2026-11-23",
            "--scale",
            "0.1",
            "--port",
            str(port),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert proc.stdout is not None
        banner = proc.stdout.readline() + proc.stdout.readline()
        assert f"http://127.0.0.1:{port}/Portal/" in banner
        assert f"http://127.0.0.1:{port}/jail/" in banner
        deadline = time.monotonic() + 30
        while True:
            try:
                court = httpx.get(f"http://127.0.0.1:{port}/Portal/Home/Dashboard/29")
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "the simulator did not answer"
                time.sleep(0.1)
        jail = httpx.get(f"http://127.0.0.1:{port}/jail/")
        assert court.status_code == jail.status_code == 200
        assert httpx.get(f"http://127.0.0.1:{port}/_admin/clock").json() == {"as_of": "2026-11-23"}
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_ingest_parse_prints_what_courtlake_reads_from_a_saved_case_page(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # GIVEN a saved real case detail page WHEN parsed THEN one JSON object of its records
    assert main(["ingest", "parse", str(EXAMPLES / "dekalb_ga_1.html")]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["page"] == "case_detail"
    assert shown["case"]["case_number"] == "17D24816"
    assert shown["case"]["filed_date"] == "2017-08-21"
    assert {p["role"] for p in shown["parties"]} >= {"Plaintiff", "Defendant"}


def test_ingest_parse_says_what_is_missing_from_a_page_it_cannot_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "maintenance.html"
    page.write_text("<html><body><h1>Down for maintenance</h1></body></html>")
    assert main(["ingest", "parse", str(page)]) == 1
    err = capsys.readouterr().err
    assert "maintenance.html is not a page courtlake can read" in err and "Traceback" not in err
    assert main(["ingest", "parse", str(tmp_path / "absent.html")]) == 2
    assert "cannot read" in capsys.readouterr().err
    assert main(["ingest", "parse", str(page), "--county", "atlantis"]) == 2
    assert "no county profile 'atlantis'" in capsys.readouterr().err
