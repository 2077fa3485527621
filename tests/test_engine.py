"""The embedded engine: durability, no TCP listener, private files, stale state, concurrent starts."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import psutil
import pytest

from actorgraph.config import Settings
from actorgraph.graph.embedded import EmbeddedEngine
from actorgraph.graph.store import GraphStore


def _store(engine: EmbeddedEngine) -> GraphStore:
    return GraphStore.connect(Settings(home=engine.home, graph="g"))


def test_acknowledged_writes_survive_sigkill(tmp_path: Path) -> None:
    engine = EmbeddedEngine(tmp_path / "data")
    engine.start()
    try:
        with _store(engine) as store:
            store.ensure_schema()
            written = store.write_rows(
                "UNWIND $rows AS row CREATE (:Document {id: row.id, n: row.n})",
                ({"id": f"d{i}", "n": i} for i in range(20_000)),
                2_000,
            )
            store.write("CREATE (:Actor {id: 'last', name: $name})", name="written just before the kill")
        pid = engine.pid()
        assert pid is not None
        psutil.Process(pid).kill()  # SIGKILL: no chance to flush or save
        psutil.Process(pid).wait(timeout=10)
        engine.start()  # finds the dead pid, cleans up, replays the AOF
        assert engine.pid() not in (None, pid)
        with _store(engine) as store:
            assert store.read("MATCH (d:Document) RETURN count(d) AS n") == [{"n": written}]
            assert store.read("MATCH (a:Actor {id: 'last'}) RETURN a.name AS name") == [
                {"name": "written just before the kill"}
            ]
    finally:
        engine.stop()


def test_no_tcp_listener_and_private_files(engine: EmbeddedEngine) -> None:
    pid = engine.pid()
    assert pid is not None
    proc = psutil.Process(pid)
    assert proc.net_connections(kind="inet") == []  # no TCP or UDP socket at all, listening or not
    assert [c for c in proc.net_connections(kind="unix") if c.laddr == str(engine.socket)]
    for path in (engine.socket, engine.password_file, engine.config_file, engine.home):
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode & 0o077 == 0, f"{path} is open to others: {oct(mode)}"
    assert engine.password() not in " ".join(proc.cmdline())  # the password is not on the command line


def test_deep_data_dir_gets_a_short_socket(tmp_path: Path) -> None:
    deep = tmp_path / ("d" * 60) / ("e" * 60)
    engine = EmbeddedEngine(deep)
    assert len(os.fsencode(engine.socket)) < 108
    with engine, _store(engine) as store:
        assert store.read("RETURN 1 AS one") == [{"one": 1}]
        assert stat.S_IMODE(engine.socket.parent.stat().st_mode) == 0o700


def test_stale_pid_file_and_socket_are_cleaned_up(tmp_path: Path) -> None:
    engine = EmbeddedEngine(tmp_path / "data")
    engine.home.mkdir(mode=0o700)
    engine.pid_file.write_text(f"{os.getpid()}\n")  # a live pid, but not a redis-server
    engine.socket.write_text("not a socket")
    assert engine.pid() is None
    assert not engine.pid_file.exists()
    engine.socket.write_text("not a socket")
    engine.pid_file.write_text("999999\n")  # no such process
    with engine:
        assert engine.status().running
        with _store(engine) as store:
            assert store.read("RETURN 2 AS two") == [{"two": 2}]
    assert not engine.status().running


def test_two_starts_at_once_start_one_engine(tmp_path: Path) -> None:
    home = tmp_path / "data"
    env = {**os.environ, "ACTORGRAPH_HOME": str(home)}
    env.pop("NEO4J_URI", None)
    cmd = [sys.executable, "-m", "actorgraph", "db", "start"]
    procs = [subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(3)]
    try:
        results = [p.communicate(timeout=60) for p in procs]
        assert [p.returncode for p in procs] == [0, 0, 0], results
        servers = [
            p for p in psutil.process_iter(["name", "cwd"]) if "redis" in (p.info["name"] or "")
            and p.info["cwd"] == str(home)
        ]
        assert len(servers) == 1
    finally:
        EmbeddedEngine(home).stop()


def test_engine_that_cannot_start_says_why(tmp_path: Path) -> None:
    engine = EmbeddedEngine(tmp_path / "data")
    engine.home.mkdir(mode=0o700)
    (engine.home / "appendonlydir").write_text("a file where the AOF dir should be")
    from actorgraph.errors import EngineError

    with pytest.raises(EngineError) as info:
        engine.start()
    assert "appendonly" in str(info.value).lower() or "append only" in str(info.value).lower()
    assert str(engine.log_file) in info.value.hint
