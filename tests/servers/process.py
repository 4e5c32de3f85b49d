"""Start, poll and stop a server process for the test session."""

from __future__ import annotations

import logging
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

log = logging.getLogger(__name__)


class BinaryMissing(RuntimeError):
    """A server binary is not installed; the fixture skips with this reason."""


class ServerStartError(RuntimeError):
    """A server binary was found but the server did not come up."""


def make_temp_dir(name: str) -> Path:
    """Create a private temp dir for one server; removed by :func:`remove_dir`."""
    return Path(tempfile.mkdtemp(prefix=f"sohoa-{name}-"))


def remove_dir(path: Path) -> None:
    """Remove a server's temp dir and everything in it."""
    shutil.rmtree(path, ignore_errors=True)


def wait_until(
    ready: Callable[[], bool],
    *,
    what: str,
    timeout: float = 30.0,
    proc: subprocess.Popen[bytes] | None = None,
    log_file: Path | None = None,
) -> float:
    """Poll ``ready`` until it returns true; return the seconds waited.

    Raises:
        ServerStartError: the process exited or ``timeout`` passed; the
            message carries the tail of the server log.
    """
    start = time.monotonic()
    delay = 0.02
    while True:
        if ready():
            return time.monotonic() - start
        if proc is not None and proc.poll() is not None:
            raise ServerStartError(
                f"{what} exited with {proc.returncode}: {_tail(log_file)}"
            )
        if time.monotonic() - start > timeout:
            raise ServerStartError(
                f"{what} not ready after {timeout:.0f} s: {_tail(log_file)}"
            )
        time.sleep(delay)
        delay = min(delay * 1.5, 0.25)


def spawn(
    argv: Sequence[str], *, log_file: Path, env: dict[str, str] | None = None
) -> subprocess.Popen[bytes]:
    """Start ``argv`` in its own process group, output to ``log_file``."""
    full_env = {**os.environ, **(env or {})}
    with log_file.open("ab") as out:
        return subprocess.Popen(
            list(argv),
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=full_env,
            start_new_session=True,
        )


def stop(proc: subprocess.Popen[bytes], *, grace: float = 10.0) -> None:
    """Stop a process started by :func:`spawn`: TERM its group, then KILL."""
    if proc.poll() is not None:
        return
    _signal_group(proc, signal.SIGTERM)
    try:
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        _signal_group(proc, signal.SIGKILL)
        proc.wait(timeout=grace)


def _signal_group(proc: subprocess.Popen[bytes], sig: signal.Signals) -> None:
    try:
        os.killpg(proc.pid, sig)
    except ProcessLookupError:
        return


def _tail(log_file: Path | None, lines: int = 15) -> str:
    if log_file is None or not log_file.exists():
        return "(no log)"
    text = log_file.read_text(errors="replace").splitlines()
    return "\n".join(text[-lines:]) or "(empty log)"
