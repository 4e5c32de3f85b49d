"""Engines, sessions, the unit of work and schema migrations of the catalogue.

The catalogue runs on SQLite (embedded default) or PostgreSQL (production).
Several processes write to it at once (API, workers, CLI), so SQLite runs in
WAL mode with a busy timeout, and schema upgrades take a lock: a file lock
beside a SQLite file, an advisory lock on PostgreSQL.

Repositories and read functions never commit; the caller wraps a piece of work
in :func:`unit_of_work`, which commits on success and rolls back on error.
"""

from __future__ import annotations

import fcntl
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from core.errors import ConfigError
from core.textfold import fold

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# Any fixed 64-bit number: the key of the advisory lock held while migrating.
_PG_MIGRATION_LOCK = 5_862_401_117
SQLITE_BUSY_MS = 30_000


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Return an engine for ``url`` set up for several writing processes.

    SQLite: WAL journal, foreign keys on, a busy timeout, and the SQL function
    ``sohoa_fold`` (the same folding as :func:`core.textfold.fold`); the
    folder of the database file is created. PostgreSQL: ``pool_pre_ping``.

    Args:
        url: SQLAlchemy URL, e.g. ``sqlite:///data/catalogue.db`` or
            ``postgresql+psycopg://user@127.0.0.1:5432/sohoa``.
        **kwargs: passed on to :func:`sqlalchemy.create_engine`.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        _ensure_sqlite_folder(parsed.database)
        engine = create_engine(
            url, connect_args={"timeout": SQLITE_BUSY_MS / 1000}, **kwargs
        )
        event.listen(engine, "connect", _on_sqlite_connect)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, **kwargs)


def _ensure_sqlite_folder(database: str | None) -> None:
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    Path(database).expanduser().resolve().parent.mkdir(parents=True, exist_ok=True)


def _on_sqlite_connect(dbapi_conn: Any, _record: Any) -> None:
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
    cursor.close()
    dbapi_conn.create_function("sohoa_fold", 1, _fold_or_none, deterministic=True)


def _fold_or_none(value: str | None) -> str | None:
    return None if value is None else fold(value)


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Return the session factory of ``engine``; objects stay readable after
    commit (``expire_on_commit=False``), so results outlive the unit of work."""
    return sessionmaker(bind=engine, expire_on_commit=False)


@contextmanager
def unit_of_work(factory: sessionmaker[Session]) -> Iterator[Session]:
    """Yield a session; commit when the block ends, roll back if it raises."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def alembic_config() -> Config:
    """The Alembic configuration of the packaged migrations (no ini file)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str:
    """The newest migration revision shipped with this package."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:
        raise ConfigError(f"no migrations found in {MIGRATIONS_DIR}")
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or ``None`` when it has no schema."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def init_schema(engine: Engine) -> None:
    """Create or upgrade the catalogue schema to the newest migration.

    Safe to call from several processes at once and on every start: a
    database already at the head is left untouched.
    """
    config = alembic_config()
    with _migration_lock(engine), engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(
                text("SELECT pg_advisory_xact_lock(:key)"),
                {"key": _PG_MIGRATION_LOCK},
            )
        _refuse_unversioned(conn, engine)
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
    log.info("catalogue schema at revision %s", head_revision())


def _refuse_unversioned(conn: Connection, engine: Engine) -> None:
    tables = set(inspect(conn).get_table_names())
    if "document" in tables and "alembic_version" not in tables:
        where = engine.url.render_as_string(hide_password=True)
        raise ConfigError(
            f"the catalogue {where} has tables but no migration history: "
            "point SOHOA_DATABASE_URL at a new database, or stamp this one "
            "with `alembic stamp` if its tables match a known revision"
        )


@contextmanager
def _migration_lock(engine: Engine) -> Iterator[None]:
    """Hold an exclusive file lock beside a SQLite file while migrating."""
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        yield
        return
    lock_path = Path(f"{database}.migrate.lock")
    with lock_path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
