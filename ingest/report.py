"""The summary of a batch, for the terminal, ``--json`` and the API."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from core.errors import ExitCode


@dataclass
class Problem:
    """A file or page that went to quarantine."""

    file: str
    page: int
    code: str
    reason: str


@dataclass
class BatchReport:
    """Counts and problems of one run of the pipeline."""

    batch_id: str
    dossiers: list[str] = field(default_factory=list)
    files: int = 0
    documents: int = 0
    pages: int = 0
    duplicates: int = 0
    resumed: int = 0
    quarantined: list[Problem] = field(default_factory=list)
    rescan_pages: int = 0
    seconds: float = 0.0
    documents_archived: list[str] = field(default_factory=list)
    duplicate_notes: list[str] = field(default_factory=list)

    @property
    def pages_per_minute(self) -> float:
        """Pages read per minute of wall time."""
        return 60.0 * self.pages / self.seconds if self.seconds else 0.0

    @property
    def exit_code(self) -> ExitCode:
        """``quarantined`` (3) when anything was quarantined, else ``ok``."""
        return ExitCode.quarantined if self.quarantined else ExitCode.ok

    @property
    def status(self) -> str:
        """``done`` or ``partial`` (something was quarantined)."""
        return "partial" if self.quarantined else "done"

    def to_dict(self) -> dict[str, Any]:
        body = asdict(self)
        body["pages_per_minute"] = round(self.pages_per_minute, 1)
        body["seconds"] = round(self.seconds, 2)
        body["status"] = self.status
        body["exit_code"] = int(self.exit_code)
        return body
