"""A throw-away MinIO server (built from source at a pinned version)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from tests.servers import process, s3server
from tests.servers.ports import free_ports

REPO = Path(__file__).resolve().parents[2]
VERSION_FILE = REPO / "scripts" / "minio.version"


def pinned_version() -> str:
    """The MinIO module version the suite is tested with."""
    return VERSION_FILE.read_text().strip()


def binary_path() -> Path:
    """Where ``scripts/build-minio.sh`` puts the pinned build."""
    cache = os.environ.get("SOHOA_CACHE") or str(Path.home() / ".cache" / "sohoa")
    return Path(cache) / f"minio-{pinned_version()}" / "minio"


def find_binary() -> Path:
    """Return the MinIO binary, or raise BinaryMissing with what to run."""
    override = os.environ.get("SOHOA_MINIO_BIN")
    path = Path(override) if override else binary_path()
    if path.is_file() and os.access(path, os.X_OK):
        return path
    raise process.BinaryMissing(
        f"MinIO {pinned_version()} not built at {path}: run scripts/build-minio.sh"
    )


def start() -> s3server.S3Server:
    """Start a single-drive MinIO on two free loopback ports."""
    binary = find_binary()
    root = process.make_temp_dir("minio")
    api_port, console_port = free_ports(2)
    user, password = "sohoa-test", secrets.token_hex(16)
    log_file = root / "log"
    proc = process.spawn(
        [
            str(binary),
            "server",
            str(root / "data"),
            "--quiet",
            "--address",
            f"127.0.0.1:{api_port}",
            "--console-address",
            f"127.0.0.1:{console_port}",
        ],
        log_file=log_file,
        env={
            "MINIO_ROOT_USER": user,
            "MINIO_ROOT_PASSWORD": password,
            "MINIO_BROWSER": "off",
            "MINIO_UPDATE": "off",
            "HOME": str(root),
        },
    )
    server = s3server.S3Server(
        name="minio",
        endpoint=f"127.0.0.1:{api_port}",
        access_key=user,
        secret_key=password,
        root=root,
        proc=proc,
    )
    return s3server.wait_ready(server, lambda: s3server.answers(server),
                               what="MinIO", log_file=log_file)
