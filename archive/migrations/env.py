"""Alembic environment: runs on a connection handed over by
:func:`archive.db.init_schema`, or on ``SOHOA_DATABASE_URL`` from a shell."""

from __future__ import annotations

import os
from logging.config import fileConfig
from typing import Any

from alembic import context
from sqlalchemy import Connection

import archive.audit  # noqa: F401  (its tables join Base.metadata)
import archive.fixity  # noqa: F401
import retention.models  # noqa: F401
from archive.db import make_engine
from archive.migrations.search_ddl import is_search_object
from archive.models import Base
from core.errors import ConfigError

config = context.config


def _include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    """Leave the search structures (not in the models) out of comparisons."""
    return not is_search_object(name, type_)


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        include_object=_include_object,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def _url() -> str:
    url = config.get_main_option("sqlalchemy.url") or os.environ.get(
        "SOHOA_DATABASE_URL"
    )
    if not url:
        raise ConfigError(
            "no database to migrate: set SOHOA_DATABASE_URL or sqlalchemy.url "
            f"in {config.config_file_name}"
        )
    return url


def run() -> None:
    """Migrate the handed-over connection, or one opened on the URL."""
    if context.is_offline_mode():
        raise ConfigError("offline (--sql) migrations are not supported")
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    if config.config_file_name:
        fileConfig(config.config_file_name, disable_existing_loggers=False)
    engine = make_engine(_url())
    try:
        with engine.connect() as conn:
            _run(conn)
            conn.commit()
    finally:
        engine.dispose()


run()
