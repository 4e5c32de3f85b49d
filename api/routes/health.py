"""Health: can this process reach its catalogue, its store and tesseract?"""

from __future__ import annotations

import logging

import redis
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from api.deps import ContextDep
from api.schemas import CheckPublic, HealthPublic
from core.errors import SohoaError
from ingest.context import Context
from ocr.tesseract import installed_languages

log = logging.getLogger(__name__)
router = APIRouter(tags=["health"])
PROBE_KEY = "health/probe"


@router.get("/health", response_model=HealthPublic,
            responses={503: {"model": HealthPublic}})
def health(request: Request, ctx: ContextDep) -> JSONResponse:
    """200 when every check passes, 503 with the failing check otherwise."""
    checks = {"catalogue": _catalogue(ctx), "store": _store(ctx),
              "tesseract": _tesseract(ctx.settings.ocr.ocr_languages)}
    if ctx.settings.task_cfg.tasks == "celery":
        checks["broker"] = _broker(ctx.settings.task_cfg.broker_url)
    ok = all(c.ok for c in checks.values())
    body = HealthPublic(status="ok" if ok else "unavailable",
                        version=request.app.version, checks=checks)
    return JSONResponse(body.model_dump(), status_code=200 if ok else 503)


def _catalogue(ctx: Context) -> CheckPublic:
    try:
        with ctx.sessions() as session:
            session.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        log.warning("health: catalogue unreachable: %s", type(exc).__name__)
        return CheckPublic(ok=False, detail=f"catalogue unreachable "
                           f"({type(exc).__name__})")
    return CheckPublic(ok=True, detail=ctx.sessions.kw["bind"].dialect.name)


def _store(ctx: Context) -> CheckPublic:
    try:
        ctx.store.exists(PROBE_KEY)
    except SohoaError as exc:
        log.warning("health: store unreachable [%s]", exc.code)
        return CheckPublic(ok=False, detail=f"store unreachable [{exc.code}]")
    return CheckPublic(ok=True, detail=ctx.settings.storage_cfg.storage)


def _broker(url: str) -> CheckPublic:
    """The Redis of the task queue answers a PING within two seconds."""
    try:
        client = redis.Redis.from_url(url, socket_timeout=2,
                                      socket_connect_timeout=2)
        client.ping()
        client.close()
    except redis.RedisError as exc:
        log.warning("health: broker unreachable: %s", type(exc).__name__)
        return CheckPublic(ok=False, detail=f"broker unreachable "
                           f"({type(exc).__name__})")
    return CheckPublic(ok=True, detail="redis")


def _tesseract(languages: str) -> CheckPublic:
    try:
        installed = installed_languages()
    except SohoaError as exc:
        return CheckPublic(ok=False, detail=exc.message)
    missing = [lang for lang in languages.split("+") if lang not in installed]
    if missing:
        return CheckPublic(ok=False, detail=f"missing language(s): "
                           f"{', '.join(missing)}")
    return CheckPublic(ok=True, detail=f"languages {languages} installed")

