"""The session servers answer and give each test what it was promised."""

from __future__ import annotations

import socket
from pathlib import Path

import psycopg
import pytest
import redis

from tests.servers import process
from tests.servers.ports import free_ports


def _libpq(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


@pytest.mark.db
def test_postgres_has_the_search_extensions(postgres_url: str) -> None:
    with psycopg.connect(_libpq(postgres_url)) as conn:
        folded = conn.execute("SELECT unaccent('Quyết định đồng ý')").fetchone()
        similar = conn.execute("SELECT similarity('Quyết định', 'Quyet dinh')")
        assert folded == ("Quyet dinh dong y",)
        assert 0 < similar.fetchone()[0] < 1
        assert postgres_url.startswith("postgresql+psycopg://sohoa@127.0.0.1:")


@pytest.mark.db
def test_each_test_database_is_new(pg_database: str, postgres_url: str) -> None:
    with psycopg.connect(_libpq(pg_database), autocommit=True) as conn:
        conn.execute("CREATE TABLE dossier (code text)")
        assert conn.execute("SELECT unaccent('Hồ sơ')").fetchone() == ("Ho so",)
    with psycopg.connect(_libpq(postgres_url)) as conn:
        found = conn.execute("SELECT to_regclass('dossier')").fetchone()
    assert pg_database != postgres_url and found == (None,)


@pytest.mark.redis
def test_redis_answers(redis_url: str) -> None:
    client = redis.Redis.from_url(redis_url)
    try:
        client.set("batch:1:state", "ocr_done")
        assert client.get("batch:1:state") == b"ocr_done"
    finally:
        client.close()


def test_a_server_that_exits_is_reported_with_its_log(tmp_path: Path) -> None:
    log_file = tmp_path / "log"
    proc = process.spawn(
        ["sh", "-c", "echo port already in use; exit 3"], log_file=log_file
    )

    with pytest.raises(process.ServerStartError, match="port already in use"):
        process.wait_until(
            lambda: False, what="demo", proc=proc, log_file=log_file, timeout=10
        )
    assert proc.returncode == 3


def test_free_ports_are_distinct_and_bindable() -> None:
    ports = free_ports(4)
    assert len(set(ports)) == 4
    for port in ports:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", port))
