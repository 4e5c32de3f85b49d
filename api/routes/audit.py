"""The audit trail and fixity checks, for archivists and admins."""

from __future__ import annotations

import dataclasses
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from api.auth import Principal
from api.deps import ContextDep, SessionDep, require_role
from api.schemas import ErrorPublic
from archive import audit
from archive.db import unit_of_work
from archive.fixity import run_fixity
from retention.anchors import verify_with_anchor

ArchivistUser = Annotated[Principal, Depends(require_role("archivist"))]

router = APIRouter(prefix="/audit", tags=["audit"], responses={
    401: {"model": ErrorPublic}, 403: {"model": ErrorPublic},
})


@router.get("/events")
def read_events(
    session: SessionDep,
    user: ArchivistUser,
    subject: str | None = None,
    action: str | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[dict]:
    """Audit events, newest first, optionally of one subject or action."""
    return [
        {"id": e.id, "at": e.at, "actor": e.actor, "action": e.action,
         "subject_type": e.subject_type, "subject_id": e.subject_id,
         "detail": e.detail, "prev_hash": e.prev_hash, "hash": e.hash}
        for e in audit.events(session, subject_id=subject, action=action,
                              limit=limit)
    ]


@router.get("/verify")
def verify_chain(ctx: ContextDep, session: SessionDep, user: ArchivistUser) -> dict:
    """Walk the hash chain, its head row and the newest anchor stored with
    ``sohoa audit anchor``; ``ok`` is false and ``broken`` names the first
    row that does not match when the log was edited or cut short."""
    report, anchor = verify_with_anchor(session, ctx.store)
    return {"ok": report.ok, "checked": report.checked,
            "last_hash": report.last_hash,
            "anchor": anchor.key if anchor else None,
            "broken": dataclasses.asdict(report.broken) if report.broken else None}


@router.post("/fixity")
def check_fixity(
    ctx: ContextDep,
    user: ArchivistUser,
    sample: Annotated[int | None, Query(ge=1)] = None,
) -> dict:
    """Re-read stored objects (all, or a random sample) and report problems."""
    with unit_of_work(ctx.sessions) as session:
        report = run_fixity(session, ctx.store, sample=sample, actor=user.actor)
    return {"checked": report.checked, "ok": report.ok, "clean": report.clean,
            "problems": [dataclasses.asdict(p) for p in report.problems]}
