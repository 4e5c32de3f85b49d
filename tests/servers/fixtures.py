"""Pytest fixtures for the real servers of tests/servers (a pytest plugin).

Each server starts once per session on 127.0.0.1, on free ports, in a temp
dir removed when it stops. A fixture skips only when the server's binary is
not installed; a server that is installed but fails to start is an error.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from archive.fs_store import FsStore
from archive.s3_store import S3Store
from archive.store import ObjectStore
from tests.servers import minio, postgres, redis, s3server, seaweed
from tests.servers.process import BinaryMissing

STARTUP_SECONDS: dict[str, float] = {}


def _start(module: ModuleType, name: str) -> Any:
    started = time.monotonic()
    try:
        server = module.start()
    except BinaryMissing as err:
        pytest.skip(str(err))
    STARTUP_SECONDS[name] = time.monotonic() - started
    return server


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[postgres.PostgresServer]:
    """A PostgreSQL 15 cluster with database ``sohoa`` (unaccent, pg_trgm)."""
    server = _start(postgres, "postgresql")
    yield server
    postgres.stop(server)


@pytest.fixture(scope="session")
def postgres_url(postgres_server: postgres.PostgresServer) -> str:
    """SQLAlchemy URL of the session database ``sohoa``."""
    return postgres_server.url()


@pytest.fixture
def pg_database(postgres_server: postgres.PostgresServer) -> Iterator[str]:
    """SQLAlchemy URL of a new empty database (with the extensions) per test."""
    name = f"t_{uuid.uuid4().hex[:16]}"
    postgres_server.execute(f"CREATE DATABASE {name} TEMPLATE template1")
    yield postgres_server.url(name)
    postgres_server.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(scope="session")
def redis_server() -> Iterator[redis.RedisServer]:
    """A Redis server without persistence."""
    server = _start(redis, "redis")
    yield server
    redis.stop(server)


@pytest.fixture(scope="session")
def redis_url(redis_server: redis.RedisServer) -> str:
    """``redis://127.0.0.1:PORT/0`` of the session Redis."""
    return redis_server.url(0)


@pytest.fixture(scope="session")
def minio_server() -> Iterator[s3server.S3Server]:
    """A MinIO server built at the pinned version (scripts/build-minio.sh)."""
    server = _start(minio, "minio")
    yield server
    s3server.stop(server)


@pytest.fixture(scope="session")
def seaweed_server() -> Iterator[s3server.S3Server]:
    """A SeaweedFS server with its S3 gateway."""
    server = _start(seaweed, "seaweedfs")
    yield server
    s3server.stop(server)


@pytest.fixture
def minio_bucket(minio_server: s3server.S3Server) -> str:
    """A bucket name unused on the MinIO server (not created yet)."""
    return minio_server.new_bucket_name()


@pytest.fixture
def seaweed_bucket(seaweed_server: s3server.S3Server) -> str:
    """A bucket name unused on the SeaweedFS server (not created yet)."""
    return seaweed_server.new_bucket_name()


@pytest.fixture
def s3_store_factory() -> Callable[..., S3Store]:
    """Build an S3Store on a fresh bucket of a server: ``f(server, **kw)``."""

    def build(server: s3server.S3Server, **options: Any) -> S3Store:
        return S3Store(
            server.endpoint,
            server.access_key,
            server.secret_key,
            options.pop("bucket", None) or server.new_bucket_name(),
            region=server.region,
            **options,
        )

    return build


@dataclass
class StoreCase:
    """One backend of the storage conformance suite."""

    backend: str
    store: ObjectStore
    server: s3server.S3Server | None = None
    bucket: str | None = None
    root: Path | None = None


@pytest.fixture(
    params=[
        "fs",
        pytest.param("minio", marks=pytest.mark.s3),
        pytest.param("seaweedfs", marks=pytest.mark.s3),
    ]
)
def store_case(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    s3_store_factory: Callable[..., S3Store],
) -> StoreCase:
    """The same tests on FsStore, MinIO and SeaweedFS (fresh store each)."""
    if request.param == "fs":
        root = tmp_path / "objects"
        return StoreCase("fs", FsStore(root), root=root)
    fixture = "minio_server" if request.param == "minio" else "seaweed_server"
    server: s3server.S3Server = request.getfixturevalue(fixture)
    s3 = s3_store_factory(server)
    return StoreCase(request.param, s3, server=server, bucket=s3.bucket)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Report how long each server took to start, when any was started."""
    if STARTUP_SECONDS:
        parts = ", ".join(f"{k} {v:.2f} s" for k, v in STARTUP_SECONDS.items())
        terminalreporter.write_line(f"test servers ready after: {parts}")
