"""Catalogue tables of retention: legal holds and disposition lists."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from archive.models import Base, utcnow


def _new_id() -> str:
    return uuid.uuid4().hex


class Hold(Base):
    """A legal hold on one dossier; active until ``released_at`` is set.

    Holds placed together (one search result set) share ``group_id``.
    """

    __tablename__ = "hold"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=_new_id)
    group_id: Mapped[str] = mapped_column(String(32), index=True)
    dossier_id: Mapped[str] = mapped_column(ForeignKey("dossier.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    reference: Mapped[str] = mapped_column(String(200))
    query: Mapped[str | None] = mapped_column(Text)
    placed_by: Mapped[str] = mapped_column(String(200))
    placed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    released_by: Mapped[str | None] = mapped_column(String(200))
    released_at: Mapped[dt.datetime | None]
    release_reason: Mapped[str | None] = mapped_column(Text)


class Disposition(Base):
    """A list of expired dossiers proposed for destruction.

    ``state`` moves ``proposed → approved → destroyed`` (or ``partial`` when
    the store refused some objects), or ``proposed → rejected``.
    """

    __tablename__ = "disposition"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=_new_id)
    state: Mapped[str] = mapped_column(String(20), default="proposed", index=True)
    note: Mapped[str] = mapped_column(Text, default="")
    proposed_by: Mapped[str] = mapped_column(String(200))
    proposer_name: Mapped[str] = mapped_column(String(100))
    proposed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    decided_by: Mapped[str | None] = mapped_column(String(200))
    decided_at: Mapped[dt.datetime | None]
    decision_note: Mapped[str | None] = mapped_column(Text)
    destroyed_by: Mapped[str | None] = mapped_column(String(200))
    destroyed_at: Mapped[dt.datetime | None]
    certificate_key: Mapped[str | None] = mapped_column(String(400))
    certificate_sha256: Mapped[str | None] = mapped_column(String(64))
    items: Mapped[list[DispositionItem]] = relationship(
        back_populates="disposition", order_by="DispositionItem.id"
    )


class DispositionItem(Base):
    """One dossier of a disposition list and what became of it.

    ``outcome``: ``pending``, ``destroyed``, ``refused`` (the store kept an
    object under a lock), ``held`` or ``not_due`` (skipped at destruction).
    """

    __tablename__ = "disposition_item"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    disposition_id: Mapped[str] = mapped_column(
        ForeignKey("disposition.id"), index=True
    )
    dossier_id: Mapped[str] = mapped_column(ForeignKey("dossier.id"), index=True)
    dossier_code: Mapped[str] = mapped_column(String(100))
    retention_class: Mapped[str] = mapped_column(String(40))
    disposal_date: Mapped[dt.date] = mapped_column(Date)
    outcome: Mapped[str] = mapped_column(String(20), default="pending")
    objects: Mapped[list[dict]] = mapped_column(JSON, default=list)
    note: Mapped[str] = mapped_column(Text, default="")
    disposition: Mapped[Disposition] = relationship(back_populates="items")
