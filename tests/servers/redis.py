"""A throw-away Redis server on 127.0.0.1 for the test session."""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import redis as redis_client

from tests.servers import process
from tests.servers.ports import free_port


@dataclass
class RedisServer:
    """A running redis-server without persistence."""

    port: int
    root: Path
    proc: subprocess.Popen[bytes]
    startup_seconds: float = 0.0

    def url(self, db: int = 0) -> str:
        """The ``redis://`` URL of logical database ``db``."""
        return f"redis://127.0.0.1:{self.port}/{db}"


def find_binary() -> str:
    """Return the redis-server path, or raise BinaryMissing."""
    found = os.environ.get("SOHOA_REDIS_BIN") or shutil.which("redis-server")
    if not found:
        raise process.BinaryMissing(
            "redis-server not found on PATH: run scripts/install-deps.sh"
        )
    return found


def start() -> RedisServer:
    """Start redis-server on a free port, in the foreground of a child."""
    binary = find_binary()
    root = process.make_temp_dir("redis")
    port = free_port()
    log_file = root / "log"
    proc = process.spawn(
        [
            binary,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(root),
            "--protected-mode",
            "yes",
        ],
        log_file=log_file,
    )
    server = RedisServer(port=port, root=root, proc=proc)
    try:
        server.startup_seconds = process.wait_until(
            lambda: _pings(server),
            what="redis-server",
            timeout=20,
            proc=proc,
            log_file=log_file,
        )
    except process.ServerStartError:
        stop(server)
        raise
    return server


def _pings(server: RedisServer) -> bool:
    client = redis_client.Redis(
        host="127.0.0.1", port=server.port, socket_connect_timeout=1
    )
    try:
        return bool(client.ping())
    except redis_client.ConnectionError:
        return False
    finally:
        client.close()


def stop(server: RedisServer) -> None:
    """Stop the server and remove its temp dir."""
    try:
        process.stop(server.proc)
    finally:
        process.remove_dir(server.root)
