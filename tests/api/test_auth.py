"""Keys and roles: 401 without a valid key, 403 for a role not allowed."""

from __future__ import annotations

import pytest

from archive.apikeys import create_key, hash_key, list_keys, revoke_key, verify_key
from archive.db import unit_of_work
from archive.models import ApiKey
from core.errors import InputError, NotFound
from tests.api.conftest import ApiEnv

DOC = "0123456789abcdef0123456789abcdef"
BATCH = "fedcba9876543210fedcba9876543210"

# One request per protected route group, and the roles it lets in.
ROUTES = [
    ("POST", "/batches", {"station", "admin"}),
    ("GET", f"/batches/{BATCH}", {"station", "officer", "archivist", "admin"}),
    ("GET", "/search?q=abc", {"officer", "archivist", "admin"}),
    ("GET", f"/documents/{DOC}", {"officer", "archivist", "admin"}),
    ("GET", f"/documents/{DOC}/pdf", {"officer", "archivist", "admin"}),
    ("GET", f"/documents/{DOC}/original", {"officer", "archivist", "admin"}),
    ("GET", f"/documents/{DOC}/pages/1/thumbnail", {"officer", "archivist", "admin"}),
    ("GET", f"/documents/{DOC}/pages/1/image", {"officer", "archivist", "admin"}),
    ("PATCH", f"/documents/{DOC}/fields/number", {"officer", "archivist", "admin"}),
    ("GET", "/dossiers/HS-NONE", {"officer", "archivist", "admin"}),
]
ALL_ROLES = ("station", "officer", "archivist", "admin")


def _call(env: ApiEnv, method: str, path: str, headers: dict[str, str]):
    kwargs: dict = {"headers": headers}
    if method == "PATCH":
        kwargs["json"] = {"value": "1/QĐ-UBND"}
    if method == "POST":
        kwargs["files"] = {"files": ("a.txt", b"not a scan", "text/plain")}
    return env.client.request(method, path, **kwargs)


@pytest.mark.parametrize(("method", "path", "allowed"), ROUTES)
def test_no_key_is_401_with_code(api_env: ApiEnv, method, path, allowed) -> None:
    answer = _call(api_env, method, path, {})
    assert answer.status_code == 401
    assert answer.json()["code"] == "auth.unauthenticated"
    assert answer.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize(("method", "path", "allowed"), ROUTES)
def test_roles_not_allowed_get_403(api_env: ApiEnv, method, path, allowed) -> None:
    for role in ALL_ROLES:
        answer = _call(api_env, method, path, api_env.auth(role))
        if role in allowed:
            assert answer.status_code not in (401, 403), (role, answer.text)
        else:
            assert answer.status_code == 403, (role, answer.text)
            assert answer.json()["code"] == "auth.forbidden"
            assert role in answer.json()["message"]


def test_unknown_and_malformed_keys_are_401(api_env: ApiEnv) -> None:
    good = api_env.keys["officer"]
    forged = good[:-4] + ("AAAA" if not good.endswith("AAAA") else "BBBB")
    for key in (forged, "sohoa_00000000_x", "garbage", good.replace("sohoa", "x")):
        answer = api_env.client.get("/search", headers={"X-API-Key": key})
        assert answer.status_code == 401, key
        assert answer.json() == {
            "code": "auth.unauthenticated",
            "message": answer.json()["message"],
        }


def test_x_api_key_header_and_bearer_both_work(api_env: ApiEnv) -> None:
    key = api_env.keys["officer"]
    by_header = api_env.client.get("/search", headers={"X-API-Key": key})
    by_bearer = api_env.client.get("/search", headers=api_env.auth("officer"))
    assert by_header.status_code == by_bearer.status_code == 200
    assert by_header.json() == {"data": [], "count": 0, "fuzzy": False}


