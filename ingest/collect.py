"""Expanding the paths given to ``sohoa ingest`` into a list of files."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from core.errors import InputError


@dataclass(frozen=True)
class Upload:
    """One file of a batch and the folder it was found under."""

    path: Path
    group: str


Skipped = tuple[Path, str]


def collect(paths: Iterable[Path]) -> tuple[list[Upload], list[Skipped]]:
    """Files named, and files found under folders named, in a stable order.

    Hidden files and folders are left out. Symbolic links are not followed
    (a link could bring in any file of the machine) and folders that cannot
    be listed are not read: both come back in the second list with the
    reason, so the batch reports them. ``group`` is the name of the file's
    parent folder, used by ``--per-folder`` to make one dossier per folder.

    Raises:
        InputError: a path given does not exist.
    """
    found: list[Upload] = []
    skipped: list[Skipped] = []
    seen: set[Path] = set()
    for path in paths:
        if not path.exists() and not path.is_symlink():
            raise InputError(f"{path}: no such file or folder", file=str(path))
        for file in _files(path, skipped):
            real = file.resolve()
            if real not in seen:
                seen.add(real)
                found.append(Upload(file, file.parent.name))
    return found, skipped


def _files(root: Path, skipped: list[Skipped]) -> list[Path]:
    if root.is_symlink():
        skipped.append((root, f"{root.name}: a symbolic link, not followed; "
                              "give the file itself"))
        return []
    if root.is_file():
        return [root]

    def refuse(error: OSError) -> None:
        where = Path(error.filename or root)
        skipped.append((where, f"{where}: the folder cannot be read "
                               f"({error.strerror}); check its permissions"))

    files: list[Path] = []
    for folder, dirs, names in os.walk(root, onerror=refuse):
        links = [d for d in dirs if (Path(folder) / d).is_symlink()]
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in links)
        for name in sorted(names + links):
            if name.startswith("."):
                continue
            path = Path(folder) / name
            if path.is_symlink():
                skipped.append((path, f"{name}: a symbolic link, not followed; "
                                      "give the file itself"))
            elif path.is_file():
                files.append(path)
            else:
                skipped.append((path, f"{name}: not a regular file (a pipe, "
                                      "socket or device), not read"))
    return sorted(files)
