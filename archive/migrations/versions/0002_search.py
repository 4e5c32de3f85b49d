"""Full-text search over page text: FTS5 on SQLite, tsvector and trigrams on
PostgreSQL (see :mod:`archive.migrations.search_ddl`).

Revision ID: 0002_search
Revises: 0001_catalogue
Create Date: 2025-01-06
"""

from __future__ import annotations

from alembic import op

from archive.migrations import search_ddl

revision = "0002_search"
down_revision = "0001_catalogue"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        search_ddl.create_pg_search()
    else:
        search_ddl.create_sqlite_fts()


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        search_ddl.drop_pg_search()
    else:
        search_ddl.drop_sqlite_fts()
