"""Signer blocks as OCR reads them, merged with the ``Nơi nhận`` list."""

from __future__ import annotations

import pytest

from core.types import PageText
from metadata import extract
from tests.metadata.layouts import values


@pytest.mark.parametrize(("block", "capacity", "name"), [
    ("Nơi nhận: TL. GIÁM ĐỐC\n- Như trên; CHÁNH VĂN PHÒNG\n- Lưu: VT.\n"
     "Nguyễn Văn Hùng", "TL. GIÁM ĐỐC, CHÁNH VĂN PHÒNG", "Nguyễn Văn Hùng"),
    ("Nơi nhận: Q. CHỦ TỊCH\n- Lưu: VT.\nThạch Sô Phanh",
     "Q. CHỦ TỊCH", "Thạch Sô Phanh"),
    ("- Lưu: VT, TCCB. TUQ. BỘ TRƯỞNG\nVỤ TRƯỞNG VỤ TỔ CHỨC\n"
     "- Trướng phòng Số: \"T20 Bích Thu\nTH Lê Thị Bích Thuận",
     "TUQ. BỘ TRƯỞNG, VỤ TRƯỞNG VỤ TỔ CHỨC", "Lê Thị Bích Thuận"),
    ("Nơi nhận: GIAM ĐÓC\n- Như trên;\nPhạm Thị Mai",
     "GIÁM ĐỐC", "Phạm Thị Mai"),
])
def test_signer_block(block, capacity, name):
    pages = [PageText(1, "Điều 1. Nội dung."), PageText(2, block)]
    got = values(extract(pages))
    assert got["signer_capacity"] == capacity
    assert got["signer_name"] == name


def test_no_signer_block_no_signer():
    got = values(extract([PageText(1, "Điều 1. Ông Trần Anh Dũng thi hành.")]))
    assert "signer_name" not in got
    assert "signer_capacity" not in got
