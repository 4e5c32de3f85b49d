"""Vocabulary of Vietnamese administrative documents.

Type abbreviations and names follow the appendix of Decree 30/2020/NĐ-CP
(see docs DOMAIN notes); law-level types (Nghị định, Thông tư …) are added
because their numbers carry them (``28/2021/NĐ-CP``). Lookups are done on
folded text (:func:`core.textfold.fold`), so ``QD`` finds ``QĐ``.
"""

from __future__ import annotations

from core.textfold import fold

# Type abbreviation -> type name (Decree 30/2020, appendix, complete list).
TYPE_ABBREVIATIONS: dict[str, str] = {
    "NQ": "Nghị quyết", "QĐ": "Quyết định", "CT": "Chỉ thị",
    "QC": "Quy chế", "QyĐ": "Quy định", "TC": "Thông cáo",
    "TB": "Thông báo", "HD": "Hướng dẫn", "CTr": "Chương trình",
    "KH": "Kế hoạch", "PA": "Phương án", "ĐA": "Đề án", "DA": "Dự án",
    "BC": "Báo cáo", "BB": "Biên bản", "TTr": "Tờ trình",
    "HĐ": "Hợp đồng", "CĐ": "Công điện", "BGN": "Bản ghi nhớ",
    "BTT": "Bản thỏa thuận", "GUQ": "Giấy ủy quyền", "GM": "Giấy mời",
    "GGT": "Giấy giới thiệu", "GNP": "Giấy nghỉ phép", "PG": "Phiếu gửi",
    "PC": "Phiếu chuyển", "PB": "Phiếu báo", "SY": "Bản sao y",
    "SL": "Bản sao lục", "TrS": "Bản trích sao",
    # Law-level documents: number/year/type-issuer.
    "NĐ": "Nghị định", "TT": "Thông tư", "TTLT": "Thông tư liên tịch",
    "L": "Lệnh",
}

# Issuer and unit abbreviations whose spelling (case, Đ) is certain.
ISSUER_ABBREVIATIONS: tuple[str, ...] = (
    "UBND", "HĐND", "CP", "TTg", "VPCP", "BCA", "BNV", "BTC", "BYT",
    "BGDĐT", "BKHĐT", "BLĐTBXH", "BTTTT", "BTP", "BXD", "BTNMT",
    "SGDĐT", "SKHĐT", "SLĐTBXH", "SNV", "STP", "SYT", "STC", "SXD",
    "STNMT", "STTTT", "STTT", "SVHTTDL", "SNN", "SGTVT", "SCT", "VP",
    "VPUB", "CTrTT", "CNTT", "TCCB", "KSTT", "QH", "CTN", "UBTVQH",
)

# Title words of documents that show their type name centred in capitals,
# plus forms of one-stop dossiers.
TITLE_NAMES: tuple[str, ...] = (
    *{v for v in TYPE_ABBREVIATIONS.values() if not v.startswith("Bản sao")},
    "Luật", "Tờ khai", "Đơn", "Giấy đề nghị", "Công văn",
)

# Patterns of the first words of a line at which the body starts (folded;
# "Kính gửi" is often misread: "Kinh grri").
BODY_STARTS: tuple[str, ...] = (
    r"can cu\b", r"kinh g\w{1,3}\b", r"dieu 1\b", r"xet de nghi\b",
    r"theo de nghi\b", r"chuong i\b", r"phan i\b", r"i\.", r"1\.",
    r"quyet dinh\s*:",
)

# Words that begin a territorial qualifier of an agency name (folded).
ADMIN_LEVELS: tuple[str, ...] = (
    "tinh ", "thanh pho ", "tp ", "tp. ", "huyen ", "quan ", "thi xa ",
    "xa ", "phuong ", "thi tran ",
)

