"""Domain types passed between the pipeline stages.

They are plain dataclasses that round-trip through JSON (``to_dict`` /
``from_dict``), so a stage can run in this process or as a Celery task on
another machine with ids and small JSON documents as arguments.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any


class DocState(StrEnum):
    """Life cycle of a document in the pipeline."""

    received = "received"
    ocr_done = "ocr_done"
    extracted = "extracted"
    archived = "archived"
    quarantined = "quarantined"


class PageSource(StrEnum):
    """Where a page's text came from."""

    ocr = "ocr"
    text_layer = "text_layer"


@dataclass(frozen=True)
class Word:
    """One recognised word; ``box`` is (left, top, right, bottom) in pixels
    of the upright page image, ``conf`` 0–100."""

    text: str
    conf: float
    box: tuple[int, int, int, int]
    line: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "conf": self.conf, "box": list(self.box),
                "line": self.line}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Word:
        return cls(d["text"], float(d["conf"]), tuple(d["box"]), d.get("line", 0))


@dataclass
class PageText:
    """What the OCR stage knows about one page."""

    number: int
    text: str
    words: list[Word] = field(default_factory=list)
    mean_conf: float = 0.0
    width: int = 0
    height: int = 0
    dpi: int = 300
    rotation: int = 0
    skew: float = 0.0
    source: PageSource = PageSource.ocr
    needs_rescan: bool = False

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["words"] = [w.to_dict() for w in self.words]
        d["source"] = str(self.source)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> PageText:
        d = dict(d)
        d["words"] = [Word.from_dict(w) for w in d.get("words", [])]
        d["source"] = PageSource(d.get("source", "ocr"))
        return cls(**d)


@dataclass(frozen=True)
class FieldValue:
    """One extracted metadata field with its confidence (0–1) and page."""

    name: str
    value: str
    confidence: float
    page: int
    raw: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> FieldValue:
        return cls(**d)


# Names of the metadata fields, used the same way in every package.
FIELD_NAMES = (
    "number",        # số và ký hiệu, e.g. 1949/QĐ-UBND
    "code_number",   # the number part, 1949
    "code_notation",  # the symbol part, QĐ-UBND
    "issued_date",   # ISO date
    "place",         # place of the place-and-date line
    "agency",        # issuing agency (header, left block)
    "parent_agency",  # line above the issuing agency
    "doc_type",      # Quyết định, Công văn …
    "summary",       # trích yếu
    "signer_name",
    "signer_capacity",  # KT. CHỦ TỊCH / PHÓ CHỦ TỊCH …
    "dossier_code",
    "citizen_id",    # 12-digit CCCD or 9-digit CMND (personal data)
)
