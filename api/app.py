"""The FastAPI application factory: nothing is built at import time."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.metadata import PackageNotFoundError, version

from fastapi import FastAPI

from api.dispatch import BatchDispatcher, ThreadDispatcher
from api.docs import mount_docs
from api.errors import install_error_handlers
from api.routes import audit as audit_routes
from api.routes import batches, documents, dossiers, health, retention, search
from core.settings import Settings
from ingest.context import Context, open_context

log = logging.getLogger(__name__)

DESCRIPTION = """\
Upload scanned batches, follow their progress, search dossiers and documents,
fetch searchable PDFs, originals and page images, and correct fields.

Send an API key as `Authorization: Bearer <key>` or `X-API-Key: <key>`
(`sohoa apikey create`). Roles: `station` uploads; `officer` searches, reads
and corrects fields (citizen IDs masked); `archivist` also sees citizen IDs;
`admin` may do everything. Errors answer `{"code": ..., "message": ...}`;
a request that fails validation answers 422 `request.invalid` with every
problem in `errors`.
"""


def package_version() -> str:
    """The installed version of sohoa."""
    try:
        return version("sohoa")
    except PackageNotFoundError:
        return "0.0.0"


def create_app(
    settings: Settings,
    *,
    context: Context | None = None,
    dispatcher: BatchDispatcher | None = None,
) -> FastAPI:
    """Build the API for ``settings``.

    Args:
        settings: the settings of this process.
        context: an open pipeline context; opened at startup when not given.
        dispatcher: where uploaded batches go; a worker thread of this
            process when not given.
    """
    app = FastAPI(
        title="sohoa",
        version=package_version(),
        description=DESCRIPTION,
        lifespan=_lifespan(settings, context, dispatcher),
        docs_url=None,
        redoc_url=None,
    )
    install_error_handlers(app)
    mount_docs(app)
    for module in (batches, search, documents, dossiers, health, retention,
                   audit_routes):
        app.include_router(module.router)
    return app


def _lifespan(
    settings: Settings, context: Context | None, dispatcher: BatchDispatcher | None
):
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        ctx = context or open_context(settings)
        app.state.context = ctx
        app.state.dispatcher = dispatcher or _dispatcher(settings, ctx)
        log.info("API started, data under %s", settings.data_dir)
        try:
            yield
        finally:
            app.state.dispatcher.close()
            log.info("API stopped")

    return lifespan


def _dispatcher(settings: Settings, ctx: Context) -> BatchDispatcher:
    """Celery workers when ``SOHOA_TASKS=celery``, else a thread here."""
    if settings.task_cfg.tasks == "celery":
        from api.celery_dispatch import CeleryDispatcher

        return CeleryDispatcher(ctx)
    return ThreadDispatcher(ctx)
