"""Retention classes, rules, overrides, dates and due lists (no OCR)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from archive import audit
from archive.db import unit_of_work
from core.errors import ConfigError, Conflict, Forbidden, InputError
from retention import classes, holds, schedule
from retention.actor import Actor
from retention.due import due_list, transfer_date
from tests.retention.conftest import AN, add_dossier, dossier, fs_context, utc

END_OF_YEAR = "end_of_year_closed"


def test_seeded_classes_follow_the_domain_notes(fs_ctx):
    with fs_ctx.sessions() as session:
        rows = classes.list_classes(session)
    assert [(c.code, c.years) for c in rows] == [
        ("permanent", None), ("70y", 70), ("50y", 50), ("20y", 20), ("10y", 10),
        ("5y", 5)]
    assert rows[0].name == "Vĩnh viễn"
    assert all("10/2022/TT-BNV" in c.legal_basis for c in rows)


def test_classes_can_be_seeded_from_a_file(tmp_path):
    source = tmp_path / "classes.json"
    source.write_text(json.dumps([
        {"code": "perm", "name": "Vĩnh viễn", "years": None,
         "legal_basis": "Quyết định 12/QĐ-UBND"},
        {"code": "15y", "name": "15 năm", "years": 15, "doc_types": ["Tờ trình"]},
    ]), encoding="utf-8")
    ctx = fs_context(tmp_path / "a")
    with unit_of_work(ctx.sessions) as session:
        session.execute(classes.RetentionClass.__table__.delete())
        assert classes.ensure_classes(session, source) == 2
        assert classes.get_class(session, "15y").doc_types == ["Tờ trình"]
    (tmp_path / "bad.json").write_text("{}", encoding="utf-8")
    with unit_of_work(ctx.sessions) as session, pytest.raises(ConfigError):
        session.execute(classes.RetentionClass.__table__.delete())
        classes.ensure_classes(session, tmp_path / "bad.json")


def test_trigger_and_disposal_dates():
    closed = dt.date(2020, 3, 15)
    assert schedule.trigger_date(closed, END_OF_YEAR) == dt.date(2020, 12, 31)
    assert schedule.trigger_date(closed, "closed_date") == closed
    assert schedule.add_years(dt.date(2020, 2, 29), 5) == dt.date(2025, 2, 28)


def test_rules_pick_the_class_from_types_or_procedure(fs_ctx, corpus):
    add_dossier(fs_ctx, corpus, "HS-CV", doc_type="Công văn")
    add_dossier(fs_ctx, corpus, "HS-QD", name="A_vn_congvan_1906_SGDDT_2020_p2.jpg",
                doc_type="Quyết định")
    with unit_of_work(fs_ctx.sessions) as session:
        classes.update_class(session, "20y", actor=AN,
                             procedures=["1.011442.000.00.00.H38"])
        letter, decision = dossier(session, "HS-CV"), dossier(session, "HS-QD")
        assert schedule.class_for(session, letter).code == "10y"
        assert schedule.class_for(session, decision).code == "50y"
        letter.procedure_code = "1.011442.000.00.00.H38"
        assert schedule.class_for(session, letter).code == "20y"
        letter.documents[0].doc_type = "Tờ khai"
        letter.procedure_code = None
        assert schedule.class_for(session, letter).code == "permanent"


def test_close_computes_dates_and_override_records_who_and_why(fs_ctx, corpus):
    add_dossier(fs_ctx, corpus, "HS-1")
    with unit_of_work(fs_ctx.sessions) as session:
        found = dossier(session, "HS-1")
        schedule.close_dossier(session, found, actor=AN, trigger=END_OF_YEAR,
                               closed_at=utc(2019, 6, 3))
        assert (found.retention_class, found.retention_trigger,
                found.disposal_date) == ("10y", dt.date(2019, 12, 31),
                                         dt.date(2029, 12, 31))
        with pytest.raises(Conflict):
            schedule.close_dossier(session, found, actor=AN, trigger=END_OF_YEAR)
        with pytest.raises(InputError):
            schedule.override_class(session, found, "5y", actor=AN, reason=" ",
                                    trigger=END_OF_YEAR)
        schedule.override_class(session, found, "5y", actor=AN,
                                reason="hồ sơ trùng lặp", trigger="closed_date")
    with fs_ctx.sessions() as session:
        found = dossier(session, "HS-1")
        body = schedule.schedule_body(found)
        (event,) = audit.events(session, action="dossier.class_overridden")
    assert body["retention_class"] == "5y"
    assert body["trigger_date"] == "2019-06-03"
    assert body["disposal_date"] == "2024-06-03"
    assert body["override_by"] == "Nguyễn Văn An (aaaa0001)"
    assert body["override_reason"] == "hồ sơ trùng lặp"
    assert event.detail["before"] == "10y" and event.actor == AN.label


def test_a_longer_class_after_closing_moves_the_lock_later(fs_ctx, corpus):
    add_dossier(fs_ctx, corpus, "HS-1")
    store = fs_ctx.store
    with unit_of_work(fs_ctx.sessions) as session:
        found = dossier(session, "HS-1")
        schedule.close_dossier(session, found, actor=AN, trigger=END_OF_YEAR,
                               closed_at=utc(2024, 3, 1), store=store)
        key = schedule.dossier_objects(session, found.id)[0].key
        assert store.stat(key).retain_until.date() == dt.date(2034, 12, 31)
        schedule.override_class(session, found, "20y", actor=AN, reason="khiếu nại",
                                trigger=END_OF_YEAR, store=store)
        assert store.stat(key).retain_until.date() == dt.date(2044, 12, 31)
        schedule.override_class(session, found, "5y", actor=AN, reason="bản sao",
                                trigger=END_OF_YEAR, store=store)
        obj = schedule.dossier_objects(session, found.id)[0]
        assert found.disposal_date == dt.date(2029, 12, 31)
    # A lock never moves earlier: the store and the catalogue row keep 2044.
    assert store.stat(key).retain_until.date() == dt.date(2044, 12, 31)
    assert obj.retain_until.date() == dt.date(2044, 12, 31)


def test_an_officer_cannot_close_or_edit(fs_ctx, corpus):
    add_dossier(fs_ctx, corpus, "HS-1")
    officer = Actor("Lê Văn Cán", "officer", "cccc0003")
    with unit_of_work(fs_ctx.sessions) as session:
        with pytest.raises(Forbidden):
            schedule.close_dossier(session, dossier(session, "HS-1"),
                                   actor=officer, trigger=END_OF_YEAR)
        with pytest.raises(Forbidden):
            classes.update_class(session, "5y", actor=officer, years=3)


def test_due_list_counts_per_class_leaves_out_holds_and_warns(fs_ctx, corpus):
    closings = {"HS-A": (utc(2010, 4, 1), "10y"), "HS-B": (utc(2015, 1, 9), "5y"),
                "HS-C": (utc(2016, 2, 2), "5y"), "HS-D": (utc(2011, 1, 1), "10y"),
                "HS-P": (utc(2000, 1, 1), "permanent")}
    add_dossier(fs_ctx, corpus, "HS-B")  # the held one has an object
    with unit_of_work(fs_ctx.sessions) as session:
        for code, (closed, cls) in closings.items():
            if code != "HS-B":
                session.add(schedule.Dossier(code=code))
                session.flush()
            found = dossier(session, code)
            schedule.close_dossier(session, found, actor=AN, trigger=END_OF_YEAR,
                                   closed_at=closed)
            schedule.override_class(session, found, cls, actor=AN, reason="test",
                                    trigger=END_OF_YEAR)
        holds.place_hold(session, fs_ctx.store, [dossier(session, "HS-B")],
                         actor=AN, reason="thanh tra", reference="TTr-12/2021")
    with fs_ctx.sessions() as session:
        on_day = due_list(session, today=dt.date(2021, 12, 1))
        later = due_list(session, today=dt.date(2021, 12, 1),
                         before=dt.date(2021, 12, 31))
    # HS-A (2020-12-31) is due; HS-B (2020-12-31) is held; HS-C and HS-D end
    # on 2021-12-31, 30 days ahead: warnings; HS-P never.
    assert [d.code for d in on_day.due] == ["HS-A"]
    assert on_day.held == 1 and on_day.counts == {"10y": 1}
    assert {w["code"] for w in on_day.body()["warnings"]} == {"HS-C", "HS-D"}
    assert sorted(d.code for d in later.due) == ["HS-A", "HS-C", "HS-D"]
    assert later.counts == {"10y": 2, "5y": 1}


def test_transfer_is_due_a_year_after_closing(fs_ctx):
    with unit_of_work(fs_ctx.sessions) as session:
        session.add(schedule.Dossier(code="HS-T"))
        session.flush()
        found = dossier(session, "HS-T")
        schedule.close_dossier(session, found, actor=AN, trigger=END_OF_YEAR,
                               closed_at=utc(2021, 3, 10))
        assert transfer_date(found) == dt.date(2022, 3, 10)
        body = due_list(session, today=dt.date(2022, 2, 20)).body()
    assert [(w["kind"], w["code"], w["date"]) for w in body["warnings"]] == [
        ("transfer", "HS-T", "2022-03-10")]
