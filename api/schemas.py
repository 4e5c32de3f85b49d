"""Request and response shapes of the API, kept apart from the ORM models."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field


class ErrorPublic(BaseModel):
    """The body of every error answer: a stable code and what to do."""

    code: str
    message: str


class ProblemPublic(BaseModel):
    """One problem of a refused request: where, what, and its kind."""

    loc: list[str | int] = Field(description='e.g. ["query", "limit"]')
    msg: str
    type: str


class ValidationErrorPublic(ErrorPublic):
    """A request refused by validation (``request.invalid``): ``message``
    names the first problem, ``errors`` lists them all."""

    errors: list[ProblemPublic]


class BatchAccepted(BaseModel):
    """Answer to an upload: the batch is queued; follow ``progress_url``."""

    id: str
    status: str
    files: int
    progress_url: str


class QuarantinePublic(BaseModel):
    """A file or page of the batch that went to quarantine."""

    filename: str
    page: int
    code: str
    reason: str


class BatchPublic(BaseModel):
    """Progress and outcome of a batch."""

    id: str
    station: str
    status: str
    files_total: int
    files_done: int
    pages_total: int
    pages_done: int
    duplicates: int
    quarantined: int
    created_at: dt.datetime
    finished_at: dt.datetime | None
    quarantine: list[QuarantinePublic]
    documents: list[str] = Field(description="ids of the archived documents")
    error: str | None = Field(default=None,
                              description="why the batch failed, when it did")


class FieldPublic(BaseModel):
    """One metadata field; citizen IDs are masked for officers."""

    name: str
    value: str
    confidence: float
    page: int
    verified_by: str | None = None
    verified_at: dt.datetime | None = None


class FieldUpdate(BaseModel):
    """A corrected field value."""

    value: str = Field(min_length=1, max_length=5000)


class DossierRef(BaseModel):
    id: str
    code: str


class DocumentPublic(BaseModel):
    """A document's catalogue record with its fields."""

    id: str
    dossier: DossierRef
    filename: str
    media_type: str
    original_sha256: str
    pages: int
    state: str
    doc_type: str | None
    number: str | None
    issued_date: dt.date | None
    agency: str | None
    summary: str | None
    mean_conf: float | None
    archived_at: dt.datetime | None
    fields: list[FieldPublic]


class DocumentSummary(BaseModel):
    """A document as listed in a dossier."""

    id: str
    filename: str
    state: str
    pages: int
    doc_type: str | None
    number: str | None
    issued_date: dt.date | None


class DossierPublic(BaseModel):
    """A dossier (hồ sơ) and its documents."""

    id: str
    code: str
    title: str
    state: str
    created_at: dt.datetime
    retention_class: str | None
    disposal_date: dt.date | None
    documents: list[DocumentSummary]


class PageHitPublic(BaseModel):
    """A matching page; matched words of the snippet are between « and »."""

    page: int
    snippet: str


class SearchHitPublic(BaseModel):
    """One matching document."""

    dossier_id: str
    dossier_code: str
    document_id: str
    filename: str
    doc_type: str | None
    number: str | None
    issued_date: dt.date | None
    agency: str | None
    score: float
    pages: list[PageHitPublic]


class SearchPublic(BaseModel):
    """A page of search hits; ``count`` is the number of matching documents."""

    data: list[SearchHitPublic]
    count: int
    fuzzy: bool = False


class CheckPublic(BaseModel):
    ok: bool
    detail: str = ""


class HealthPublic(BaseModel):
    """Whether the catalogue, the store and tesseract are usable."""

    status: str
    version: str
    checks: dict[str, CheckPublic]
