"""Printing for the CLI: JSON for scripts, plain safe text for people."""

from __future__ import annotations

import json
import sys
import unicodedata
from typing import Any

from rich.console import Console

console = Console(highlight=False, soft_wrap=True)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)


def emit_json(body: Any) -> None:
    """Print one JSON document on stdout."""
    sys.stdout.write(json.dumps(body, ensure_ascii=False, indent=2, default=str))
    sys.stdout.write("\n")


def shown(text: object) -> str:
    """``text`` safe for one terminal line: control and direction-changing
    characters (a newline or U+202E in a file name) appear as escapes, so a
    name cannot forge a line of output."""
    out = []
    for char in str(text):
        category = unicodedata.category(char)
        if category in ("Cc", "Cf", "Zl", "Zp"):
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return "".join(out)


def say(*parts: object, err: bool = False) -> None:
    """Print ``parts`` joined by spaces, as plain text (no markup)."""
    target = err_console if err else console
    target.print(" ".join(shown(p) for p in parts), markup=False)