def test_revoked_key_is_refused_at_once(api_env: ApiEnv) -> None:
    with unit_of_work(api_env.ctx.sessions) as session:
        row, key = create_key(session, name="short-lived", role="officer")
    headers = {"Authorization": f"Bearer {key}"}
    assert api_env.client.get("/search", headers=headers).status_code == 200
    with unit_of_work(api_env.ctx.sessions) as session:
        revoke_key(session, prefix=row.prefix)
    answer = api_env.client.get("/search", headers=headers)
    assert answer.status_code == 401


def test_only_the_hash_of_a_key_is_stored(api_env: ApiEnv) -> None:
    with unit_of_work(api_env.ctx.sessions) as session:
        row, key = create_key(session, name="Trạm 1", role="station")
    assert key.startswith(f"sohoa_{row.prefix}_") and len(key) > 50
    with api_env.ctx.sessions() as session:
        stored = session.get(ApiKey, row.id)
        assert stored.key_sha256 == hash_key(key) != key
        assert key not in (stored.prefix, stored.name, stored.key_sha256)
        assert verify_key(session, key).name == "Trạm 1"
        assert row.prefix in [k.prefix for k in list_keys(session)]


def test_key_functions_refuse_bad_input(api_env: ApiEnv) -> None:
    with api_env.ctx.sessions() as session:
        with pytest.raises(InputError, match="unknown role"):
            create_key(session, name="x", role="root")
        with pytest.raises(InputError, match="needs a name"):
            create_key(session, name="  ", role="officer")
        with pytest.raises(NotFound, match="sohoa apikey list"):
            revoke_key(session, prefix="ffffffff")
        session.rollback()


def test_errors_answer_code_and_message_only(api_env: ApiEnv) -> None:
    answer = api_env.client.get(f"/documents/{DOC}", headers=api_env.auth("admin"))
    assert answer.status_code == 404
    body = answer.json()
    assert set(body) == {"code", "message"}
    assert body["code"] == "catalogue.not_found"


def test_validation_errors_answer_code_and_message(api_env: ApiEnv) -> None:
    answer = api_env.client.get("/search?limit=0", headers=api_env.auth("officer"))
    assert answer.status_code == 422
    body = answer.json()
    assert set(body) == {"code", "message", "errors"}
    assert body["code"] == "request.invalid"
    assert body["message"] == (
        "query parameter 'limit': Input should be greater than or equal to 1")
    assert body["errors"] == [{"loc": ["query", "limit"],
                               "msg": "Input should be greater than or equal to 1",
                               "type": "greater_than_equal"}]


@pytest.mark.parametrize(("method", "path", "kwargs", "named"), [
    ("GET", "/search?limit=x&offset=-1", {}, "query parameter 'limit'"),
    ("GET", "/batches/NOT-HEX!", {}, "path parameter 'batch_id'"),
    ("PATCH", f"/documents/{DOC}/fields/number", {"json": {"value": ""}},
     "body field 'value'"),
    ("PATCH", f"/documents/{DOC}/fields/number", {"content": b"{not json"},
     "the request body"),
])
def test_validation_errors_name_the_parameter(api_env: ApiEnv, method, path,
                                              kwargs, named) -> None:
    answer = api_env.client.request(method, path, headers={
        **api_env.auth("admin"), "Content-Type": "application/json"}, **kwargs)
    assert answer.status_code == 422, answer.text
    body = answer.json()
    assert body["code"] == "request.invalid" and "detail" not in body
    assert body["message"].startswith(named + ": ")
    assert all(set(e) == {"loc", "msg", "type"} for e in body["errors"])
    if "offset" in path:
        assert len(body["errors"]) == 2 and "1 more problem" in body["message"]


def test_routing_errors_answer_code_and_message(api_env: ApiEnv) -> None:
    unknown = api_env.client.get("/nowhere", headers=api_env.auth("admin"))
    assert unknown.status_code == 404
    assert unknown.json() == {
        "code": "request.not_found",
        "message": "GET /nowhere: Not Found; the routes are listed at /docs"}
    wrong = api_env.client.delete("/search", headers=api_env.auth("admin"))
    assert wrong.status_code == 405 and wrong.headers["allow"] == "GET"
    assert wrong.json()["code"] == "request.method_not_allowed"
