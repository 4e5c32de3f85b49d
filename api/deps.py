"""Dependencies of the routes: context, session, caller and roles.

Permission checks live here, not in the routes: a route names the roles it
needs with one of the ``*User`` aliases or :func:`require_role`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated

from fastapi import Depends, Path, Request, Security
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.auth import Principal, check_roles
from archive.apikeys import verify_key
from archive.models import Batch
from core.errors import Conflict, Forbidden, NotFound, Unauthenticated
from core.settings import Settings
from ingest.context import Context

_bearer = HTTPBearer(auto_error=False, description="Authorization: Bearer <key>")
_header = APIKeyHeader(name="X-API-Key", auto_error=False)


def get_context(request: Request) -> Context:
    """The pipeline context the app was started with."""
    return request.app.state.context


ContextDep = Annotated[Context, Depends(get_context)]


def get_settings(ctx: ContextDep) -> Settings:
    """The settings of the app."""
    return ctx.settings


SettingsDep = Annotated[Settings, Depends(get_settings)]


def get_session(ctx: ContextDep) -> Iterator[Session]:
    """A catalogue session for the request; writes use a unit of work."""
    with ctx.sessions() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]


def get_current_user(
    session: SessionDep,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Security(_bearer)],
    api_key: Annotated[str | None, Security(_header)],
) -> Principal:
    """The caller of a verified, unrevoked key.

    Raises:
        Unauthenticated: no key was sent, or it is unknown or revoked.
    """
    key = bearer.credentials if bearer is not None else api_key
    if not key:
        raise Unauthenticated(
            "send an API key as 'Authorization: Bearer <key>' or 'X-API-Key'"
        )
    row = verify_key(session, key.strip())
    if row is None:
        raise Unauthenticated(
            "the API key is unknown or revoked; ask an admin for a new one "
            "(`sohoa apikey create`)"
        )
    return Principal(prefix=row.prefix, name=row.name, role=row.role)


CurrentUser = Annotated[Principal, Depends(get_current_user)]


def require_role(*roles: str) -> Callable[[Principal], Principal]:
    """A dependency that lets through callers with one of ``roles`` (or admin).

    Raises:
        Forbidden: when used, for a caller of another role.
    """
    allowed = check_roles(roles)

    def _check(user: CurrentUser) -> Principal:
        if not user.has_role(allowed):
            raise Forbidden(
                f"role {user.role!r} may not do this; it needs "
                f"{' or '.join(allowed)}",
                role=user.role,
            )
        return user

    return _check


StationUser = Annotated[Principal, Depends(require_role("station"))]
ReaderUser = Annotated[
    Principal, Depends(require_role("station", "officer", "archivist"))
]
OfficerUser = Annotated[Principal, Depends(require_role("officer", "archivist"))]
BatchId = Annotated[
    str, Path(min_length=8, max_length=32, pattern="^[0-9a-f]+$",
              description="a batch id, or at least its first 8 hex digits")
]


def get_readable_batch(batch_id: BatchId, session: SessionDep,
                       user: ReaderUser) -> str:
    """The id (or prefix) of a batch ``user`` may read.

    Officers, archivists and admins read every batch; a ``station`` key only
    the batches recorded under its own name, and its prefix is looked up
    among those alone. Another station's batch is not found, as if it did
    not exist.

    Raises:
        NotFound: a station key asked for a batch that is not its own.
        Conflict: the prefix starts more than one of the station's batches.
    """
    if user.role != "station":
        return batch_id
    key = batch_id.lower()
    found = session.scalars(
        select(Batch.id).where(Batch.id.startswith(key), Batch.station == user.name)
        .limit(2)
    ).all()
    if not found:
        raise NotFound(f"no batch {batch_id!r}: check the id", id=batch_id)
    if len(found) > 1:
        raise Conflict(f"{batch_id!r} starts the ids of more than one batch: "
                       "give more digits", id=batch_id)
    return str(found[0])


ReadableBatch = Annotated[str, Depends(get_readable_batch)]
