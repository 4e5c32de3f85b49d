"""Retention: classes, schedules, due lists, legal holds, disposition.

Every route needs the archivist role (admins pass too); stations and
officers are refused with 403. Approvals compare the person behind the key
with the proposer (four eyes).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, status
from pydantic import BaseModel, Field

from api.auth import Principal
from api.deps import ContextDep, SessionDep, require_role
from api.schemas import ErrorPublic
from archive.db import unit_of_work
from retention import classes, destruction, disposition, holds, schedule
from retention.actor import Actor
from retention.certificate import find_font
from retention.due import due_list

ArchivistUser = Annotated[Principal, Depends(require_role("archivist"))]



def _seeded(ctx: ContextDep) -> None:
    """Seed the retention classes on first use (a no-op afterwards)."""
    with unit_of_work(ctx.sessions) as session:
        classes.ensure_classes(
            session, ctx.settings.retention_cfg.retention_classes_file)


router = APIRouter(prefix="/retention", tags=["retention"],
                   dependencies=[Depends(_seeded)], responses={
    401: {"model": ErrorPublic}, 403: {"model": ErrorPublic},
    404: {"model": ErrorPublic}, 409: {"model": ErrorPublic},
})


class ClassUpdate(BaseModel):
    """Changes to a retention class; fields left out stay as they are."""

    name: str | None = None
    years: int | None = Field(default=None, ge=1)
    permanent: bool = False
    legal_basis: str | None = None
    doc_types: list[str] | None = None
    procedures: list[str] | None = None
    create: bool = False


class CloseRequest(BaseModel):
    """Close a dossier (by code or id), on a given day or now."""

    dossier: str
    closed_at: dt.date | None = None


class AssignRequest(BaseModel):
    """Override a dossier's class; the reason is recorded."""

    dossier: str
    code: str
    reason: str = Field(min_length=1)


class HoldRequest(BaseModel):
    """Hold dossiers by code or id, and/or every dossier a search finds."""

    dossiers: list[str] = Field(default_factory=list)
    query: str | None = None
    reason: str = Field(min_length=1)
    reference: str = Field(min_length=1)


class Note(BaseModel):
    """A reason or note kept with a step."""

    reason: str = ""


class ProposeRequest(BaseModel):
    """The dossiers to propose, or every one due today."""

    dossiers: list[str] = Field(default_factory=list)
    all_due: bool = False
    note: str = ""


def _actor(user: Principal) -> Actor:
    return Actor(user.name, user.role, user.prefix)


@router.get("/classes")
def read_classes(session: SessionDep, user: ArchivistUser) -> list[dict]:
    """The retention classes with legal basis and mappings."""
    return [classes.class_body(c) for c in classes.list_classes(session)]


@router.put("/classes/{code}")
def update_class(code: str, update: ClassUpdate, ctx: ContextDep,
                 user: ArchivistUser) -> dict:
    """Edit (or with ``create`` add) a class; logged in the audit trail."""
    changes: dict[str, Any] = update.model_dump(
        exclude={"permanent", "create"}, exclude_none=True)
    if update.permanent:
        changes["years"] = None
    with unit_of_work(ctx.sessions) as session:
        row = classes.update_class(session, code, actor=_actor(user),
                                   create=update.create, **changes)
        return classes.class_body(row)


@router.get("/dossiers/{dossier:path}")
def read_schedule(dossier: Annotated[str, Path(min_length=1, max_length=100)],
                  session: SessionDep, user: ArchivistUser) -> dict:
    """A dossier's class, trigger date, disposal date and active holds."""
    found = schedule.find_dossier(session, dossier)
    body = schedule.schedule_body(found)
    body["holds"] = [h.id for h in holds.active_holds(session, found.id)]
    return body


@router.post("/close")
def close_dossier(request: CloseRequest, ctx: ContextDep,
                  user: ArchivistUser) -> dict:
    """Close a dossier and compute its retention dates."""
    when = (dt.datetime.combine(request.closed_at, dt.time(), tzinfo=dt.UTC)
            if request.closed_at else None)
    with unit_of_work(ctx.sessions) as session:
        found = schedule.find_dossier(session, request.dossier)
        schedule.close_dossier(session, found, actor=_actor(user),
                               trigger=_trigger(ctx), closed_at=when,
                               store=ctx.store)
        return schedule.schedule_body(found)


@router.post("/assign")
def assign_class(request: AssignRequest, ctx: ContextDep,
                 user: ArchivistUser) -> dict:
    """Override a dossier's retention class, recording who and why."""
    with unit_of_work(ctx.sessions) as session:
        found = schedule.find_dossier(session, request.dossier)
        schedule.override_class(session, found, request.code, actor=_actor(user),
                                reason=request.reason, trigger=_trigger(ctx))
        return schedule.schedule_body(found)


