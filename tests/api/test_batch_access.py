"""Who reads a batch: a station key its own batches only, officers,
archivists and admins every batch; another station's batch is a 404."""

from __future__ import annotations

import pytest

from archive.apikeys import create_key
from archive.db import unit_of_work
from archive.models import Batch
from tests.api.conftest import ApiEnv
from tests.api.test_upload import wait_for_batch

NOTE = {"files": ("note.txt", b"plain text, not a scan", "text/plain")}


@pytest.fixture(scope="module")
def stations(api_env: ApiEnv) -> dict[str, dict[str, str]]:
    """Headers of two more station keys, by key name."""
    headers = {}
    with unit_of_work(api_env.ctx.sessions) as session:
        for name in ("Trạm 1", "Trạm 2"):
            _, key = create_key(session, name=name, role="station")
            headers[name] = {"Authorization": f"Bearer {key}"}
    return headers


@pytest.fixture(scope="module")
def batch_of_station_1(api_env: ApiEnv, stations) -> str:
    """A batch sent by the key "Trạm 1" whose form names "Trạm 2"."""
    answer = api_env.client.post("/batches", files=NOTE, data={"station": "Trạm 2"},
                                 headers=stations["Trạm 1"])
    assert answer.status_code == 202, answer.text
    batch_id = answer.json()["id"]
    wait_for_batch(api_env, batch_id, timeout=60, role="officer")
    return batch_id


def test_station_key_records_its_own_name(api_env, stations,
                                          batch_of_station_1) -> None:
    with api_env.ctx.sessions() as session:
        assert session.get(Batch, batch_of_station_1).station == "Trạm 1"
    answer = api_env.client.get(f"/batches/{batch_of_station_1}",
                                headers=stations["Trạm 1"])
    assert answer.status_code == 200
    assert answer.json()["station"] == "Trạm 1"
    assert answer.json()["quarantine"][0]["filename"] == "note.txt"


@pytest.mark.parametrize("length", [32, 8])
def test_other_station_gets_404_like_an_unknown_batch(
    api_env, stations, batch_of_station_1, length: int
) -> None:
    given = batch_of_station_1[:length]
    mine = api_env.client.get(f"/batches/{given}", headers=stations["Trạm 1"])
    assert mine.status_code == 200 and mine.json()["id"] == batch_of_station_1
    theirs = api_env.client.get(f"/batches/{given}", headers=stations["Trạm 2"])
    unknown_id = "0" * (length - 1) + "1"
    unknown = api_env.client.get(f"/batches/{unknown_id}",
                                 headers=api_env.auth("officer"))
    assert theirs.status_code == unknown.status_code == 404
    assert theirs.json() == {"code": "catalogue.not_found",
                             "message": f"no batch {given!r}: check the id"}
    assert unknown.json()["message"] == f"no batch {unknown_id!r}: check the id"


@pytest.mark.parametrize("role", ["officer", "archivist", "admin"])
def test_other_roles_read_every_batch(api_env, batch_of_station_1, role) -> None:
    answer = api_env.client.get(f"/batches/{batch_of_station_1}",
                                headers=api_env.auth(role))
    assert answer.status_code == 200, answer.text
    assert answer.json()["station"] == "Trạm 1"


def test_admin_upload_keeps_the_station_of_its_form(api_env: ApiEnv,
                                                    stations) -> None:
    answer = api_env.client.post("/batches", files=NOTE, data={"station": "Trạm 2"},
                                 headers=api_env.auth("admin"))
    assert answer.status_code == 202, answer.text
    batch_id = answer.json()["id"]
    done = wait_for_batch(api_env, batch_id, timeout=60, role="officer")
    assert done["station"] == "Trạm 2"
    assert api_env.client.get(f"/batches/{batch_id}",
                              headers=stations["Trạm 2"]).status_code == 200
    assert api_env.client.get(f"/batches/{batch_id}",
                              headers=stations["Trạm 1"]).status_code == 404
