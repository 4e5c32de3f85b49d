"""Migrations build the tables of archive/models.py and the search
structures, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, text

from archive.db import alembic_config, current_revision, head_revision, init_schema
from archive.migrations.search_ddl import is_search_object
from archive.models import Base

TABLES = {
    "alembic_version", "batch", "dossier", "document", "page", "field",
    "stored_object", "quarantine", "retention_class",
}


def _tables(engine: Engine) -> set[str]:
    names = inspect(engine).get_table_names()
    return {t for t in names if not t.startswith("page_fts")}


def test_upgrade_from_empty_to_head(engine: Engine) -> None:
    assert current_revision(engine) == head_revision()
    assert _tables(engine) >= TABLES
    if engine.dialect.name == "sqlite":
        names = set(inspect(engine).get_table_names())
        assert "page_fts" in names
    else:
        columns = {c["name"] for c in inspect(engine).get_columns("page")}
        assert {"search_exact", "search_folded"} <= columns
        indexes = {i["name"] for i in inspect(engine).get_indexes("page")}
        assert "ix_page_text_trgm" in indexes


def test_migrations_match_models(engine: Engine) -> None:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={
            "include_object": lambda o, name, type_, r, c: not is_search_object(
                name, type_
            ),
            "compare_type": True,
        })
        assert compare_metadata(context, Base.metadata) == []


def test_init_schema_twice_keeps_rows(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO retention_class (code, name, years, legal_basis, doc_types)"
            " VALUES ('10y', 'Mười năm', 10, 'TT 10/2022', '[]')"
        ))
    init_schema(engine)
    init_schema(engine)
    assert current_revision(engine) == head_revision()
    with engine.connect() as conn:
        assert conn.execute(text("SELECT name FROM retention_class")).scalar_one() == (
            "Mười năm"
        )


def test_downgrade_to_base_and_up_again(engine: Engine) -> None:
    config = alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "base")
    assert _tables(engine) == {"alembic_version"}
    assert current_revision(engine) is None
    init_schema(engine)
    assert current_revision(engine) == head_revision()
    assert _tables(engine) >= TABLES
