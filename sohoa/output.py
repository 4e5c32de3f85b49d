"""Printing for the CLI: JSON for scripts, rich text for people."""

from __future__ import annotations

import json
import sys
from typing import Any

from rich.console import Console

console = Console(highlight=False, soft_wrap=True)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)


def emit_json(body: Any) -> None:
    """Print one JSON document on stdout."""
    sys.stdout.write(json.dumps(body, ensure_ascii=False, indent=2, default=str))
    sys.stdout.write("\n")
