"""Catalogue tables (SQLAlchemy 2, runs on SQLite and PostgreSQL).

Repositories never commit; the caller owns the unit of work. Timestamps are
timezone-aware UTC.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    mapped_column,
    relationship,
    validates,
)

from core.textfold import fold, nfc


def utcnow() -> dt.datetime:
    """Timezone-aware now, the only clock the catalogue uses."""
    return dt.datetime.now(dt.UTC)


def new_id() -> str:
    """A random 32-hex-digit id for batches, dossiers and events."""
    return uuid.uuid4().hex


class Base(DeclarativeBase):
    type_annotation_map = {dt.datetime: DateTime(timezone=True)}


class Batch(Base):
    """One upload from a scanning station."""

    __tablename__ = "batch"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    station: Mapped[str] = mapped_column(String(100), default="")
    dossier_id: Mapped[str | None] = mapped_column(ForeignKey("dossier.id"))
    status: Mapped[str] = mapped_column(String(20), default="received")
    files_total: Mapped[int] = mapped_column(Integer, default=0)
    files_done: Mapped[int] = mapped_column(Integer, default=0)
    pages_total: Mapped[int] = mapped_column(Integer, default=0)
    pages_done: Mapped[int] = mapped_column(Integer, default=0)
    duplicates: Mapped[int] = mapped_column(Integer, default=0)
    quarantined: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[dt.datetime | None]
    error: Mapped[str | None] = mapped_column(Text)


class Dossier(Base):
    """A hồ sơ: the unit an officer searches and an archivist keeps."""

    __tablename__ = "dossier"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    code: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(500), default="")
    procedure_code: Mapped[str | None] = mapped_column(String(60))
    state: Mapped[str] = mapped_column(String(20), default="open")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[dt.datetime | None]
    retention_class: Mapped[str | None] = mapped_column(String(40))
    retention_trigger: Mapped[dt.date | None] = mapped_column(Date)
    disposal_date: Mapped[dt.date | None] = mapped_column(Date)
    retention_override_by: Mapped[str | None] = mapped_column(String(100))
    retention_override_reason: Mapped[str | None] = mapped_column(Text)
    documents: Mapped[list[Document]] = relationship(back_populates="dossier")


class Document(Base):
    """One file of a batch: a decision, a form, an ID copy."""

    __tablename__ = "document"
    # The first 32 hex digits of the original's SHA-256: one document per
    # distinct file, so a retry or a re-upload cannot create a second one.
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    dossier_id: Mapped[str] = mapped_column(ForeignKey("dossier.id"), index=True)
    batch_id: Mapped[str | None] = mapped_column(ForeignKey("batch.id"), index=True)
    original_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    filename: Mapped[str] = mapped_column(String(500))
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer, default=0)
    state: Mapped[str] = mapped_column(String(20), default="received", index=True)
    page_count: Mapped[int] = mapped_column(Integer, default=0)
    mean_conf: Mapped[float | None] = mapped_column(Float)
    doc_type: Mapped[str | None] = mapped_column(String(60), index=True)
    number: Mapped[str | None] = mapped_column(String(60), index=True)
    issued_date: Mapped[dt.date | None] = mapped_column(Date, index=True)
    agency: Mapped[str | None] = mapped_column(String(200), index=True)
    summary: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    archived_at: Mapped[dt.datetime | None]
    dossier: Mapped[Dossier] = relationship(back_populates="documents")
    pages: Mapped[list[Page]] = relationship(
        back_populates="document", order_by="Page.number"
    )
    fields: Mapped[list[FieldRow]] = relationship(back_populates="document")


class Page(Base):
    """One page of a document, with its text as read and folded."""

    __tablename__ = "page"
    __table_args__ = (UniqueConstraint("document_id", "number"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("document.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text, default="")
    text_folded: Mapped[str] = mapped_column(Text, default="")
    mean_conf: Mapped[float] = mapped_column(Float, default=0.0)
    source: Mapped[str] = mapped_column(String(20), default="ocr")
    rotation: Mapped[int] = mapped_column(Integer, default=0)
    skew: Mapped[float] = mapped_column(Float, default=0.0)
    width: Mapped[int] = mapped_column(Integer, default=0)
    height: Mapped[int] = mapped_column(Integer, default=0)
    dpi: Mapped[int] = mapped_column(Integer, default=300)
    needs_rescan: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    document: Mapped[Document] = relationship(back_populates="pages")

    @validates("text")
    def _fold_text(self, _key: str, value: str) -> str:
        """Store the text in NFC and its folded form beside it, so both
        search indexes see the same words."""
        value = nfc(value or "")
        self.text_folded = fold(value)
        return value


class FieldRow(Base):
    """One extracted metadata field, correctable by an officer."""

    __tablename__ = "field"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("document.id"), index=True)
    name: Mapped[str] = mapped_column(String(40), index=True)
    value: Mapped[str] = mapped_column(Text)
    confidence: Mapped[float] = mapped_column(Float)
    page: Mapped[int] = mapped_column(Integer)
    raw: Mapped[str] = mapped_column(Text, default="")
    verified_by: Mapped[str | None] = mapped_column(String(100))
    verified_at: Mapped[dt.datetime | None]
    document: Mapped[Document] = relationship(back_populates="fields")


class StoredObject(Base):
    """An object in the store, with the checksum it was verified against."""

    __tablename__ = "stored_object"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(400), unique=True)
    kind: Mapped[str] = mapped_column(String(30), index=True)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    media_type: Mapped[str] = mapped_column(String(100), default="")
    document_id: Mapped[str | None] = mapped_column(
        ForeignKey("document.id"), index=True
    )
    dossier_id: Mapped[str | None] = mapped_column(ForeignKey("dossier.id"), index=True)
    version_id: Mapped[str | None] = mapped_column(String(200))
    retain_until: Mapped[dt.datetime | None]
    deleted_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Quarantine(Base):
    """A file or page that could not be processed, with its reason."""

    __tablename__ = "quarantine"
    __table_args__ = (UniqueConstraint("sha256", "page"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    batch_id: Mapped[str | None] = mapped_column(ForeignKey("batch.id"), index=True)
    filename: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64))
    page: Mapped[int] = mapped_column(Integer, default=0)
    code: Mapped[str] = mapped_column(String(60))
    reason: Mapped[str] = mapped_column(Text)
    object_key: Mapped[str] = mapped_column(String(400))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class RetentionClass(Base):
    """A retention period: permanent (``years`` is null) or N years."""

    __tablename__ = "retention_class"
    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    years: Mapped[int | None] = mapped_column(Integer)
    legal_basis: Mapped[str] = mapped_column(Text, default="")
    doc_types: Mapped[list[str]] = mapped_column(JSON, default=list)
    procedures: Mapped[list[str]] = mapped_column(JSON, default=list)


class ApiKey(Base):
    """A key of the HTTP API: only its SHA-256 is kept, with a short public
    prefix to find it by and to list it."""

    __tablename__ = "api_key"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    key_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[dt.datetime | None]


class BatchFile(Base):
    """One uploaded file of a batch run on workers, and what became of it.

    ``status`` is what receiving it gave (``new``, ``resume``, ``duplicate``,
    ``quarantined``); ``finished`` turns true once, when the file is
    accounted for in the batch counters.
    """

    __tablename__ = "batch_file"
    __table_args__ = (UniqueConstraint("batch_id", "name"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    batch_id: Mapped[str] = mapped_column(ForeignKey("batch.id"))
    name: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64), default="")
    document_id: Mapped[str | None] = mapped_column(String(32), index=True)
    status: Mapped[str] = mapped_column(String(20))
    pages: Mapped[int] = mapped_column(Integer, default=0)
    finished: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class PageOutcome(Base):
    """How one page of a document ended on a worker: one row per page.

    ``status`` is ``pending`` while a worker reads it, then ``ok`` (``detail``
    holds the object keys of its outputs) or ``failed`` (``detail`` holds the
    error); ``attempts`` counts deliveries, so a page that keeps killing its
    worker is given up.
    """

    __tablename__ = "page_outcome"
    __table_args__ = (UniqueConstraint("document_id", "number"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("document.id"))
    number: Mapped[int] = mapped_column(Integer)
    batch_id: Mapped[str | None] = mapped_column(ForeignKey("batch.id"))
    status: Mapped[str] = mapped_column(String(20), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[dt.datetime | None]
