"""Engines, sessions and the unit of work."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from archive.db import (
    current_revision,
    head_revision,
    init_schema,
    make_engine,
    unit_of_work,
)
from archive.models import Dossier, Page
from core.errors import ConfigError


def test_sqlite_engine_settings_and_folder(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "sohoa.db"
    engine = make_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 30_000
        folded = conn.execute(text("SELECT sohoa_fold('Quyết ĐỊNH')")).scalar()
        assert folded == "quyet dinh"
    assert path.parent.is_dir()
    engine.dispose()


@pytest.mark.db
def test_postgres_engine_pings_and_folds(pg_database: str) -> None:
    engine = make_engine(pg_database)
    assert engine.pool._pre_ping  # type: ignore[attr-defined]
    init_schema(engine)
    with engine.connect() as conn:
        folded = conn.execute(text("SELECT sohoa_fold('Quyết ĐỊNH Đồng ý')")).scalar()
    assert folded == "quyet dinh dong y"
    engine.dispose()


def test_unit_of_work_commits_and_rolls_back(factory) -> None:
    with unit_of_work(factory) as session:
        session.add(Dossier(code="HS-1"))
    with pytest.raises(RuntimeError), unit_of_work(factory) as session:
        session.add(Dossier(code="HS-2"))
        session.flush()
        raise RuntimeError("stop")
    with factory() as session:
        assert session.scalars(select(Dossier.code)).all() == ["HS-1"]


def test_foreign_keys_are_enforced(factory) -> None:
    with pytest.raises(IntegrityError), unit_of_work(factory) as session:
        session.add(Page(document_id="0" * 32, number=1, text="x"))


def test_page_text_is_stored_nfc_with_folded_form(factory, seeded) -> None:
    decomposed = "Quye\u0302\u0301t đi\u0323nh"
    with unit_of_work(factory) as session:
        page = session.scalars(
            select(Page).where(Page.document_id == seeded.ids["linn"])
        ).one()
        page.text = decomposed
    with factory() as session:
        stored = session.scalars(
            select(Page).where(Page.document_id == seeded.ids["linn"])
        ).one()
    assert stored.text == "Quyết định"
    assert stored.text_folded == "quyet dinh"


def test_unversioned_catalogue_is_refused(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE document (id TEXT)"))
    with pytest.raises(ConfigError, match="no migration history"):
        init_schema(engine)


def _migrate(url: str) -> None:
    init_schema(make_engine(url))


def test_init_schema_from_two_processes(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_migrate, args=(url,)) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert [w.exitcode for w in workers] == [0, 0]
    assert current_revision(make_engine(url)) == head_revision()
