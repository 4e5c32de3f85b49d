"""Distributed pipeline: the files of a batch and the outcome of each page,
so redelivered tasks find their work done.

Revision ID: 0005_distributed
Revises: 0004_retention
Create Date: 2025-01-09
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_distributed"
down_revision = "0004_retention"
branch_labels = None
depends_on = None

_TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "batch_file",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("batch_id", sa.String(32), sa.ForeignKey("batch.id"),
                  nullable=False),
        sa.Column("name", sa.String(500), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("document_id", sa.String(32)),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("pages", sa.Integer, nullable=False),
        sa.Column("finished", sa.Boolean, nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.UniqueConstraint("batch_id", "name"),
    )
    op.create_index("ix_batch_file_document_id", "batch_file", ["document_id"])
    op.create_table(
        "page_outcome",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("document_id", sa.String(32), sa.ForeignKey("document.id"),
                  nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("batch_id", sa.String(32), sa.ForeignKey("batch.id")),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("detail", sa.JSON, nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("finished_at", _TS),
        sa.UniqueConstraint("document_id", "number"),
    )


def downgrade() -> None:
    op.drop_table("page_outcome")
    op.drop_index("ix_batch_file_document_id", table_name="batch_file")
    op.drop_table("batch_file")
