"""One error root with stable codes, mapped to exit codes and HTTP statuses.

Every error sohoa raises on purpose derives from :class:`SohoaError`. The
mapping to a process exit code, an HTTP status or a task state happens only at
the boundaries (CLI ``main``, the FastAPI exception handler, the Celery task
base), never in the code that raises.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any


class ExitCode(IntEnum):
    """Process exit codes of the ``sohoa`` command (documented in the README)."""

    ok = 0
    failed = 1
    usage = 2
    quarantined = 3
    not_found = 4
    input_invalid = 5
    missing_dependency = 6
    storage = 7
    integrity = 8
    forbidden = 9
    conflict = 10
    interrupted = 130


class SohoaError(Exception):
    """Root of every error sohoa raises on purpose.

    ``code`` is a stable dotted string (``input.encrypted_pdf``) that callers
    and API clients may match on; the message says what to do next.
    """

    code = "sohoa.error"
    http_status = 500
    exit_code = ExitCode.failed

    def __init__(self, message: str, **context: Any) -> None:
        super().__init__(message)
        self.message = message
        self.context = {k: v for k, v in context.items() if v is not None}

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), self.message, self.context))

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON shape used in API error bodies and ``--json``."""
        return {"code": self.code, "message": self.message, **self.context}


def _rebuild(cls: type[SohoaError], message: str, context: dict[str, Any]):
    return cls(message, **context)


class ConfigError(SohoaError):
    code = "config.invalid"
    exit_code = ExitCode.usage


class MissingDependency(SohoaError):
    code = "dependency.missing"
    exit_code = ExitCode.missing_dependency


class InputError(SohoaError):
    """A file of a batch cannot be read; it goes to quarantine."""

    code = "input.invalid"
    http_status = 422
    exit_code = ExitCode.input_invalid


class EmptyFile(InputError):
    code = "input.empty"


class UnsupportedFormat(InputError):
    code = "input.unsupported_format"


class CorruptFile(InputError):
    code = "input.corrupt"


class EncryptedPdf(InputError):
    code = "input.encrypted_pdf"


class ImageTooLarge(InputError):
    code = "input.too_large"


class EmptyPage(InputError):
    code = "input.empty_page"


class OcrError(SohoaError):
    code = "ocr.failed"
    exit_code = ExitCode.failed


class WorkerDied(OcrError):
    """The process reading a page died (out of memory, a native crash)."""

    code = "ocr.worker_died"


class StorageError(SohoaError):
    code = "storage.failed"
    http_status = 503
    exit_code = ExitCode.storage


class ObjectNotFound(StorageError):
    code = "storage.not_found"
    http_status = 404
    exit_code = ExitCode.not_found


class ObjectLocked(StorageError):
    code = "storage.locked"
    http_status = 409
    exit_code = ExitCode.conflict


class BadStorageRequest(StorageError):
    """An invalid object key, range or retention date given to a store."""

    code = "storage.bad_request"
    http_status = 400
    exit_code = ExitCode.usage


class IntegrityError(SohoaError):
    code = "integrity.mismatch"
    http_status = 500
    exit_code = ExitCode.integrity


class NotFound(SohoaError):
    code = "catalogue.not_found"
    http_status = 404
    exit_code = ExitCode.not_found


class Conflict(SohoaError):
    code = "catalogue.conflict"
    http_status = 409
    exit_code = ExitCode.conflict


class Forbidden(SohoaError):
    code = "auth.forbidden"
    http_status = 403
    exit_code = ExitCode.forbidden


class Unauthenticated(SohoaError):
    code = "auth.unauthenticated"
    http_status = 401
    exit_code = ExitCode.forbidden
