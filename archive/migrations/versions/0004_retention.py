"""Retention and evidence: audit log, fixity checks, legal holds,
disposition lists; procedure codes on retention classes.

Revision ID: 0004_retention
Revises: 0003_api_keys
Create Date: 2025-01-08
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_retention"
down_revision = "0003_api_keys"
branch_labels = None
depends_on = None

_TS = sa.DateTime(timezone=True)


def _index(table: str, *columns: str) -> None:
    for column in columns:
        op.create_index(f"ix_{table}_{column}", table, [column])


def upgrade() -> None:
    with op.batch_alter_table("retention_class") as batch:
        batch.add_column(
            sa.Column("procedures", sa.JSON, nullable=False, server_default="[]")
        )
    _audit_event()
    _fixity_check()
    _hold()
    _disposition()
    _disposition_item()


def _audit_event() -> None:
    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", _TS, nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("action", sa.String(60), nullable=False),
        sa.Column("subject_type", sa.String(40), nullable=False),
        sa.Column("subject_id", sa.String(100), nullable=False),
        sa.Column("detail", sa.JSON, nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False, unique=True),
    )
    _index("audit_event", "at", "action", "subject_id")


def _fixity_check() -> None:
    op.create_table(
        "fixity_check",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "object_id", sa.Integer, sa.ForeignKey("stored_object.id"),
            nullable=False,
        ),
        sa.Column("key", sa.String(400), nullable=False),
        sa.Column("dossier_id", sa.String(32)),
        sa.Column("expected", sa.String(64), nullable=False),
        sa.Column("actual", sa.String(64)),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("checked_at", _TS, nullable=False),
    )
    _index("fixity_check", "object_id", "dossier_id", "status", "checked_at")


def _hold() -> None:
    op.create_table(
        "hold",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("group_id", sa.String(32), nullable=False),
        sa.Column(
            "dossier_id", sa.String(32), sa.ForeignKey("dossier.id"), nullable=False
        ),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("reference", sa.String(200), nullable=False),
        sa.Column("query", sa.Text),
        sa.Column("placed_by", sa.String(200), nullable=False),
        sa.Column("placed_at", _TS, nullable=False),
        sa.Column("released_by", sa.String(200)),
        sa.Column("released_at", _TS),
        sa.Column("release_reason", sa.Text),
    )
    _index("hold", "group_id", "dossier_id")


def _disposition() -> None:
    op.create_table(
        "disposition",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("proposed_by", sa.String(200), nullable=False),
        sa.Column("proposer_name", sa.String(100), nullable=False),
        sa.Column("proposed_at", _TS, nullable=False),
        sa.Column("decided_by", sa.String(200)),
        sa.Column("decided_at", _TS),
        sa.Column("decision_note", sa.Text),
        sa.Column("destroyed_by", sa.String(200)),
        sa.Column("destroyed_at", _TS),
        sa.Column("certificate_key", sa.String(400)),
        sa.Column("certificate_sha256", sa.String(64)),
    )
    _index("disposition", "state")


def _disposition_item() -> None:
    op.create_table(
        "disposition_item",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "disposition_id", sa.String(32), sa.ForeignKey("disposition.id"),
            nullable=False,
        ),
        sa.Column(
            "dossier_id", sa.String(32), sa.ForeignKey("dossier.id"), nullable=False
        ),
        sa.Column("dossier_code", sa.String(100), nullable=False),
        sa.Column("retention_class", sa.String(40), nullable=False),
        sa.Column("disposal_date", sa.Date, nullable=False),
        sa.Column("outcome", sa.String(20), nullable=False),
        sa.Column("objects", sa.JSON, nullable=False),
        sa.Column("note", sa.Text, nullable=False),
    )
    _index("disposition_item", "disposition_id", "dossier_id")


def downgrade() -> None:
    for table in (
        "disposition_item", "disposition", "hold", "fixity_check", "audit_event",
    ):
        op.drop_table(table)
    with op.batch_alter_table("retention_class") as batch:
        batch.drop_column("procedures")
