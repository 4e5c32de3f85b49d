"""Shared fixtures: the corpus folder and the real servers of tests/servers."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["tests.servers.fixtures"]

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The folder of real input files (see its MANIFEST.tsv)."""
    if not CORPUS.is_dir():
        pytest.fail(f"corpus folder missing: {CORPUS}")
    return CORPUS
