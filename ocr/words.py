"""Words, text and confidence from tesseract's TSV output.

The TSV rows come in reading order (block, paragraph, line, word). Page text
joins the words of a line with spaces, lines with a line break and blocks
with an empty line; everything is NFC-normalised because Vietnamese marks may
come out composed or decomposed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from core.textfold import nfc
from core.types import Word

_WORD_LEVEL = "5"
_COLUMNS = 12


@dataclass
class Recognition:
    """What an engine read on one upright page image.

    Attributes:
        words: recognised words with boxes in image pixels.
        text: page text in reading order.
        pdf: a one-page PDF of the image with an invisible text layer.
    """

    words: list[Word] = field(default_factory=list)
    text: str = ""
    pdf: bytes = b""

    @property
    def mean_conf(self) -> float:
        """Mean confidence (0–100) over the real words, 0 when there are none."""
        return mean_conf(self.words)


def mean_conf(words: list[Word]) -> float:
    """Return the mean confidence of ``words`` that carry one (conf ≥ 0)."""
    confs = [w.conf for w in words if w.conf >= 0 and w.text.strip()]
    return sum(confs) / len(confs) if confs else 0.0


def parse_tsv(tsv: str) -> Recognition:
    """Build words and page text from tesseract TSV (``tessedit_create_tsv``).

    Args:
        tsv: the TSV file's text, header included.

    Returns:
        A :class:`Recognition` without PDF bytes.
    """
    words: list[Word] = []
    blocks: list[list[list[str]]] = []
    last_block = last_line = None
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t", _COLUMNS - 1)
        if len(cols) < _COLUMNS or cols[0] != _WORD_LEVEL:
            continue
        text = nfc(cols[11]).strip()
        if not text:
            continue
        block, line = cols[2], (cols[2], cols[3], cols[4])
        if block != last_block:
            blocks.append([])
            last_block = block
        if line != last_line:
            blocks[-1].append([])
            last_line = line
        blocks[-1][-1].append(text)
        words.append(_word(cols, text, line_no=sum(len(b) for b in blocks) - 1))
    page_text = "\n\n".join(
        "\n".join(" ".join(line) for line in block) for block in blocks
    )
    return Recognition(words=words, text=page_text)


def _word(cols: list[str], text: str, line_no: int) -> Word:
    left, top, width, height = (int(c) for c in cols[6:10])
    return Word(
        text=text,
        conf=round(float(cols[10]), 2),
        box=(left, top, left + width, top + height),
        line=line_no,
    )


def vertical_share(words: list[Word]) -> float:
    """Share of multi-letter words whose box is taller than wide.

    Tesseract reads a page turned by 90° as vertical text with good
    confidence; a high share tells the page needs turning.
    """
    long_words = [w for w in words if len(w.text) >= 3]
    if not long_words:
        return 0.0
    tall = sum(1 for w in long_words if w.box[3] - w.box[1] > w.box[2] - w.box[0])
    return tall / len(long_words)
