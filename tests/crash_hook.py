"""Run the actorgraph CLI, killed with SIGKILL right after its N-th store write: a test-only harness.

    python tests/crash_hook.py N actorgraph-args...   # N = 0: never killed; prints "writes: K" to stderr at exit

The hook lives here, not in the package: the installed CLI has no code path that kills itself. Each write has
returned (the engine acknowledged it) when the process dies, exactly as with a kill -9 from outside at that point.
"""

from __future__ import annotations

import atexit
import os
import signal
import sys


def main() -> None:
    limit = int(sys.argv[1])
    from actorgraph.graph.store import FalkorStore

    count = 0
    original = FalkorStore.write

    def write(self: FalkorStore, query: str, /, **params: object) -> object:
        nonlocal count
        rows = original(self, query, **params)
        count += 1
        if limit and count >= limit:
            os.kill(os.getpid(), signal.SIGKILL)
        return rows

    FalkorStore.write = write  # type: ignore[method-assign]
    if not limit:
        atexit.register(lambda: print(f"writes: {count}", file=sys.stderr))
    sys.argv = ["actorgraph", *sys.argv[2:]]
    from actorgraph.cli import main as cli

    try:
        cli()
    finally:
        sys.stderr.flush()


if __name__ == "__main__":
    main()
