"""The archivist's walk-through of docs/retention.md, run as written with
the ``sohoa`` command on an embedded archive."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pytest

from core.errors import ExitCode
from retention.certificate import FALLBACK_NOTE, render_pdf
from tests.retention.conftest import add_dossier, fs_context


class Sohoa:
    """Runs ``python -m sohoa`` on one data folder."""

    def __init__(self, data_dir: Path) -> None:
        self.env = {**os.environ, "SOHOA_DATA_DIR": str(data_dir),
                    "SOHOA_DATABASE_URL": "", "SOHOA_STORAGE": "fs"}

    def __call__(self, *args: str, key: str | None = None,
                 code: int = 0) -> subprocess.CompletedProcess[str]:
        env = {**self.env, **({"SOHOA_API_KEY": key} if key else {})}
        done = subprocess.run([sys.executable, "-m", "sohoa", *args], env=env,
                              capture_output=True, text=True, check=False)
        assert done.returncode == code, done.stdout + done.stderr
        return done

    def json(self, *args: str, key: str | None = None) -> dict | list:
        return json.loads(self(*args, "--json", key=key).stdout)


@pytest.fixture
def sohoa(tmp_path: Path, corpus: Path) -> Sohoa:
    data = tmp_path / "data"
    add_dossier(fs_context(data), corpus, "HS-CLI-1")
    return Sohoa(data)


def test_walk_through_on_the_command_line(sohoa: Sohoa, tmp_path: Path):
    an = sohoa.json("apikey", "create", "--name", "Nguyễn Văn An",
                    "--role", "archivist")["key"]
    binh = sohoa.json("apikey", "create", "--name", "Trần Thị Bình",
                      "--role", "archivist")["key"]
    officer = sohoa.json("apikey", "create", "--name", "Lê Cán Bộ",
                         "--role", "officer")["key"]

    closed = sohoa.json("retention", "close", "HS-CLI-1", "--closed-at",
                        "2012-05-20", key=an)
    assert (closed["retention_class"], closed["disposal_date"]) == (
        "10y", "2022-12-31")
    sohoa("retention", "close", "HS-CLI-1", key=officer, code=ExitCode.forbidden)
    due = sohoa.json("retention", "due")
    assert due["counts"] == {"10y": 1}

    held = sohoa.json("retention", "hold", "HS-CLI-1", "--reason", "thanh tra",
                      "--reference", "TTr-3/2025", key=an)
    assert sohoa.json("retention", "due")["held_excluded"] == 1
    sohoa("retention", "propose", "HS-CLI-1", key=an, code=ExitCode.conflict)
    sohoa("retention", "release", held[0]["group_id"], "--reason", "xong", key=binh)

    dispo = sohoa.json("retention", "propose", "--all-due", key=an)
    assert [i["code"] for i in dispo["items"]] == ["HS-CLI-1"]
    own = sohoa("retention", "approve", dispo["id"], key=an, code=ExitCode.forbidden)
    assert "four eyes" in own.stderr
    sohoa("retention", "approve", dispo["id"][:12], "--note", "đồng ý", key=binh)
    done = sohoa.json("retention", "destroy", dispo["id"], key=an)
    assert done["state"] == "destroyed"
    assert done["items"][0]["outcome"] == "destroyed"

    pdf = tmp_path / "data" / "objects" / f"{done['certificate_key']}.pdf"
    with pdfplumber.open(pdf) as opened:
        words = opened.pages[0].extract_text()
    assert "HS-CLI-1" in words and "Trần Thị Bình" in words
    assert "intact" in sohoa("audit", "verify").stdout
    log = sohoa.json("audit", "log", "--subject", dispo["id"])
    assert [e["action"] for e in log] == [
        "disposition.destroyed", "disposition.approved", "disposition.proposed"]
    assert "2 object(s) checked, 2 intact" in sohoa("fixity").stdout


def test_certificate_falls_back_without_a_vietnamese_font(tmp_path: Path):
    body = {"disposition_id": "d1", "proposed_by": "Nguyễn Văn An",
            "proposed_at": "2025-01-01", "approved_by": "Trần Thị Bình",
            "approved_at": "2025-01-02", "destroyed_by": "Trần Thị Bình",
            "destroyed_at": "2025-01-03", "legal_basis": ["Luật Lưu trữ"],
            "counts": {"destroyed": 1, "dossiers": 1},
            "dossiers": [{"code": "HS-Đ1", "dossier_id": "x",
                          "retention_class": "5y", "disposal_date": "2024-12-31",
                          "outcome": "destroyed", "objects": []}]}
    path = tmp_path / "c.pdf"
    path.write_bytes(render_pdf(body, font=None))
    with pdfplumber.open(path) as opened:
        words = " ".join(opened.pages[0].extract_text().split())
    assert "BIEN BAN HUY TAI LIEU HET GIA TRI" in words
    assert "Tran Thi Binh" in words and "HS-D1" in words
    assert " ".join(FALLBACK_NOTE.split()[:4]) in words
