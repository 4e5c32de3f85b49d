"""/health checks the task broker when batches go to Celery workers."""

from __future__ import annotations

from fastapi.testclient import TestClient

from api.app import create_app
from api.dispatch import ThreadDispatcher
from core.settings import TaskSettings, load_settings
from ingest.context import open_context
from tests.servers.ports import free_port


def _health(tmp_path, broker_url: str) -> tuple[int, dict]:
    settings = load_settings(
        data_dir=tmp_path / "data",
        task_cfg=TaskSettings(tasks="celery", broker_url=broker_url))
    ctx = open_context(settings)
    app = create_app(settings, context=ctx, dispatcher=ThreadDispatcher(ctx))
    with TestClient(app) as client:
        answer = client.get("/health")
    return answer.status_code, answer.json()


def test_broker_that_answers(tmp_path, redis_url):
    status, body = _health(tmp_path, redis_url)
    assert status == 200
    assert body["checks"]["broker"]["ok"] is True


def test_broker_that_is_down(tmp_path):
    status, body = _health(tmp_path, f"redis://127.0.0.1:{free_port()}/0")
    assert status == 503
    assert body["checks"]["broker"] == {
        "ok": False, "detail": "broker unreachable (ConnectionError)"}
