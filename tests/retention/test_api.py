"""The retention and audit routes: roles enforced on each, four eyes kept."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from archive import audit
from archive.db import unit_of_work
from archive.models import Dossier, FieldRow
from retention import schedule
from retention.classes import ensure_classes
from tests.api.conftest import ApiEnv, start_env
from tests.retention.conftest import AN, add_dossier, utc

ROUTES = [
    ("get", "/retention/classes", None),
    ("put", "/retention/classes/5y", {"name": "5 năm"}),
    ("get", "/retention/dossiers/HS-API-1", None),
    ("post", "/retention/close", {"dossier": "HS-API-1"}),
    ("post", "/retention/assign",
     {"dossier": "HS-API-1", "code": "5y", "reason": "r"}),
    ("get", "/retention/due", None),
    ("get", "/retention/holds", None),
    ("post", "/retention/holds",
     {"dossiers": ["HS-API-1"], "reason": "r", "reference": "x"}),
    ("post", "/retention/holds/abc/release", {"reason": "r"}),
    ("get", "/retention/dispositions", None),
    ("post", "/retention/dispositions", {"dossiers": ["HS-API-1"]}),
    ("get", "/retention/dispositions/abcdef12", None),
    ("post", "/retention/dispositions/abcdef12/approve", {}),
    ("post", "/retention/dispositions/abcdef12/reject", {}),
    ("post", "/retention/dispositions/abcdef12/destroy", None),
    ("get", "/audit/events", None),
    ("get", "/audit/verify", None),
    ("post", "/audit/fixity", None),
]


@pytest.fixture(scope="module")
def env(tmp_path_factory, corpus) -> Iterator[ApiEnv]:
    """The app with two dossiers; HS-API-2 closed in 2010 (due now)."""
    for api_env in start_env(tmp_path_factory.mktemp("retention-api")):
        ctx = api_env.ctx
        add_dossier(ctx, corpus, "HS-API-1")
        add_dossier(ctx, corpus, "HS-API-2",
                    name="A_vn_congvan_1906_SGDDT_2020_p2.jpg")
        with unit_of_work(ctx.sessions) as session:
            ensure_classes(session)
            due = session.scalar(select(Dossier).where(Dossier.code == "HS-API-2"))
            schedule.close_dossier(session, due, actor=AN,
                                   trigger="end_of_year_closed",
                                   closed_at=utc(2010, 1, 1))
        yield api_env


def _call(env: ApiEnv, method: str, url: str, body, headers):
    kwargs = {"headers": headers}
    if body is not None:
        kwargs["json"] = body
    return getattr(env.client, method)(url, **kwargs)


@pytest.mark.parametrize(("method", "url", "body"), ROUTES)
@pytest.mark.parametrize("role", ["station", "officer"])
def test_station_and_officer_are_refused(env, role, method, url, body):
    answer = _call(env, method, url, body, env.auth(role))
    assert answer.status_code == 403
    assert answer.json()["code"] == "auth.forbidden"


@pytest.mark.parametrize(("method", "url", "body"), ROUTES[:3])
def test_no_key_is_refused(env, method, url, body):
    answer = _call(env, method, url, body, {})
    assert answer.status_code == 401


def test_archivist_reads_classes_schedule_and_due_list(env):
    archivist = env.auth("archivist")
    names = [c["name"] for c in env.client.get("/retention/classes",
                                                headers=archivist).json()]
    assert names[0] == "Vĩnh viễn" and len(names) == 6
    schedule_ = env.client.get("/retention/dossiers/HS-API-2",
                               headers=archivist).json()
    assert schedule_["disposal_date"] == "2020-12-31"
    due = env.client.get("/retention/due", headers=archivist).json()
    assert [d["code"] for d in due["dossiers"]] == ["HS-API-2"]
    assert due["counts"] == {"10y": 1}
    before = env.client.get("/retention/due", params={"before": "2015-01-01"},
                            headers=archivist).json()
    assert before["total"] == 0


def test_four_eyes_over_http(env):
    archivist, admin = env.auth("archivist"), env.auth("admin")
    made = env.client.post("/retention/dispositions",
                           json={"all_due": True, "note": "hết giá trị"},
                           headers=archivist)
    assert made.status_code == 201
    dispo = made.json()
    assert [i["code"] for i in dispo["items"]] == ["HS-API-2"]
    own = env.client.post(f"/retention/dispositions/{dispo['id']}/approve",
                          json={}, headers=archivist)
    assert own.status_code == 403 and "four eyes" in own.json()["message"]
    early = env.client.post(f"/retention/dispositions/{dispo['id']}/destroy",
                            headers=admin)
    assert early.status_code == 409
    ok = env.client.post(f"/retention/dispositions/{dispo['id']}/approve",
                         json={"reason": "đồng ý"}, headers=admin)
    assert ok.status_code == 200 and ok.json()["decided_by"].startswith("test admin")
    gone = env.client.post(f"/retention/dispositions/{dispo['id']}/destroy",
                           headers=archivist).json()
    assert gone["state"] == "destroyed" and gone["certificate_key"]
    verify = env.client.get("/audit/verify", headers=archivist).json()
    assert verify["ok"] and verify["checked"] >= 5
    events = env.client.get("/audit/events", params={"action": "dossier.destroyed"},
                            headers=archivist).json()
    assert [e["detail"]["code"] for e in events] == ["HS-API-2"]


def test_hold_by_code_blocks_proposal_until_released(env):
    archivist = env.auth("archivist")
    with unit_of_work(env.ctx.sessions) as session:
        found = session.scalar(select(Dossier).where(Dossier.code == "HS-API-1"))
        if found.closed_at is None:
            schedule.close_dossier(session, found, actor=AN,
                                   trigger="closed_date",
                                   closed_at=utc(2001, 1, 1))
    held = env.client.post("/retention/holds", json={
        "dossiers": ["HS-API-1"], "reason": "khiếu nại", "reference": "KN-7"},
        headers=archivist)
    assert held.status_code == 201
    group = held.json()["group_id"]
    refused = env.client.post("/retention/dispositions",
                              json={"dossiers": ["HS-API-1"]}, headers=archivist)
    assert refused.status_code == 409 and "legal hold" in refused.json()["message"]
    released = env.client.post(f"/retention/holds/{group}/release",
                               json={"reason": "xong"}, headers=archivist)
    assert released.status_code == 200 and released.json()[0]["released_by"]
    assert env.client.get("/retention/holds", headers=archivist).json() == []


def test_fixity_route_checks_every_object(env):
    answer = env.client.post("/audit/fixity", headers=env.auth("admin")).json()
    assert answer["clean"] and answer["checked"] >= 1


def test_id_view_and_field_correction_are_in_the_audit_log(env):
    with unit_of_work(env.ctx.sessions) as session:
        found = session.scalar(select(Dossier).where(Dossier.code == "HS-API-1"))
        doc_id = found.documents[0].id
        session.add(FieldRow(document_id=doc_id, name="citizen_id",
                             value="084123456789", confidence=0.9, page=1))
    assert env.client.get(f"/documents/{doc_id}",
                          headers=env.auth("officer")).status_code == 200
    assert env.client.get(f"/documents/{doc_id}",
                          headers=env.auth("archivist")).status_code == 200
    fixed = env.client.patch(f"/documents/{doc_id}/fields/number",
                             json={"value": "1906/SGDĐT-CTrTT"},
                             headers=env.auth("officer"))
    assert fixed.status_code == 200
    with env.ctx.sessions() as session:
        (viewed,) = audit.events(session, action="document.id_viewed")
        (corrected,) = audit.events(session, action="field.corrected")
        assert audit.verify(session).ok
    assert viewed.subject_id == doc_id and viewed.actor.startswith("test archivist")
    assert viewed.detail == {"role": "archivist", "fields": ["citizen_id"]}
    assert corrected.detail == {
        "field": "number",
        "value_sha256": hashlib.sha256("1906/SGDĐT-CTrTT".encode()).hexdigest()}
