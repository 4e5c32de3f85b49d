"""A progress bar per batch on a terminal; plain lines elsewhere."""

from __future__ import annotations

from typing import Any

from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)

from sohoa.output import err_console


class BatchProgress:
    """Listens to pipeline events and draws pages done out of pages known."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled and err_console.is_terminal
        self._progress = Progress(
            TextColumn("[bold]{task.description}"), BarColumn(),
            MofNCompleteColumn(), TextColumn("pages"), TimeElapsedColumn(),
            console=err_console, transient=False,
        )
        self._task = None

    def __enter__(self) -> BatchProgress:
        if self.enabled:
            self._progress.start()
            self._task = self._progress.add_task("batch", total=0)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.enabled:
            self._progress.stop()

    def __call__(self, event: str, info: dict[str, Any]) -> None:
        if not self.enabled or self._task is None:
            return
        if event == "start":
            name = f"batch {info['batch_id'][:8]}"
            self._progress.update(self._task, description=name)
        elif event == "file":
            total = self._progress.tasks[0].total or 0
            self._progress.update(self._task, total=total + info["pages"])
        elif event == "page":
            self._progress.advance(self._task)
