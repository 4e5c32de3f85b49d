"""A throw-away PostgreSQL 15 cluster on 127.0.0.1 for the test session."""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import psycopg

from tests.servers.ports import free_port
from tests.servers.process import (
    BinaryMissing,
    ServerStartError,
    make_temp_dir,
    remove_dir,
    wait_until,
)

PG_BIN = Path(os.environ.get("SOHOA_PG_BIN", "/usr/lib/postgresql/15/bin"))
USER = "sohoa"
DATABASE = "sohoa"
EXTENSIONS = ("unaccent", "pg_trgm")
# A test cluster: durability is not needed, speed is.
FAST = "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"


@dataclass
class PostgresServer:
    """A running cluster; ``url`` is the SQLAlchemy URL of database ``sohoa``."""

    port: int
    root: Path
    startup_seconds: float = 0.0

    @property
    def data_dir(self) -> Path:
        """The cluster's data directory."""
        return self.root / "data"

    def url(self, database: str = DATABASE) -> str:
        """SQLAlchemy URL of ``database`` on this cluster."""
        return f"postgresql+psycopg://{USER}@127.0.0.1:{self.port}/{database}"

    def dsn(self, database: str = DATABASE) -> str:
        """libpq connection string of ``database``."""
        return f"host=127.0.0.1 port={self.port} user={USER} dbname={database}"

    def execute(self, sql: str, *, database: str = "postgres") -> None:
        """Run one statement in autocommit mode (CREATE/DROP DATABASE …)."""
        with psycopg.connect(self.dsn(database), autocommit=True) as conn:
            conn.execute(sql)  # type: ignore[arg-type]


def _as_owner() -> list[str]:
    """Prefix running a command as ``postgres`` when we are root."""
    if os.geteuid() != 0:
        return []
    return ["runuser", "-u", "postgres", "--"]


def _run(argv: list[str]) -> None:
    subprocess.run(_as_owner() + argv, check=True, capture_output=True, timeout=120)


def find_binaries() -> Path:
    """Return the folder of ``initdb``/``pg_ctl``, or raise BinaryMissing."""
    if (PG_BIN / "pg_ctl").exists() and (PG_BIN / "initdb").exists():
        return PG_BIN
    on_path = shutil.which("pg_ctl")
    if on_path and Path(on_path).with_name("initdb").exists():
        return Path(on_path).parent
    raise BinaryMissing(
        f"PostgreSQL 15 not found in {PG_BIN}: run scripts/install-deps.sh"
    )


def start() -> PostgresServer:
    """Create a cluster in a temp dir, start it and create database ``sohoa``."""
    bin_dir = find_binaries()
    server = PostgresServer(port=free_port(), root=make_temp_dir("postgres"))
    if os.geteuid() == 0:
        owner = pwd.getpwnam("postgres")
        os.chown(server.root, owner.pw_uid, owner.pw_gid)
    try:
        _create_and_start(server, bin_dir)
    except (subprocess.SubprocessError, psycopg.Error, ServerStartError) as err:
        stop(server)
        raise ServerStartError(f"PostgreSQL did not start: {_detail(err)}") from err
    return server


def _create_and_start(server: PostgresServer, bin_dir: Path) -> None:
    initdb = [str(bin_dir / "initdb"), "-D", str(server.data_dir), "-A", "trust"]
    _run([*initdb, "-U", USER, "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"])
    opts = f"-p {server.port} -k {server.root} -c listen_addresses=127.0.0.1 {FAST}"
    log = str(server.root / "log")
    pg_ctl = [str(bin_dir / "pg_ctl"), "-D", str(server.data_dir), "-o", opts]
    _run([*pg_ctl, "-l", log, "-w", "-t", "60", "start"])
    server.startup_seconds = wait_until(
        lambda: _accepts(server),
        what="PostgreSQL",
        timeout=30,
        log_file=server.root / "log",
    )
    _prepare(server)


def _detail(err: BaseException) -> str:
    stderr = getattr(err, "stderr", None)
    return stderr.decode(errors="replace").strip() if stderr else str(err)


def _accepts(server: PostgresServer) -> bool:
    try:
        with psycopg.connect(server.dsn("postgres"), connect_timeout=2):
            return True
    except psycopg.OperationalError:
        return False


def _prepare(server: PostgresServer) -> None:
    """Extensions in template1, so every new database has them; then sohoa."""
    for name in EXTENSIONS:
        server.execute(f"CREATE EXTENSION IF NOT EXISTS {name}", database="template1")
    server.execute(f"CREATE DATABASE {DATABASE} TEMPLATE template1")


def stop(server: PostgresServer) -> None:
    """Stop the cluster fast (when it runs) and remove its temp dir."""
    try:
        if (server.data_dir / "postmaster.pid").exists():
            pg_ctl = str(find_binaries() / "pg_ctl")
            _run([pg_ctl, "-D", str(server.data_dir), "-m", "fast", "-w", "stop"])
    finally:
        remove_dir(server.root)
