"""DDL of the full-text search structures, used by the migrations.

SQLite: ``page_fts``, an external-content FTS5 table over ``page.text`` and
``page.text_folded`` with the ``unicode61`` tokenizer keeping diacritics
(``remove_diacritics 0``); three triggers on ``page`` keep it in sync, so
writers only insert, update or delete pages.

PostgreSQL: two stored generated ``tsvector`` columns on ``page``
(``search_exact`` over ``text``, ``search_folded`` over ``text_folded``,
config ``simple``) with GIN indexes, a trigram GIN index on ``text_folded``,
and the SQL function ``sohoa_fold`` used by the search filters. Before
``to_tsvector`` every run of characters other than letters and digits
becomes one space and the text is lowercased under the ICU root collation,
so PostgreSQL cuts words exactly as FTS5 ``unicode61`` does (its own parser
would keep ``1949/QĐ-UBND`` as file-path tokens and, under the C locale,
leave capitals such as ``Ế`` unlowered).

None of these objects are in ``archive/models.py``; :func:`is_search_object`
tells the model comparison to leave them out.
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import text

FTS_TABLE = "page_fts"
PG_COLUMNS = ("search_exact", "search_folded")
PG_INDEXES = ("ix_page_search_exact", "ix_page_search_folded", "ix_page_text_trgm")
_SQLITE_TRIGGERS = ("page_fts_insert", "page_fts_delete", "page_fts_update")

_FTS_ROW = "new.id, new.text, new.text_folded"
_FTS_DELETE = (
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, text, text_folded) "
    "VALUES ('delete', old.id, old.text, old.text_folded);"
)
_FTS_INSERT = f"INSERT INTO {FTS_TABLE}(rowid, text, text_folded) VALUES ({_FTS_ROW});"


def is_search_object(name: str | None, type_: str) -> bool:
    """True for the FTS5 tables and the PostgreSQL search columns/indexes."""
    if not name:
        return False
    if type_ == "table":
        return name == FTS_TABLE or name.startswith(f"{FTS_TABLE}_")
    if type_ == "column":
        return name in PG_COLUMNS
    return type_ == "index" and name in PG_INDEXES


def create_sqlite_fts() -> None:
    """Create ``page_fts``, fill it from ``page`` and add the triggers."""
    op.execute(
        f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5("
        "text, text_folded, content='page', content_rowid='id', "
        "tokenize='unicode61 remove_diacritics 0')"
    )
    op.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")
    create_sqlite_triggers()


def create_sqlite_triggers() -> None:
    """(Re-)create the triggers that keep ``page_fts`` in step with ``page``."""
    drop_sqlite_triggers()
    op.execute(
        "CREATE TRIGGER page_fts_insert AFTER INSERT ON page BEGIN "
        f"{_FTS_INSERT} END"
    )
    op.execute(
        f"CREATE TRIGGER page_fts_delete AFTER DELETE ON page BEGIN {_FTS_DELETE} END"
    )
    op.execute(
        "CREATE TRIGGER page_fts_update AFTER UPDATE OF text, text_folded ON page "
        f"BEGIN {_FTS_DELETE} {_FTS_INSERT} END"
    )


def drop_sqlite_triggers() -> None:
    """Drop the sync triggers if present."""
    for name in _SQLITE_TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")


def drop_sqlite_fts() -> None:
    """Drop the triggers and ``page_fts``."""
    drop_sqlite_triggers()
    op.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")


def _pg_collation() -> str:
    """``COLLATE "und-x-icu"`` when the server has ICU, else nothing."""
    found = op.get_bind().execute(
        text("SELECT 1 FROM pg_collation WHERE collname = 'und-x-icu'")
    )
    return ' COLLATE "und-x-icu"' if found.first() else ""


def _pg_words(column: str, collate: str) -> str:
    """SQL of ``column`` lowercased with runs of non-word characters as one
    space, fed to ``to_tsvector('simple', …)``."""
    lowered = f"lower({column}{collate})"
    spaced = f"regexp_replace({lowered}, '[^[:alnum:]]+', ' ', 'g')"
    return f"to_tsvector('simple'::regconfig, {spaced})"


def create_pg_search() -> None:
    """Extensions, generated ``tsvector`` columns, GIN indexes, ``sohoa_fold``."""
    op.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    collate = _pg_collation()
    for name, source in zip(PG_COLUMNS, ("text", "text_folded"), strict=True):
        op.execute(
            f"ALTER TABLE page ADD COLUMN {name} tsvector GENERATED ALWAYS AS "
            f"({_pg_words(source, collate)}) STORED"
        )
    op.execute("CREATE INDEX ix_page_search_exact ON page USING gin (search_exact)")
    op.execute("CREATE INDEX ix_page_search_folded ON page USING gin (search_folded)")
    op.execute(
        "CREATE INDEX ix_page_text_trgm ON page USING gin (text_folded gin_trgm_ops)"
    )
    op.execute(
        "CREATE OR REPLACE FUNCTION sohoa_fold(value text) RETURNS text "
        "LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT "
        f"lower(unaccent('unaccent'::regdictionary, value){collate}) $$"
    )


def drop_pg_search() -> None:
    """Drop what :func:`create_pg_search` made, except the extensions."""
    op.execute("DROP FUNCTION IF EXISTS sohoa_fold(text)")
    for name in PG_INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")
    for name in PG_COLUMNS:
        op.execute(f"ALTER TABLE page DROP COLUMN IF EXISTS {name}")
