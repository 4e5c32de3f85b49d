"""Citizen ids and dossier codes: what is taken, what is refused, and that
ids never reach the logs unmasked."""

from __future__ import annotations

import logging
import re

import pytest

from core.types import PageText
from metadata import extract
from metadata.identifiers import DEFAULT_DOSSIER_PATTERNS


def ids(text: str) -> dict[str, float]:
    return {f.value: f.confidence for f in extract([PageText(1, text)])
            if f.name == "citizen_id"}


def test_cccd_next_to_its_label():
    assert ids("Số CCCD: 084190012345, cấp ngày 02/10/2018") == {
        "084190012345": 0.95}


@pytest.mark.parametrize("text", [
    "Số định danh cá nhân: 084 1 90 012345",
    "Căn cước công dân số 084.190.012.345",
    "Số CMND/CCCD\n084190012345",
])
def test_cccd_written_in_groups_or_under_the_label(text):
    assert ids(text) == {"084190012345": 0.95}


def test_unlabelled_valid_cccd_has_lower_confidence():
    assert ids("Ông Trần Văn A, 084190012345, trú tại Trà Vinh") == {
        "084190012345": 0.6}


def test_cmnd_only_with_a_label():
    assert ids("Số CMND: 334123456 do CA Trà Vinh cấp") == {"334123456": 0.8}
    assert ids("Tổng kinh phí 100.000.000 đồng, mã 334123456") == {}


@pytest.mark.parametrize("text", [
    "Điện thoại: 0912345678",
    "Điện thoại CCCD liên hệ 0912 345 678",
    "ngày cấp CCCD 02102018",
    "Số CCCD: 0841900123456",
    "mã hồ sơ 1.011442.000.00.00.H38 CCCD",
    "CCCD 084190012345678",
])
def test_phones_dates_and_longer_runs_are_not_ids(text):
    assert ids(text) == {}


def test_invalid_province_is_rejected_or_weak():
    assert ids("Mã số 999190012345 trong sổ") == {}
    assert ids("CCCD: 999190012345") == {"999190012345": 0.3}
    assert ids("CCCD: 084990012345") == {"084990012345": 0.3}


def test_several_ids_give_several_fields():
    text = ("Người khai CCCD: 084190012345\n"
            "Người làm chứng CCCD: 079203001122\n"
            "Nhắc lại CCCD: 084190012345")
    assert set(ids(text)) == {"084190012345", "079203001122"}


def test_ids_are_masked_in_logs(caplog):
    caplog.set_level(logging.DEBUG, logger="metadata")
    extract([PageText(1, "CCCD: 084190012345; CMND: 334123456")])
    logged = caplog.text
    assert "*********345" in logged
    assert "******456" in logged
    assert "084190012345" not in logged
    assert "334123456" not in logged


def test_default_dossier_codes():
    text = ("Mã hồ sơ: 000.00.00.H30-201203-0001\n"
            "Biên nhận H38.20-241204-0001; thủ tục 1.011442.000.00.00.H38")
    codes = [f.value for f in extract([PageText(1, text)])
             if f.name == "dossier_code"]
    assert codes == ["000.00.00.H30-201203-0001", "H38.20-241204-0001"]


def test_dossier_patterns_are_an_argument():
    text = "Mã hồ sơ: TV-2024-000123; cũ 000.00.00.H30-201203-0001"
    own = [r"\bTV-\d{4}-\d{6}\b", re.compile(r"\bXX-\d+\b")]
    codes = [f.value for f in extract([PageText(1, text)], dossier_patterns=own)
             if f.name == "dossier_code"]
    assert codes == ["TV-2024-000123"]
    assert len(DEFAULT_DOSSIER_PATTERNS) == 2
