"""Every command of the walk-through in docs/retention.md, run as written
(placeholders filled in) with the ``sohoa`` command on an embedded archive."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from archive.db import unit_of_work
from archive.models import Document, Page
from tests.retention.conftest import LETTER, add_dossier, fs_context

DOC = Path(__file__).resolve().parents[2] / "docs" / "retention.md"
OTHER_PAGE = "A_vn_congvan_1906_SGDDT_2020_p2.jpg"


def walk_through_commands() -> list[str]:
    """The shell lines of the walk-through's ``sh`` blocks, continuation
    lines joined, comment-only lines left out."""
    text = DOC.read_text(encoding="utf-8")
    section = text.split("## Archivist's walk-through")[1].split("\n## ")[0]
    lines = []
    for block in re.findall(r"```sh\n(.*?)```", section, flags=re.S):
        for line in block.replace("\\\n", " ").splitlines():
            if line.strip() and not line.lstrip().startswith("#"):
                lines.append(line)
    return lines


class Shell:
    """Runs walk-through lines: ``export``, ``VAR=value sohoa …``, ``sohoa …``."""

    def __init__(self, data: Path) -> None:
        self.env = {**os.environ, "SOHOA_DATA_DIR": str(data),
                    "SOHOA_DATABASE_URL": "", "SOHOA_STORAGE": "fs"}
        self.env.pop("SOHOA_API_KEY", None)
        self.values: dict[str, str] = {}
        self.outputs: dict[str, str] = {}

    def run(self, line: str) -> str:
        for name, value in self.values.items():
            line = line.replace(name, value)
        words = shlex.split(line, comments=True)
        if words[0] == "export":
            name, value = words[1].split("=", 1)
            self.env[name] = value
            return ""
        env = dict(self.env)
        while "=" in words[0]:
            name, value = words.pop(0).split("=", 1)
            env[name] = value
        assert words[0] == "sohoa", line
        done = subprocess.run([sys.executable, "-m", "sohoa", *words[1:]],
                              env=env, capture_output=True, text=True,
                              check=False)
        assert done.returncode == 0, f"{line}\n{done.stdout}{done.stderr}"
        self.outputs[" ".join(words[1:3])] = done.stdout
        return done.stdout


@pytest.fixture
def archive(tmp_path: Path, corpus: Path) -> Path:
    """HS-2020-0001 (a letter's second page, no text) and HS-2020-0002, the
    letter's first page with its transcript, which the doc's query finds."""
    data = tmp_path / "data"
    ctx = fs_context(data)
    add_dossier(ctx, corpus, "HS-2020-0001", name=OTHER_PAGE)
    held = add_dossier(ctx, corpus, "HS-2020-0002", name=LETTER)
    transcript = (corpus / LETTER).with_suffix(".gt.txt").read_text("utf-8")
    with unit_of_work(ctx.sessions) as session:
        document_id = session.scalar(
            select(Document.id).where(Document.dossier_id == held))
        session.add(Page(document_id=document_id, number=1, text=transcript))
    return data


def test_every_walk_through_command_runs_as_written(archive: Path):
    shell = Shell(archive)
    lines = walk_through_commands()
    assert len(lines) == 25
    for line in lines:
        out = shell.run(line)
        if "apikey create" in line:
            who = "<BÌNH's key>" if "Bình" in line else "<AN's key>"
            shell.values[who] = out.strip().splitlines()[-1]
        elif line.startswith("sohoa retention hold HS-2020-0001"):
            group = re.search(r"group ([0-9a-f]{32})", out)[1]
            shell.values["<hold or group id>"] = group
        elif line.startswith("sohoa retention propose"):
            dispo = re.search(r"disposition ([0-9a-f]{32}): proposed", out)[1]
            shell.values["<id>"] = dispo
            shell.values["<dossier, document or disposition id>"] = dispo
    out = shell.outputs
    assert "15y" in out["retention classes"] or "15y" in out["retention class-set"]
    assert "retention_class  5y" in out["retention show"]
    assert "disposal_date    2025-12-31" in out["retention show"]
    holds = out["retention holds"].splitlines()
    assert holds[0].split() == ["HOLD", "ID", "DOSSIER", "REASON", "REFERENCE",
                                "PLACED", "BY", "PLACED", "AT", "RELEASED", "GROUP"]
    assert [h.split()[1] for h in holds[1:]] == ["HS-2020-0002", "HS-2020-0001"]
    assert "khiếu nại  KN 12/2025" in holds[1] and holds[1].endswith(
        re.search(r"group ([0-9a-f]{32})", out["retention hold"])[1])
    assert "HS-2020-0001  5y  disposal 2025-12-31  destroyed" in \
        out["retention destroy"]
    assert "matches anchor audit/anchors/" in out["audit verify"]
    assert "disposition.destroyed" in out["audit log"]
    every = shell.run("sohoa retention holds --all").splitlines()
    released = [line for line in every if "HS-2020-0001" in line]
    assert len(every) == 3 and len(released) == 1
    assert re.search(r"\d{4}-\d\d-\d\d by Nguyễn Văn An \(\w{8}\)", released[0])
