"""Who calls the API and what their role allows.

Roles: ``station`` uploads batches; ``officer`` searches, reads and
corrects fields; ``archivist`` also sees citizen IDs unmasked and runs
retention; ``admin`` may do everything.
"""

from __future__ import annotations

from dataclasses import dataclass

from archive.apikeys import ROLES

# Roles that are shown citizen ID numbers unmasked; officers see masks.
ID_ROLES = frozenset({"archivist", "admin"})


@dataclass(frozen=True)
class Principal:
    """The holder of a verified API key."""

    prefix: str
    name: str
    role: str

    @property
    def actor(self) -> str:
        """How the caller is named in logs and ``verified_by``."""
        return f"{self.name} ({self.prefix})"

    @property
    def can_see_ids(self) -> bool:
        """True when citizen IDs are shown to this caller unmasked."""
        return self.role in ID_ROLES

    def has_role(self, roles: tuple[str, ...]) -> bool:
        """True when the caller holds one of ``roles`` or is an admin."""
        return self.role == "admin" or self.role in roles


def check_roles(roles: tuple[str, ...]) -> tuple[str, ...]:
    """Return ``roles`` when each is known, for use at import of the routes."""
    unknown = [r for r in roles if r not in ROLES]
    if unknown:
        raise ValueError(f"unknown role(s) {unknown}; roles are {ROLES}")
    return roles
