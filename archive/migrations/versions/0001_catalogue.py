"""Catalogue tables: batch, dossier, document, page, field, stored objects,
quarantine, retention classes.

Revision ID: 0001_catalogue
Revises:
Create Date: 2025-01-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_catalogue"
down_revision = None
branch_labels = None
depends_on = None

_TS = sa.DateTime(timezone=True)


def _id(name: str = "id") -> sa.Column:
    return sa.Column(name, sa.String(32), primary_key=True)


def _serial() -> sa.Column:
    return sa.Column("id", sa.Integer, primary_key=True, autoincrement=True)


def _index(table: str, *columns: str, unique: bool = False) -> None:
    for column in columns:
        op.create_index(f"ix_{table}_{column}", table, [column], unique=unique)


def upgrade() -> None:
    _dossier()
    _batch()
    _document()
    _page()
    _field()
    _stored_object()
    _quarantine()
    _retention_class()


def _dossier() -> None:
    op.create_table(
        "dossier",
        _id(),
        sa.Column("code", sa.String(100), nullable=False, unique=True),
        sa.Column("title", sa.String(500), nullable=False),
        sa.Column("procedure_code", sa.String(60)),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("closed_at", _TS),
        sa.Column("retention_class", sa.String(40)),
        sa.Column("retention_trigger", sa.Date),
        sa.Column("disposal_date", sa.Date),
        sa.Column("retention_override_by", sa.String(100)),
        sa.Column("retention_override_reason", sa.Text),
    )


def _batch() -> None:
    op.create_table(
        "batch",
        _id(),
        sa.Column("station", sa.String(100), nullable=False),
        sa.Column("dossier_id", sa.String(32), sa.ForeignKey("dossier.id")),
        sa.Column("status", sa.String(20), nullable=False),
        *(sa.Column(name, sa.Integer, nullable=False) for name in (
            "files_total", "files_done", "pages_total", "pages_done",
            "duplicates", "quarantined",
        )),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("finished_at", _TS),
    )


def _document() -> None:
    op.create_table(
        "document",
        _id(),
        sa.Column(
            "dossier_id", sa.String(32), sa.ForeignKey("dossier.id"), nullable=False
        ),
        sa.Column("batch_id", sa.String(32), sa.ForeignKey("batch.id")),
        sa.Column("original_sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("filename", sa.String(500), nullable=False),
        sa.Column("media_type", sa.String(100), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("page_count", sa.Integer, nullable=False),
        sa.Column("mean_conf", sa.Float),
        sa.Column("doc_type", sa.String(60)),
        sa.Column("number", sa.String(60)),
        sa.Column("issued_date", sa.Date),
        sa.Column("agency", sa.String(200)),
        sa.Column("summary", sa.Text),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("archived_at", _TS),
    )
    _index(
        "document", "dossier_id", "batch_id", "state", "doc_type", "number",
        "issued_date", "agency",
    )


def _page() -> None:
    op.create_table(
        "page",
        _serial(),
        sa.Column(
            "document_id", sa.String(32), sa.ForeignKey("document.id"), nullable=False
        ),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("text_folded", sa.Text, nullable=False),
        sa.Column("mean_conf", sa.Float, nullable=False),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("rotation", sa.Integer, nullable=False),
        sa.Column("skew", sa.Float, nullable=False),
        sa.Column("width", sa.Integer, nullable=False),
        sa.Column("height", sa.Integer, nullable=False),
        sa.Column("dpi", sa.Integer, nullable=False),
        sa.Column("needs_rescan", sa.Boolean, nullable=False),
        sa.UniqueConstraint("document_id", "number"),
    )
    _index("page", "document_id", "needs_rescan")


def _field() -> None:
    op.create_table(
        "field",
        _serial(),
        sa.Column(
            "document_id", sa.String(32), sa.ForeignKey("document.id"), nullable=False
        ),
        sa.Column("name", sa.String(40), nullable=False),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("confidence", sa.Float, nullable=False),
        sa.Column("page", sa.Integer, nullable=False),
        sa.Column("raw", sa.Text, nullable=False),
        sa.Column("verified_by", sa.String(100)),
        sa.Column("verified_at", _TS),
    )
    _index("field", "document_id", "name")


def _stored_object() -> None:
    op.create_table(
        "stored_object",
        _serial(),
        sa.Column("key", sa.String(400), nullable=False, unique=True),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("media_type", sa.String(100), nullable=False),
        sa.Column("document_id", sa.String(32), sa.ForeignKey("document.id")),
        sa.Column("dossier_id", sa.String(32), sa.ForeignKey("dossier.id")),
        sa.Column("version_id", sa.String(200)),
        sa.Column("retain_until", _TS),
        sa.Column("deleted_at", _TS),
        sa.Column("created_at", _TS, nullable=False),
    )
    _index("stored_object", "kind", "document_id", "dossier_id")


def _quarantine() -> None:
    op.create_table(
        "quarantine",
        _serial(),
        sa.Column("batch_id", sa.String(32), sa.ForeignKey("batch.id")),
        sa.Column("filename", sa.String(500), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("page", sa.Integer, nullable=False),
        sa.Column("code", sa.String(60), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("object_key", sa.String(400), nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.UniqueConstraint("sha256", "page"),
    )
    _index("quarantine", "batch_id")


def _retention_class() -> None:
    op.create_table(
        "retention_class",
        sa.Column("code", sa.String(40), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("years", sa.Integer),
        sa.Column("legal_basis", sa.Text, nullable=False),
        sa.Column("doc_types", sa.JSON, nullable=False),
    )


def downgrade() -> None:
    for table in (
        "retention_class", "quarantine", "stored_object", "field", "page",
        "document", "batch", "dossier",
    ):
        op.drop_table(table)
