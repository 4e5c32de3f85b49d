"""Expanding the paths given to ``sohoa ingest`` into a list of files."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from core.errors import InputError


@dataclass(frozen=True)
class Upload:
    """One file of a batch and the folder it was found under."""

    path: Path
    group: str


def collect(paths: Iterable[Path]) -> list[Upload]:
    """Files named, and files found under folders named, in a stable order.

    Hidden files and folders are skipped. ``group`` is the name of the
    file's parent folder, used by ``--per-folder`` to make one dossier per
    folder.

    Raises:
        InputError: a path does not exist.
    """
    found: list[Upload] = []
    seen: set[Path] = set()
    for path in paths:
        if not path.exists():
            raise InputError(f"{path}: no such file or folder", file=str(path))
        candidates = [path] if path.is_file() else sorted(
            p for p in path.rglob("*") if p.is_file() and not _hidden(p, path)
        )
        for file in candidates:
            real = file.resolve()
            if real not in seen:
                seen.add(real)
                found.append(Upload(file, file.parent.name))
    return found


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)
