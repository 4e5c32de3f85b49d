"""Who acts on retention: a named person with a role and an API key."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from archive.apikeys import verify_key
from core.errors import Forbidden, Unauthenticated

RETENTION_ROLES = ("archivist", "admin")


@dataclass(frozen=True)
class Actor:
    """The person behind a retention step.

    ``name`` is the person (the API key's name); two keys with the same
    name are the same person for the four-eyes rule.
    """

    name: str
    role: str
    key_prefix: str = ""

    @property
    def label(self) -> str:
        """How the actor is named in rows, certificates and the audit log."""
        return f"{self.name} ({self.key_prefix})" if self.key_prefix else self.name

    def same_person(self, name: str) -> bool:
        """True when ``name`` names this actor (case and spaces ignored)."""
        return _norm(name) == _norm(self.name)


def require_archivist(actor: Actor, what: str) -> None:
    """Refuse ``what`` to an actor who is not an archivist or admin.

    Raises:
        Forbidden: the actor's role may not run retention.
    """
    if actor.role not in RETENTION_ROLES:
        raise Forbidden(
            f"{what} needs the archivist or admin role; {actor.label} has "
            f"{actor.role!r}: use an archivist's API key",
            role=actor.role,
        )


def actor_from_key(session: Session, key: str, what: str) -> Actor:
    """The archivist or admin holding API ``key``, allowed to do ``what``.

    Raises:
        Unauthenticated: the key is unknown or revoked.
        Forbidden: the key's role may not run retention.
    """
    row = verify_key(session, key.strip())
    if row is None:
        raise Unauthenticated("the API key is unknown or revoked; ask an admin "
                              "for one (`sohoa apikey create --role archivist`)")
    actor = Actor(row.name, row.role, row.prefix)
    require_archivist(actor, what)
    return actor


def _norm(name: str) -> str:
    return " ".join(name.split()).casefold()
