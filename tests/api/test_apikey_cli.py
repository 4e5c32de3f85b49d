"""``sohoa apikey create|list|revoke`` in a real process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from archive.apikeys import verify_key
from ingest.context import open_context
from tests.api.conftest import hermetic_settings


def sohoa(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the ``sohoa`` command on ``data_dir``."""
    env = {**os.environ, "SOHOA_DATA_DIR": str(data_dir), "SOHOA_STORAGE": "fs"}
    env.pop("SOHOA_DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-c", "from sohoa.cli import main; main()", *args],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cli")


def test_create_list_revoke(data_dir: Path) -> None:
    made = sohoa(data_dir, "apikey", "create", "--name", "Trạm Châu Thành",
                 "--role", "station")
    assert made.returncode == 0, made.stderr
    key = made.stdout.strip().splitlines()[-1]
    prefix = key.split("_")[1]
    assert key.startswith(f"sohoa_{prefix}_")

    listed = sohoa(data_dir, "apikey", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    (row,) = json.loads(listed.stdout)
    assert row["prefix"] == prefix and row["role"] == "station"
    assert row["name"] == "Trạm Châu Thành" and row["revoked"] is None
    assert key not in listed.stdout

    ctx = open_context(hermetic_settings(data_dir))
    with ctx.sessions() as session:
        assert verify_key(session, key).prefix == prefix

    revoked = sohoa(data_dir, "apikey", "revoke", prefix)
    assert revoked.returncode == 0, revoked.stderr
    with ctx.sessions() as session:
        assert verify_key(session, key) is None
    (row,) = json.loads(sohoa(data_dir, "apikey", "list", "--json").stdout)
    assert row["revoked"] is not None


def test_bad_role_and_unknown_prefix(data_dir: Path) -> None:
    bad = sohoa(data_dir, "apikey", "create", "--name", "x", "--role", "root")
    assert bad.returncode == 2 and "root" in bad.stderr
    missing = sohoa(data_dir, "apikey", "revoke", "ffffffff")
    assert missing.returncode == 4
    assert "sohoa apikey list" in missing.stderr
