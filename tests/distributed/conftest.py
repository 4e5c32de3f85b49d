"""Real servers (PostgreSQL, Redis, MinIO or SeaweedFS) and worker
processes started as ``sohoa worker`` subprocesses, each in its own
process group and data folder, stopped after each test."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest

from ingest.context import open_context
from tests.distributed.cluster import Cluster, dist_settings
from tests.servers.redis import RedisServer
from tests.servers.s3server import S3Server

_REDIS_DB = itertools.count(2)


@pytest.fixture
def s3_server(request: pytest.FixtureRequest) -> S3Server:
    """MinIO, or SeaweedFS when MinIO is not built on this machine."""
    try:
        return request.getfixturevalue("minio_server")
    except pytest.skip.Exception:
        return request.getfixturevalue("seaweed_server")


@pytest.fixture
def cluster(
    tmp_path: Path, pg_database: str, redis_server: RedisServer, s3_server: S3Server,
) -> Iterator[Cluster]:
    """Servers for one test (a fresh database, Redis db and bucket)."""
    broker = redis_server.url(next(_REDIS_DB))
    settings = dist_settings(tmp_path / "here", db_url=pg_database, s3=s3_server,
                             bucket=s3_server.new_bucket_name(), broker=broker)
    ctx = open_context(settings)
    found = Cluster(settings, ctx, s3_server, redis_server, tmp_path)
    try:
        yield found
    finally:
        found.stop()
        ctx.sessions.kw["bind"].dispose()
