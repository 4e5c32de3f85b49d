"""Shared fixtures: the corpus folder and the real servers of tests/servers."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

pytest_plugins = ["tests.servers.fixtures"]

ROOT = Path(__file__).resolve().parent.parent
# The real scans live beside the repository (../shared/corpus);
# SOHOA_CORPUS points elsewhere.
CORPUS = Path(os.environ.get("SOHOA_CORPUS", ROOT.parent / "shared" / "corpus"))


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The folder of real input files (see its MANIFEST.tsv)."""
    if not (CORPUS / "MANIFEST.tsv").is_file():
        pytest.fail(f"corpus folder missing: {CORPUS} (set SOHOA_CORPUS to the "
                    "folder of real scans with its MANIFEST.tsv)")
    return CORPUS
