"""The app under a real uvicorn server on 127.0.0.1, over real HTTP."""

from __future__ import annotations

import re
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
    refused = schema["paths"]["/search"]["get"]["responses"]["422"]
    assert refused["content"]["application/json"]["schema"]["$ref"].endswith(
        "/ValidationErrorPublic")
    fields = schema["components"]["schemas"]["ValidationErrorPublic"]["properties"]
    assert set(fields) == {"code", "message", "errors"}
    docs = httpx.get(f"{served.base_url}/docs", timeout=30)
    assert docs.status_code == 200 and "swagger" in docs.text.lower()


@pytest.mark.parametrize(("page", "assets"), [
    ("/docs", {"swagger-ui-bundle.js", "swagger-ui.css", "favicon.png"}),
    ("/redoc", {"redoc.standalone.js", "favicon.png"}),
])
def test_docs_load_nothing_from_another_host(served: Served, page: str,
                                             assets: set[str]) -> None:
    html = httpx.get(f"{served.base_url}{page}", timeout=30)
    assert html.status_code == 200
    assert not re.search(r"https?:|//[a-z]", html.text, re.IGNORECASE)
    assert "/openapi.json" in html.text
    links = re.findall(r"""(?:src|href)=["']([^"']+)["']""", html.text)
    assert {link.removeprefix("/docs-assets/") for link in links} == assets
    for link in links:
        asset = httpx.get(served.base_url + link, timeout=30)
        assert asset.status_code == 200, link
        kind = asset.headers["content-type"]
        if link.endswith(".js"):
            assert kind.startswith("text/javascript") and len(asset.content) > 500_000
        elif link.endswith(".css"):
            assert kind.startswith("text/css") and len(asset.content) > 50_000
        else:
            assert kind == "image/png" and asset.content.startswith(b"\x89PNG")


def test_swagger_ui_reads_openapi_31(served: Served) -> None:
    """The Swagger UI served renders the OpenAPI 3.1 schema FastAPI writes
    (Swagger UI 4 refuses it and shows a blank page)."""
    schema = httpx.get(f"{served.base_url}/openapi.json", timeout=30).json()
    assert schema["openapi"].startswith("3.1")
    bundle = httpx.get(f"{served.base_url}/docs-assets/swagger-ui-bundle.js",
                       timeout=30).text
    assert "SwaggerUIBundle" in bundle and "OpenAPI31" in bundle


def test_auth_and_upload_over_http(served: Served, tmp_path: Path) -> None:
    with httpx.Client(base_url=served.base_url, timeout=30) as client:
        assert client.get("/search").status_code == 401
        station = {"X-API-Key": served.keys["station"]}
        assert client.get("/search", headers=station).status_code == 403
        answer = client.post("/batches", headers=station, files={
            "files": ("../note.txt", b"plain text, not a scan", "text/plain")})
        assert answer.status_code == 202
        progress = answer.json()["progress_url"]
        assert progress.startswith("/batches/")
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