@router.get("/due")
def read_due(ctx: ContextDep, session: SessionDep, user: ArchivistUser,
             before: Annotated[dt.date | None, Query()] = None) -> dict:
    """Dossiers whose period ended by ``before`` (today), counts per class,
    held ones left out, and warnings for the next days."""
    return due_list(session, today=dt.date.today(), before=before,
                    warn_days=ctx.settings.retention_cfg.retention_warn_days
                    ).body()


@router.get("/holds")
def read_holds(session: SessionDep, user: ArchivistUser,
               released: bool = False) -> list[dict]:
    """Active legal holds, and released ones too with ``released=true``."""
    return [holds.hold_body(h)
            for h in holds.list_holds(session, active_only=not released)]


@router.post("/holds", status_code=status.HTTP_201_CREATED)
def place_hold(request: HoldRequest, ctx: ContextDep,
               user: ArchivistUser) -> dict:
    """Hold dossiers and their objects, with a reason and a reference."""
    with unit_of_work(ctx.sessions) as session:
        found = holds.hold_targets(session, request.dossiers, request.query)
        placed = holds.place_hold(session, ctx.store, found, actor=_actor(user),
                                  reason=request.reason,
                                  reference=request.reference, query=request.query)
        return {"group_id": placed[0].group_id,
                "holds": [holds.hold_body(h) for h in placed]}


@router.post("/holds/{hold_id}/release")
def release_hold(hold_id: str, note: Note, ctx: ContextDep,
                 user: ArchivistUser) -> list[dict]:
    """Release a hold or a group of holds, and the objects' legal hold."""
    with unit_of_work(ctx.sessions) as session:
        released = holds.release_hold(session, ctx.store, hold_id,
                                      actor=_actor(user), reason=note.reason)
        return [holds.hold_body(h) for h in released]


@router.get("/dispositions")
def read_dispositions(session: SessionDep, user: ArchivistUser) -> list[dict]:
    """Disposition lists, newest first."""
    return [disposition.disposition_body(d)
            for d in disposition.list_dispositions(session)]


@router.post("/dispositions", status_code=status.HTTP_201_CREATED)
def propose(request: ProposeRequest, ctx: ContextDep,
            user: ArchivistUser) -> dict:
    """Propose a list of due, unheld dossiers for destruction."""
    today = dt.date.today()
    with unit_of_work(ctx.sessions) as session:
        found = disposition.proposal_targets(
            session, request.dossiers, all_due=request.all_due, today=today)
        made = disposition.propose(session, found, actor=_actor(user),
                                   today=today, note=request.note)
        return disposition.disposition_body(made)


@router.get("/dispositions/{disposition_id}")
def read_disposition(disposition_id: str, session: SessionDep,
                     user: ArchivistUser) -> dict:
    """One disposition list and the outcome of each dossier."""
    return disposition.disposition_body(
        disposition.get_disposition(session, disposition_id))


@router.post("/dispositions/{disposition_id}/approve")
def approve(disposition_id: str, note: Note, ctx: ContextDep,
            user: ArchivistUser) -> dict:
    """Approve a list proposed by someone else."""
    return _decide(ctx, disposition_id, user, note.reason, approve=True)


@router.post("/dispositions/{disposition_id}/reject")
def reject(disposition_id: str, note: Note, ctx: ContextDep,
           user: ArchivistUser) -> dict:
    """Reject a list proposed by someone else."""
    return _decide(ctx, disposition_id, user, note.reason, approve=False)


@router.post("/dispositions/{disposition_id}/destroy")
def destroy(disposition_id: str, ctx: ContextDep, user: ArchivistUser) -> dict:
    """Destroy an approved list; locked objects are reported, never forced."""
    font = find_font(ctx.settings.retention_cfg.certificate_font)
    with unit_of_work(ctx.sessions) as session:
        done = destruction.destroy(session, ctx.store, disposition_id,
                                   actor=_actor(user), today=dt.date.today(),
                                   font=font)
        return disposition.disposition_body(done)


def _decide(ctx: ContextDep, disposition_id: str, user: Principal, note: str, *,
            approve: bool) -> dict:
    with unit_of_work(ctx.sessions) as session:
        done = disposition.decide(session, disposition_id, actor=_actor(user),
                                  approve=approve, note=note)
        return disposition.disposition_body(done)


def _trigger(ctx: ContextDep) -> schedule.Trigger:
    return ctx.settings.retention_cfg.retention_trigger
