"""The interactive API documentation, served from this app alone.

Swagger UI (``/docs``) and Redoc (``/redoc``) load their scripts, styles and
icon from :data:`ASSETS`, files shipped by the ``fastapi-offline`` package,
so both pages work in an office without internet access: nothing on them
comes from another host.
"""

from __future__ import annotations

from importlib.resources import files

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

DOCS = "/docs"
REDOC = "/redoc"
ASSETS = "/docs-assets"
# Swagger UI would otherwise send the schema to an online validator.
_PARAMETERS = {"validatorUrl": None}


def mount_docs(app: FastAPI) -> None:
    """Serve Swagger UI at :data:`DOCS` and Redoc at :data:`REDOC`.

    ``app`` must be built with ``docs_url=None`` and ``redoc_url=None`` so
    FastAPI's own pages, which load their scripts from a CDN, are not added.
    """
    static = files("fastapi_offline") / "static"
    app.mount(ASSETS, StaticFiles(directory=str(static)), name="docs-assets")

    async def swagger_ui(request: Request) -> HTMLResponse:
        root = _root(request)
        return get_swagger_ui_html(
            openapi_url=f"{root}{app.openapi_url}",
            title=f"{app.title} API",
            swagger_js_url=f"{root}{ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{root}{ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{root}{ASSETS}/favicon.png",
            oauth2_redirect_url=None,
            swagger_ui_parameters=_PARAMETERS,
        )

    async def redoc(request: Request) -> HTMLResponse:
        root = _root(request)
        return get_redoc_html(
            openapi_url=f"{root}{app.openapi_url}",
            title=f"{app.title} API",
            redoc_js_url=f"{root}{ASSETS}/redoc.standalone.js",
            redoc_favicon_url=f"{root}{ASSETS}/favicon.png",
            with_google_fonts=False,
        )

    app.add_api_route(DOCS, swagger_ui, include_in_schema=False)
    app.add_api_route(REDOC, redoc, include_in_schema=False)


def _root(request: Request) -> str:
    """The path the app is mounted under behind a proxy, without a last /."""
    return str(request.scope.get("root_path", "")).rstrip("/")
