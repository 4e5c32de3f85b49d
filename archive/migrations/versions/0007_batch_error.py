"""Batch error: why a batch ended ``failed`` (dispatch, broker, store).

Revision ID: 0007_batch_error
Revises: 0006_audit_head
Create Date: 2025-01-11
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_batch_error"
down_revision = "0006_audit_head"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("batch") as batch:
        batch.add_column(sa.Column("error", sa.Text, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("batch") as batch:
        batch.drop_column("error")
