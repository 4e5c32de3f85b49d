"""The app under a real uvicorn server on 127.0.0.1, over real HTTP."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import uvicorn
from fastapi import FastAPI

from api.app import create_app
from core.settings import CatalogueSettings
from ingest.context import open_context
from tests.api.conftest import hermetic_settings, make_keys


@dataclass
class Served:
    app: FastAPI
    base_url: str
    keys: dict[str, str]


@contextmanager
def serve(app: FastAPI) -> Iterator[str]:
    """Run ``app`` under uvicorn on an ephemeral loopback port in a thread;
    yield its base URL and stop it (lifespan shutdown included) at the end."""
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0,
                                           log_config=None, lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(30)
    assert not thread.is_alive(), "uvicorn did not stop"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The app of a data folder of this module, served over HTTP."""
    settings = hermetic_settings(tmp_path_factory.mktemp("served"))
    ctx = open_context(settings)
    app = create_app(settings, context=ctx)
    with serve(app) as base_url:
        yield Served(app, base_url, make_keys(ctx))


def test_health_over_http(served: Served) -> None:
    answer = httpx.get(f"{served.base_url}/health", timeout=30)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["status"] == "ok" and body["version"] == served.app.version
    assert body["checks"]["catalogue"] == {"ok": True, "detail": "sqlite"}
    assert body["checks"]["store"]["ok"] is True
    assert body["checks"]["tesseract"]["ok"] is True


def test_openapi_is_served(served: Served) -> None:
    schema = httpx.get(f"{served.base_url}/openapi.json", timeout=30).json()
    assert schema["info"]["title"] == "sohoa"
    assert {"/batches", "/search", "/documents/{document_id}/pdf",
            "/health"} <= set(schema["paths"])
    docs = httpx.get(f"{served.base_url}/docs", timeout=30)
    assert docs.status_code == 200 and "swagger" in docs.text.lower()


def test_auth_and_upload_over_http(served: Served, tmp_path: Path) -> None:
    with httpx.Client(base_url=served.base_url, timeout=30) as client:
        assert client.get("/search").status_code == 401
        station = {"X-API-Key": served.keys["station"]}
        assert client.get("/search", headers=station).status_code == 403
        answer = client.post("/batches", headers=station, files={
            "files": ("../note.txt", b"plain text, not a scan", "text/plain")})
        assert answer.status_code == 202
        progress = answer.json()["progress_url"]
        assert progress.startswith(served.base_url)
        deadline = time.monotonic() + 60
        while (body := client.get(progress, headers=station).json())["status"] in (
                "queued", "running"):
            assert time.monotonic() < deadline
            time.sleep(0.3)
    assert body["quarantine"][0]["filename"] == "note.txt"
    assert body["quarantine"][0]["code"].startswith("input.")


def test_dispatcher_thread_stops_with_the_server(tmp_path: Path) -> None:
    app = create_app(hermetic_settings(tmp_path))
    with serve(app) as base_url:
        assert httpx.get(f"{base_url}/health", timeout=30).status_code == 200
        dispatcher = app.state.dispatcher
        assert dispatcher.alive
    assert not dispatcher.alive


@pytest.mark.db
def test_keys_search_and_health_on_postgresql(pg_database: str, tmp_path: Path) -> None:
    settings = hermetic_settings(
        tmp_path, catalogue=CatalogueSettings(database_url=pg_database))
    ctx = open_context(settings)
    keys = make_keys(ctx)
    with serve(create_app(settings, context=ctx)) as base_url:
        health = httpx.get(f"{base_url}/health", timeout=30).json()
        officer = {"Authorization": f"Bearer {keys['officer']}"}
        found = httpx.get(f"{base_url}/search", params={"q": "quyết định"},
                          headers=officer, timeout=30)
        forged = httpx.get(f"{base_url}/search", timeout=30,
                           headers={"X-API-Key": keys["officer"] + "x"})
    assert health["checks"]["catalogue"] == {"ok": True, "detail": "postgresql"}
    assert found.status_code == 200 and found.json()["count"] == 0
    assert forged.status_code == 401