# Frequent Vietnamese family names (folded), to recognise a signer's name.
_SURNAME_TEXT = (
    "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương "
    "Lý Đào Đinh Lâm Mai Trương Tạ Cao Lưu Hà Châu Thái Tô Kiều Quách "
    "Thạch Kim Sơn Lương Triệu Tôn Vương Đoàn Nông Lò Chu Từ Doãn Hứa "
    "Khổng La Mạc Phùng Tăng Thân Trịnh Đàm Lại Diệp Giang Quan Âu Văn "
    "Thạch Danh Lạc Mã Ông Bế Hầu Khúc Ninh Tống Viên Yên Lữ Đồng Cù Chế"
)
SURNAMES: frozenset[str] = frozenset(fold(s) for s in _SURNAME_TEXT.split(" "))

# Position words of a signer block (folded), and authority prefixes.
POSITIONS: tuple[str, ...] = (
    "chu tich", "giam doc", "truong", "thu tuong", "bo truong", "chanh",
    "chu nhiem", "bi thu", "cuc truong", "vu truong", "tong cuc truong",
    "hieu truong", "thu ky", "uy vien", "ke toan", "nguoi lap", "chu ho",
)
AUTHORITY_PREFIXES: tuple[str, ...] = ("tm.", "kt.", "q.", "tl.", "tuq.")


def _by_fold(names: tuple[str, ...] | list[str]) -> dict[str, list[str]]:
    table: dict[str, list[str]] = {}
    for name in names:
        table.setdefault(fold(name), []).append(name)
    return table


_TYPES_BY_FOLD = _by_fold(list(TYPE_ABBREVIATIONS))
_ISSUERS_BY_FOLD = _by_fold(ISSUER_ABBREVIATIONS)


def canonical_type(abbr: str) -> str | None:
    """Return the type abbreviation ``abbr`` stands for, spelled as in the
    decree, or ``None`` when unknown or ambiguous (``HD``: Hướng dẫn or
    Hợp đồng; kept as read when read exactly)."""
    if abbr in TYPE_ABBREVIATIONS:
        return abbr
    found = _TYPES_BY_FOLD.get(fold(abbr), [])
    return found[0] if len(found) == 1 else None


def canonical_issuer(abbr: str) -> str | None:
    """Return the known spelling of an issuer/unit abbreviation, or ``None``."""
    found = _ISSUERS_BY_FOLD.get(fold(abbr), [])
    return found[0] if len(found) == 1 else None


def type_name(abbr: str) -> str | None:
    """Type name of a type abbreviation (``QĐ`` -> ``Quyết định``)."""
    canon = canonical_type(abbr)
    return TYPE_ABBREVIATIONS[canon] if canon else None


# Phrases of agency names whose spelling is certain once folded; OCR drops
# or swaps their marks (``THÀNH PHÓ``, ``UY BAN NHAN DAN``).
AGENCY_PHRASES: tuple[str, ...] = (
    "ỦY BAN NHÂN DÂN", "HỘI ĐỒNG NHÂN DÂN", "THÀNH PHỐ", "CHÍNH PHỦ",
    "GIÁO DỤC VÀ ĐÀO TẠO", "KẾ HOẠCH VÀ ĐẦU TƯ", "VĂN PHÒNG", "THỊ XÃ",
    "THỊ TRẤN", "TƯ PHÁP", "NỘI VỤ", "TÀI CHÍNH", "Y TẾ", "CÔNG AN",
    "TÀI NGUYÊN VÀ MÔI TRƯỜNG", "THÔNG TIN VÀ TRUYỀN THÔNG",
    "NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN", "LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI",
)

# Capital phrases of signer blocks whose spelling is certain once folded.
SIGNER_PHRASES: tuple[str, ...] = (
    "ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "GIÁM ĐỐC", "BỘ TRƯỞNG", "THỦ TƯỚNG",
    "HIỆU TRƯỞNG", "CHÁNH VĂN PHÒNG", "TRƯỞNG PHÒNG", "CHỦ NHIỆM",
)
