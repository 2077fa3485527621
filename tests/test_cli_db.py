"""`actorgraph db ...` through the real CLI in a subprocess: the happy path and every foreseen failure."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from actorgraph.graph.embedded import EmbeddedEngine


def run(*args: str, home: Path, **env: str) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "ACTORGRAPH_HOME": str(home), "COLUMNS": "200", **env}
    if "NEO4J_URI" not in env:
        full_env.pop("NEO4J_URI", None)
    return subprocess.run(
        [sys.executable, "-m", "actorgraph", *args], env=full_env, capture_output=True, text=True, timeout=60
    )


def assert_one_line_error(result: subprocess.CompletedProcess[str], code: int = 2) -> None:
    assert result.returncode == code, result
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2, result.stderr
    assert lines[0].startswith("Error: ") and lines[1].startswith("Hint: ")


def test_start_status_stop(tmp_path: Path) -> None:
    home = tmp_path / "data"
    try:
        stopped = run("db", "status", "--json", home=home)
        assert stopped.returncode == 0 and json.loads(stopped.stdout)["state"] == "stopped"
        started = run("db", "start", home=home)
        assert started.returncode == 0 and "ready" in started.stdout
        status = json.loads(run("db", "status", "--json", home=home).stdout)
        assert status["state"] == "running" and status["backend"] == "embedded FalkorDB"
        assert status["nodes"] == 0 and status["relationships"] == 0
        assert status["data_dir"] == str(home)
        table = run("db", "status", home=home)
        assert "relationships" in table.stdout and str(home) in table.stdout
        assert run("db", "path", home=home).stdout.strip() == str(home)
        assert run("--graph", "other", "db", "status", "--json", home=home).returncode == 0
        stop = run("db", "stop", home=home)
        assert stop.returncode == 0 and "stopped" in stop.stdout
        assert json.loads(run("db", "status", "--json", home=home).stdout)["state"] == "stopped"
        assert "not running" in run("db", "stop", home=home).stdout
    finally:
        EmbeddedEngine(home).stop()


def test_stale_pid_file_through_the_cli(tmp_path: Path) -> None:
    home = tmp_path / "data"
    home.mkdir(mode=0o700)
    (home / "falkordb.pid").write_text("999999\n")
    try:
        assert json.loads(run("db", "status", "--json", home=home).stdout)["state"] == "stopped"
        assert run("db", "start", home=home).returncode == 0
        assert json.loads(run("db", "status", "--json", home=home).stdout)["state"] == "running"
    finally:
        EmbeddedEngine(home).stop()


def test_unreachable_neo4j_fails_fast_with_a_hint(tmp_path: Path) -> None:
    began = time.monotonic()
    result = run("db", "status", home=tmp_path, NEO4J_URI="bolt://127.0.0.1:1")
    assert time.monotonic() - began < 5
    assert_one_line_error(result)
    assert "not reachable" in result.stderr and "NEO4J_URI" in result.stderr


def test_uri_option_overrides_the_environment(tmp_path: Path) -> None:
    result = run("--uri", "bolt://127.0.0.1:1", "db", "status", home=tmp_path)
    assert_one_line_error(result)
    assert "Neo4j" in result.stderr


def test_wrong_embedded_password(tmp_path: Path) -> None:
    home = tmp_path / "data"
    try:
        assert run("db", "start", home=home).returncode == 0
        password = home / "password"
        good = password.read_text()
        password.write_text("not-the-password\n")
        result = run("db", "status", home=home)
        assert_one_line_error(result)
        assert "password" in result.stderr
        password.write_text(good)
        assert run("db", "status", home=home).returncode == 0
    finally:
        EmbeddedEngine(home).stop()


def test_unwritable_data_dir(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file, not a dir")
    result = run("db", "start", home=blocker / "data")
    assert_one_line_error(result)
    assert "not writable" in result.stderr and "ACTORGRAPH_HOME" in result.stderr


def test_engine_that_cannot_start_through_the_cli(tmp_path: Path) -> None:
    home = tmp_path / "data"
    home.mkdir(mode=0o700)
    (home / "appendonlydir").write_text("a file where the AOF dir should be")
    result = run("db", "start", home=home)
    assert_one_line_error(result)
    assert "did not start" in result.stderr and "falkordb.log" in result.stderr


def _command_paths() -> list[list[str]]:
    """Every command and group of the CLI, as argument lists (walks the click tree, so new commands count)."""
    import typer.main

    from actorgraph.cli import app

    paths: list[list[str]] = []

    def walk(cmd: Any, prefix: list[str]) -> None:  # typer vendors its own click: duck-type groups
        paths.append(prefix)
        if hasattr(cmd, "commands"):
            for name, sub in cmd.commands.items():
                walk(sub, [*prefix, name])

    walk(typer.main.get_command(app), [])
    return paths


@pytest.mark.parametrize("args", _command_paths(), ids=lambda a: " ".join(a) or "actorgraph")
def test_help_has_an_example(args: list[str], tmp_path: Path) -> None:
    result = run(*args, "--help", home=tmp_path)
    assert result.returncode == 0 and "Example" in result.stdout


def test_version(tmp_path: Path) -> None:
    result = run("--version", home=tmp_path)
    assert result.returncode == 0 and result.stdout.startswith("actorgraph ")
