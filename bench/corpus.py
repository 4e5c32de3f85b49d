"""The real scans the benchmarks read, from ``../shared/corpus``."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("SOHOA_CORPUS", ROOT.parent / "shared" / "corpus"))

# An office batch: letters, a decision, a decree, a fax-like TIFF, all
# upright.
UPRIGHT = (
    "A_vn_quyetdinh_1949_TraVinh_2018_rendered.pdf",
    "A_vn_congvan_SGDDT_DaNang_2019_ccitt_scan.pdf",
    "A_vn_congvan_1906_SGDDT_2020_p1.jpg",
    "A_vn_congvan_1906_SGDDT_2020_p2.jpg",
    "A_vn_nghidinh_28-2021-ND-CP_p1_scan.jpg",
    "C_paperless_multi-page-images-alpha.tiff",
)
# The same with a document whose pages are turned by 0, 90, 180 and 270°.
WITH_TURNED = (*UPRIGHT, "B_ocrmypdf_cardinal.pdf")
