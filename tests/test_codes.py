"""The dossier-code rule shared by the CLI, the API and the pipeline."""

from __future__ import annotations

import pytest

from core.codes import code_problem, from_name


@pytest.mark.parametrize("code", ["HS-2024-TV-0001", "HS/Đà-Nẵng/2024.01", "A"])
def test_good_codes(code):
    assert code_problem(code) is None


@pytest.mark.parametrize(
    ("code", "problem"),
    [("", "empty"), ("../etc", "starts or ends"), ("a..b", "'..'"),
     ("HS\n1", "U+000A"), ("x" * 101, "101 characters"), ("HS 1", "U+0020")],
)
def test_bad_codes(code, problem):
    assert problem in code_problem(code)


@pytest.mark.parametrize(
    ("name", "code"),
    [("Hồ sơ 1", "Hồ-sơ-1"), ("..", None), ("  x  ", "x"), ("HS-001", "HS-001")],
)
def test_codes_from_folder_names(name, code):
    assert from_name(name) == code
    assert code is None or code_problem(code) is None


def test_ids_are_masked_but_not_checksums_or_timestamps():
    from core.masking import mask_ids_in

    text = ("CCCD: 084190012345; key derived/03cc8b3c7e5fccd4a123456789e1f561; "
            "anchor 20261204T123456789Z; CMND 123456789.")
    assert mask_ids_in(text) == (
        "CCCD: *********345; key derived/03cc8b3c7e5fccd4a123456789e1f561; "
        "anchor 20261204T123456789Z; CMND ******789.")
