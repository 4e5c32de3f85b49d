"""Retention classes: seeded, listed and edited by an archivist.

The classes follow the Vietnamese retention practice (permanent, 70, 50, 20,
10 and 5 years); they and their mapping to document types and procedure
codes are configurable: they are seeded once, from the JSON
file named by ``SOHOA_RETENTION_CLASSES_FILE`` or from :data:`DEFAULTS`,
and edited afterwards through :func:`update_class`.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from archive import audit
from archive.models import RetentionClass
from core.errors import ConfigError, InputError, NotFound
from retention.actor import Actor, require_archivist

log = logging.getLogger(__name__)

PERMANENT = "permanent"
_BASIS = (
    "Luật Lưu trữ 2011; Thông tư 10/2022/TT-BNV (thời hạn bảo quản tài liệu); "
    "mapping configurable, check against the agency's retention table"
)

DEFAULTS: tuple[dict[str, Any], ...] = (
    {"code": PERMANENT, "name": "Vĩnh viễn", "years": None,
     "doc_types": ["Nghị quyết", "Quy chế", "Quy định", "Đề án"]},
    {"code": "70y", "name": "70 năm", "years": 70, "doc_types": []},
    {"code": "50y", "name": "50 năm", "years": 50,
     "doc_types": ["Quyết định", "Chỉ thị"]},
    {"code": "20y", "name": "20 năm", "years": 20,
     "doc_types": ["Kế hoạch", "Báo cáo", "Chương trình", "Hợp đồng"]},
    {"code": "10y", "name": "10 năm", "years": 10,
     "doc_types": ["Công văn", "Thông báo", "Tờ trình", "Biên bản",
                   "Hướng dẫn"]},
    {"code": "5y", "name": "5 năm", "years": 5,
     "doc_types": ["Giấy mời", "Giấy giới thiệu", "Phiếu gửi", "Phiếu chuyển",
                   "Giấy nghỉ phép"]},
)
_EDITABLE = ("name", "years", "legal_basis", "doc_types", "procedures")


def ensure_classes(session: Session, source: Path | None = None) -> int:
    """Seed the classes when the table is empty; return how many were added.

    Args:
        session: the unit of work.
        source: a JSON list of classes (``code``, ``name``, ``years``,
            ``legal_basis``, ``doc_types``, ``procedures``); the defaults
            when ``None``.
    """
    if session.scalar(select(func.count()).select_from(RetentionClass)):
        return 0
    rows = _load(source) if source else [dict(d) for d in DEFAULTS]
    for row in rows:
        session.add(_row(row))
    session.flush()
    audit.append(session, actor="system", action="retention.classes_seeded",
                 subject_type="retention_class", subject_id="*",
                 detail={"codes": [r["code"] for r in rows],
                         "source": str(source) if source else "defaults"})
    log.info("seeded %d retention class(es)", len(rows))
    return len(rows)


def list_classes(session: Session) -> list[RetentionClass]:
    """Every class, permanent first, then the longest periods."""
    rows = session.scalars(select(RetentionClass)).all()
    return sorted(rows, key=lambda c: (c.years is not None, -(c.years or 0)))


def get_class(session: Session, code: str) -> RetentionClass:
    """The class with ``code``.

    Raises:
        NotFound: no such class.
    """
    row = session.get(RetentionClass, code)
    if row is None:
        codes = ", ".join(c.code for c in list_classes(session))
        raise NotFound(f"no retention class {code!r}; known classes: "
                       f"{codes or 'none yet (`sohoa retention classes` seeds them)'}")
    return row


def update_class(
    session: Session, code: str, *, actor: Actor, create: bool = False,
    **changes: Any,
) -> RetentionClass:
    """Edit (or with ``create`` add) a class and log the change.

    Args:
        session: the unit of work.
        code: the class code, e.g. ``10y``.
        actor: an archivist or admin.
        create: add the class when it does not exist.
        **changes: any of ``name``, ``years``, ``legal_basis``,
            ``doc_types``, ``procedures``.

    Raises:
        InputError: an unknown field or a non-positive number of years.
    """
    require_archivist(actor, "editing a retention class")
    unknown = sorted(set(changes) - set(_EDITABLE))
    if unknown:
        raise InputError(f"cannot edit {unknown}; editable: {', '.join(_EDITABLE)}")
    if changes.get("years") is not None and int(changes["years"]) <= 0:
        raise InputError("years must be a positive number (or none: permanent)")
    row = session.get(RetentionClass, code)
    if row is None and create:
        # A new class has no legal basis until one is given.
        row = _row({"code": code, "name": changes.get("name") or code,
                    "legal_basis": ""})
        session.add(row)
    elif row is None:
        row = get_class(session, code)
    before = {name: getattr(row, name) for name in changes}
    for name, value in changes.items():
        setattr(row, name, value)
    session.flush()
    audit.append(session, actor=actor.label, action="retention.class_edited",
                 subject_type="retention_class", subject_id=code,
                 detail={"before": before, "after": changes})
    return row


def class_body(row: RetentionClass) -> dict[str, Any]:
    """The JSON shape of a class in the CLI and the API."""
    return {"code": row.code, "name": row.name, "years": row.years,
            "legal_basis": row.legal_basis, "doc_types": list(row.doc_types or []),
            "procedures": list(row.procedures or [])}


def _row(data: dict[str, Any]) -> RetentionClass:
    return RetentionClass(
        code=data["code"], name=data["name"], years=data.get("years"),
        legal_basis=_BASIS if data.get("legal_basis") is None else data["legal_basis"],
        doc_types=list(data.get("doc_types") or []),
        procedures=list(data.get("procedures") or []),
    )


def _load(source: Path) -> list[dict[str, Any]]:
    try:
        rows = json.loads(Path(source).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(
            f"cannot read retention classes from {source}: {exc}; fix the file "
            "or unset SOHOA_RETENTION_CLASSES_FILE to seed the defaults"
        ) from exc
    if not isinstance(rows, list) or not all(
        isinstance(r, dict) and "code" in r and "name" in r for r in rows
    ):
        raise ConfigError(
            f"{source} must hold a JSON list of objects with at least 'code' and "
            "'name' (and 'years', null for permanent)"
        )
    return rows
