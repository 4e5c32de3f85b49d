"""Parse a user query into words and phrases, and write it safely for FTS5
and for PostgreSQL ``tsquery``.

Words are runs of letters and digits, cut as FTS5 ``unicode61`` cuts them;
everything else (quotes aside) only separates words, so operators such as
``OR``, ``NEAR(``, ``*`` or ``-`` are searched as plain words or dropped.
Text between double quotes is a phrase. All clauses must match one page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.textfold import fold, has_diacritics, nfc

_WORD = re.compile(r"[^\W_]+")
MAX_CLAUSES = 16
MAX_QUERY_CHARS = 1000


@dataclass(frozen=True)
class Clause:
    """One word, or a phrase of several words in a row (lowercase, NFC)."""

    words: tuple[str, ...]

    def folded(self) -> Clause:
        """The same clause with every word folded."""
        return Clause(tuple(fold(w) for w in self.words))


@dataclass(frozen=True)
class ParsedQuery:
    """The clauses of a query and whether it was typed with diacritics."""

    clauses: tuple[Clause, ...]
    has_diacritics: bool

    @property
    def empty(self) -> bool:
        """True when nothing is left to search for."""
        return not self.clauses

    def folded(self) -> tuple[Clause, ...]:
        """The clauses with every word folded."""
        return tuple(c.folded() for c in self.clauses)

    def words(self) -> list[str]:
        """Every word of every clause, in order."""
        return [w for c in self.clauses for w in c.words]


def words_of(text: str) -> list[str]:
    """The lowercase words of ``text`` in NFC."""
    return _WORD.findall(nfc(text).lower())


def parse(query: str) -> ParsedQuery:
    """Split ``query`` into clauses; text between double quotes is a phrase."""
    query = nfc(query[:MAX_QUERY_CHARS])
    parts = query.split('"')
    if len(parts) % 2 == 0:  # an unclosed quote: its text is plain words
        tail = parts.pop()
        parts[-1] += " " + tail
    clauses: list[Clause] = []
    for index, part in enumerate(parts):
        words = words_of(part)
        if index % 2 and len(words) > 1:
            clauses.append(Clause(tuple(words)))
        else:
            clauses.extend(Clause((w,)) for w in words)
    unique = tuple(dict.fromkeys(clauses))[:MAX_CLAUSES]
    return ParsedQuery(unique, has_diacritics(query))


def fts5_match(clauses: tuple[Clause, ...], column: str) -> str:
    """An FTS5 MATCH expression over ``column``: quoted strings joined by AND."""
    strings = ['"' + " ".join(c.words).replace('"', '""') + '"' for c in clauses]
    return f"{{{column}}} : (" + " AND ".join(strings) + ")"


def tsquery(clauses: tuple[Clause, ...]) -> str:
    """A ``tsquery`` literal: words quoted, phrases joined by ``<->``."""
    def lexeme(word: str) -> str:
        return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"

    parts = ["(" + " <-> ".join(lexeme(w) for w in c.words) + ")" for c in clauses]
    return " & ".join(parts)
