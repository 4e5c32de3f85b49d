"""Audit head: the audit log's length and last hash in one row, moved with
each append, so deleting the newest events is caught; filled from the rows
already logged.

Revision ID: 0006_audit_head
Revises: 0005_distributed
Create Date: 2025-01-10
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0006_audit_head"
down_revision = "0005_distributed"
branch_labels = None
depends_on = None

GENESIS = "0" * 64


def upgrade() -> None:
    head = op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("event_count", sa.Integer, nullable=False),
        sa.Column("last_event_id", sa.Integer, nullable=False),
        sa.Column("last_hash", sa.String(64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    conn = op.get_bind()
    count = conn.execute(sa.text("SELECT count(*) FROM audit_event")).scalar_one()
    last = conn.execute(sa.text(
        "SELECT id, hash FROM audit_event ORDER BY id DESC LIMIT 1")).first()
    op.bulk_insert(head, [{
        "id": 1, "event_count": count, "last_event_id": last[0] if last else 0,
        "last_hash": last[1] if last else GENESIS,
        "updated_at": dt.datetime.now(dt.UTC),
    }])


def downgrade() -> None:
    op.drop_table("audit_head")
