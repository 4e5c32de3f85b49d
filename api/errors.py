"""Error answers of the API: every error is ``{"code", "message"}``.

:class:`core.errors.SohoaError` maps to its own code and status; a request
that fails FastAPI's validation answers 422 ``request.invalid`` with the first
problem in ``message`` and every problem in ``errors``; an unknown path or
method answers ``request.not_found`` or ``request.method_not_allowed``;
anything else is a 500 ``server.error`` whose cause goes to the log only.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from core.errors import SohoaError

log = logging.getLogger(__name__)

REQUEST_INVALID = "request.invalid"
# Codes of the answers of the routing itself (unknown path, wrong method).
_HTTP_CODES = {404: "request.not_found", 405: "request.method_not_allowed"}
# Where a parameter was sent, as FastAPI names it first in ``loc``.
_PLACES = {"query": "query parameter", "path": "path parameter",
           "header": "header", "cookie": "cookie", "body": "body field"}


def install_error_handlers(app: FastAPI) -> None:
    """Answer every error of ``app`` as ``{"code", "message"}``."""
    app.add_exception_handler(SohoaError, _sohoa_error)
    app.add_exception_handler(RequestValidationError, _request_invalid)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected_error)


def validation_body(errors: Sequence[Any]) -> dict[str, Any]:
    """The 422 body for FastAPI's validation ``errors``.

    ``errors`` keeps where (``loc``), what (``msg``) and the kind (``type``)
    of each problem; the value sent is not echoed back.
    """
    problems = [{"loc": [str(p) if not isinstance(p, int) else p
                         for p in e.get("loc", ())],
                 "msg": str(e.get("msg", "")), "type": str(e.get("type", ""))}
                for e in errors]
    if not problems:
        message = "the request is invalid; check it against /docs"
    else:
        first = problems[0]
        message = f"{_where(first['loc'])}: {first['msg']}"
        if len(problems) > 1:
            message += f" (and {len(problems) - 1} more problem(s), see 'errors')"
    return {"code": REQUEST_INVALID, "message": message, "errors": problems}


def _where(loc: list[Any]) -> str:
    """``query parameter 'limit'`` for ``["query", "limit"]``."""
    if not loc:
        return "the request"
    place, *path = loc
    name = ".".join(str(p) for p in path)
    if place == "body" and all(isinstance(p, int) for p in path):
        return "the request body"  # not JSON: ``loc`` holds an offset
    return f"{_PLACES.get(str(place), str(place))} {name!r}"


async def _request_invalid(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    body = validation_body(exc.errors())
    log.debug("%s %s refused: %s", request.method, request.url.path,
             body["message"])
    return JSONResponse(body, status_code=422)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    code = _HTTP_CODES.get(exc.status_code, "request.refused")
    message = f"{request.method} {request.url.path}: {exc.detail}"
    if exc.status_code == 404:
        message += "; the routes are listed at /docs"
    return JSONResponse({"code": code, "message": message},
                        status_code=exc.status_code, headers=exc.headers)


async def _sohoa_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, SohoaError)
    status = exc.http_status
    if status >= 500:
        log.error("%s %s failed: %s [%s]", request.method, request.url.path,
                  exc.message, exc.code)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    body = {"code": exc.code, "message": exc.message}
    return JSONResponse(body, status_code=status, headers=headers)


async def _unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    log.error("%s %s failed unexpectedly", request.method, request.url.path,
              exc_info=exc)
    body = {"code": "server.error",
            "message": "the server failed; the cause is in its log"}
    return JSONResponse(body, status_code=500)
