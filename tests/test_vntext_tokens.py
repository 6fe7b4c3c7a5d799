"""vntext.syllables and vntext.document_numbers: the words and document numbers texts are compared by."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import vntext

PROPERTY = settings(max_examples=300, deadline=None)

VIETNAMESE_LETTERS = "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ"
TEXT_CHARS = VIETNAMESE_LETTERS + VIETNAMESE_LETTERS.upper() + "0123456789 .,;:!?()/-%\n\"'"


def reference_syllables(text: str) -> list[str]:
    """The slow, obvious definition: fold the normalised text, lower-case it, take [a-z0-9] runs."""
    return re.findall(r"[a-z0-9]+", vntext.fold(vntext.normalize(text)).lower())


# --- syllables -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Đề án 06, số hoá; Uỷ ban", ["de", "an", "06", "so", "hoa", "uy", "ban"]),
        ("ĐẨY MẠNH cải cách", ["day", "manh", "cai", "cach"]),
        ("Nghị định 107/2020/NĐ-CP", ["nghi", "dinh", "107", "2020", "nd", "cp"]),
        ("một cửa, một cửa liên thông", ["mot", "cua", "mot", "cua", "lien", "thong"]),
        ("", []),
        ("  ...  ", []),
    ],
)
def test_syllables_examples(text, expected):
    assert vntext.syllables(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("giai đoạn 2016–2020", ["giai", "doan", "2016", "2020"]),  # en dash separates
        ("“Bàu Tre”", ["bau", "tre"]),  # curly quotes
        ("Bình\u00a0An", ["binh", "an"]),  # no-break space from &nbsp;
        ("220 m² đất", ["220", "m", "dat"]),  # symbols separate
        ("snake_case", ["snake", "case"]),  # underscore is not a letter
        ("Tiếng Việt và 中文", ["tieng", "viet", "va"]),  # other scripts are dropped
    ],
)
def test_syllables_treat_other_characters_as_separators(text, expected):
    assert vntext.syllables(text) == expected


@pytest.mark.parametrize(("one", "other"), [("Uỷ ban", "Ủy ban"), ("hoá đơn", "hóa đơn"), ("thuỷ lợi", "thủy lợi"), ("Hoà Bình", "HÒA BÌNH")])
def test_syllables_do_not_depend_on_tone_placement_or_case(one, other):
    assert vntext.syllables(one) == vntext.syllables(other)


def test_syllables_of_decomposed_text_equal_those_of_composed_text():
    text = "Trung tâm Phục vụ hành chính công tỉnh tiếp nhận hồ sơ đúng hạn 98,7%"
    assert vntext.syllables(unicodedata.normalize("NFD", text)) == vntext.syllables(text)


@PROPERTY
@given(st.text(alphabet=TEXT_CHARS, max_size=80))
def test_syllables_equal_the_reference_definition(text):
    assert vntext.syllables(text) == reference_syllables(text)


def test_syllables_of_the_sample_articles_equal_the_reference_definition():
    from conftest import ROOT

    for path in sorted((ROOT / "content" / "articles").rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        assert vntext.syllables(text) == reference_syllables(text), path


# --- document_numbers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Công văn số 2410/UBND-KSTT ngày 12/7/2021", {"2410/UBND-KSTT"}),
        ("theo Nghị định 107/2020/NĐ-CP của Chính phủ", {"107/2020/ND-CP"}),
        ("Nghị quyết 39-NQ/TW của Bộ Chính trị", {"39-NQ/TW"}),
        ("Kế hoạch số 1275/KH-UBND.", {"1275/KH-UBND"}),
        ("Quyết định số 06/QĐ-TTg", {"6/QD-TTG"}),  # leading zeros dropped, upper-case ASCII
        ("Chỉ thị số 03/CT-UBND và Chỉ thị 3/CT-UBND", {"3/CT-UBND"}),  # one document
        ("Nghị quyết số 30c/NQ-CP", {"30C/NQ-CP"}),
        ("Nghị quyết số 653/2019/UBTVQH14", {"653/2019/UBTVQH14"}),
        ("(Quyết định 3012/QĐ-UBND)", {"3012/QD-UBND"}),
        ("Nghị quyết 18–NQ/TW", {"18-NQ/TW"}),  # en dash as typed by word processors
        ("Thông tư số 01/2023/TT-VPCP, Nghị quyết 76/NQ-CP", {"1/2023/TT-VPCP", "76/NQ-CP"}),
    ],
)
def test_document_numbers_examples(text, expected):
    assert vntext.document_numbers(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "ngày 31/12/2022",  # a date
        "xếp thứ 35/63 tỉnh, thành phố",  # a rank
        "hoàn thành 23/28 nhiệm vụ",
        "quý I/2019",
        "ISO 9001:2008",
        "COVID-19",
        "giai đoạn 2021-2025",
        "Nghị định 45/2020",  # no kind and issuer: not enough to name a document
        "mã x2410/UBND",  # glued to a word
        "123456/QĐ-UBND",  # six digits
        "",
    ],
)
def test_document_numbers_ignore_what_is_not_a_document_number(text):
    assert vntext.document_numbers(text) == set()


def test_document_numbers_of_decomposed_text():
    text = "Thực hiện Nghị định số 61/2018/NĐ-CP và Kế hoạch 125/KH-UBND"
    assert vntext.document_numbers(unicodedata.normalize("NFD", text)) == {"61/2018/ND-CP", "125/KH-UBND"}


def test_document_numbers_in_the_sample_articles():
    from conftest import ROOT

    path = next((ROOT / "content" / "articles").rglob("cong-van-so-2410-ubnd-kstt-*.md"))
    found = vntext.document_numbers(path.read_text(encoding="utf-8"))
    assert {"2410/UBND-KSTT", "45/2020/ND-CP", "107/2020/ND-CP", "61/2018/ND-CP"} <= found
