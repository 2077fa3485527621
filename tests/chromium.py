"""Test helper: find Debian's headless Chromium and load a local page in it with the network off.

The network is off three ways: a network namespace with no interfaces (`unshare --net`, where we may create
one), a proxy that leads nowhere, and a host resolver that resolves nothing; the page itself forbids fetching
by CSP.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from functools import cache
from pathlib import Path
from urllib.parse import quote

import pytest

FLAGS = [
    "--headless",
    "--no-sandbox",  # root in CI and containers: the sandbox refuses to start (facts.md)
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-extensions",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
    "--proxy-server=socks5://127.0.0.1:9",  # the discard port: any request that escapes fails
    "--proxy-bypass-list=<-loopback>",
    "--host-resolver-rules=MAP * ~NOTFOUND",
]
TIMEOUT = 120


def find_chromium() -> str | None:
    """The Chromium executable, or None."""
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def require_chromium() -> str:
    """The Chromium executable; skip the test with the reason when it is missing (never in CI)."""
    path = find_chromium()
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail(
                "chromium is not installed, and CI must run the browser tests (apt-get install chromium)"
            )
        pytest.skip("chromium is not installed here (apt-get install chromium); the browser test needs it")
    return path


@cache
def _offline_prefix() -> tuple[str, ...]:
    """`unshare --net` when this user may make a network namespace (root, or user namespaces), else ()."""
    unshare = shutil.which("unshare")
    if unshare is None:
        return ()
    for prefix in ((unshare, "--net"), (unshare, "--net", "--map-root-user")):
        try:
            done = subprocess.run([*prefix, "true"], capture_output=True, timeout=10, check=False)
        except (OSError, subprocess.TimeoutExpired):
            continue
        if done.returncode == 0:
            return prefix
    return ()


def offline() -> bool:
    """Whether Chromium runs in a network namespace without interfaces (else: proxy and resolver only)."""
    return bool(_offline_prefix())


def run_chromium(
    page: Path, *extra: str, budget_ms: int = 20_000, size: str = "1400,900", fragment: str = ""
) -> str:
    """Load `page` (with `#fragment`) with the network off, let `budget_ms` of virtual time pass; stdout."""
    exe = require_chromium()
    with tempfile.TemporaryDirectory(prefix="ag-chromium-") as profile:
        command = [
            *_offline_prefix(),
            exe,
            *FLAGS,
            f"--user-data-dir={profile}",
            f"--window-size={size}",
            f"--virtual-time-budget={budget_ms}",
            *extra,
            page.resolve().as_uri() + (f"#{quote(fragment)}" if fragment else ""),
        ]
        done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, check=False)
    if done.returncode != 0:
        raise AssertionError(f"chromium exited {done.returncode}: {done.stderr[-2000:]}")
    return done.stdout


def dump_dom(page: Path, budget_ms: int = 20_000, fragment: str = "") -> str:
    """The page's DOM after it ran for `budget_ms` of virtual time."""
    return run_chromium(page, "--dump-dom", budget_ms=budget_ms, fragment=fragment)


def screenshot(
    page: Path, png: Path, budget_ms: int = 20_000, size: str = "1400,900", fragment: str = ""
) -> Path:
    """A PNG of the page (with `#fragment`) after `budget_ms` of virtual time."""
    run_chromium(page, f"--screenshot={png.resolve()}", budget_ms=budget_ms, size=size, fragment=fragment)
    if not png.exists() or png.stat().st_size == 0:
        raise AssertionError(f"chromium wrote no screenshot at {png}")
    return png
