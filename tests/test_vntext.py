"""Tests for the shared Vietnamese text module: tone placement, folding, slugs, dates, numbers."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import vntext

PROPERTY = settings(max_examples=300, deadline=None)

SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


# --- normalize: tone placement ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given_text", "expected"),
    [
        ("Uỷ", "Ủy"),
        ("hoá", "hóa"),
        ("thuỷ", "thủy"),
        ("khoẻ", "khỏe"),
        ("toà", "tòa"),
        ("HOÁ", "HÓA"),
        ("UỶ", "ỦY"),
        ("huỷ", "hủy"),
        ("tuỳ", "tùy"),
        ("hoè", "hòe"),
        ("thuỵ", "thụy"),  # dot below moves as well
        ("loã", "lõa"),
        ("Hoà Bình", "Hòa Bình"),
        ("Uỷ ban nhân dân tỉnh Khánh Hoà", "Ủy ban nhân dân tỉnh Khánh Hòa"),
        ("(hoá)", "(hóa)"),  # punctuation around a word does not stop the fix
        ("cơ giới hoá, tự động hoá.", "cơ giới hóa, tự động hóa."),
    ],
)
def test_normalize_moves_tone_of_open_glides(given_text, expected):
    assert vntext.normalize(given_text) == expected


@pytest.mark.parametrize(
    "word",
    [
        "quý",
        "quỳ",
        "Quý",
        "QUÝ",
        "hoàn",
        "thuyết",
        "khuya",
        "khuỷu",
        "Hòa",
        "hóa",
        "Ủy",
        "thủy",
        "khỏe",
        "hoặc",
        "khoái",
        "người",
        "được",
        "giá",
        "tiếng",
        "Việt",
        "cải cách hành chính",
        "2410/UBND-KSTT",
    ],
)
def test_normalize_leaves_words_that_never_move(word):
    assert vntext.normalize(word) == word


@pytest.mark.parametrize("word", ["hoá", "Uỷ", "thuỷ", "Hòa", "quý", "Việt Nam", "đường"])
def test_normalize_of_decomposed_input_equals_composed_result(word):
    decomposed = nfd(word)
    assert decomposed != nfc(word) or word.isascii()
    result = vntext.normalize(decomposed)
    assert result == vntext.normalize(nfc(word))
    assert unicodedata.is_normalized("NFC", result)


def test_normalize_tones_alone_does_the_same_placement():
    assert vntext.normalize_tones("Uỷ ban, hoá đơn, thuỷ lợi") == "Ủy ban, hóa đơn, thủy lợi"


def test_has_mixed_tone_placement():
    assert vntext.has_mixed_tone_placement("Uỷ ban nhân dân")
    assert vntext.has_mixed_tone_placement("Ủy ban, hiện đại hoá")
    assert vntext.has_mixed_tone_placement(nfd("thuỷ lợi"))
    assert not vntext.has_mixed_tone_placement("Ủy ban nhân dân, hiện đại hóa")
    assert not vntext.has_mixed_tone_placement(nfd("Ủy ban nhân dân tỉnh Hòa Bình"))
    assert not vntext.has_mixed_tone_placement("quý I, hoàn thành, thuyết minh, khuya")
    assert not vntext.has_mixed_tone_placement("")


# --- fold ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given_text", "expected"),
    [
        ("Đẩy mạnh", "Day manh"),
        ("đường", "duong"),
        ("ĐƯỜNG", "DUONG"),
        ("Ủy ban nhân dân", "Uy ban nhan dan"),
        ("Hòa Bình", "Hoa Binh"),
        ("107/2020/NĐ-CP", "107/2020/ND-CP"),
        ("Chỉ số PAR INDEX, SIPAS", "Chi so PAR INDEX, SIPAS"),
        ("", ""),
    ],
)
def test_fold(given_text, expected):
    assert vntext.fold(given_text) == expected


def test_fold_of_decomposed_input():
    assert vntext.fold(nfd("Đẩy mạnh cải cách thủ tục")) == "Day manh cai cach thu tuc"


def test_fold_keeps_case():
    assert vntext.fold("Ấp Bắc") == "Ap Bac"
    assert vntext.fold("ấp bắc") == "ap bac"


# --- slugify ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given_text", "expected"),
    [
        ("Đẩy mạnh cải cách thủ tục hành chính", "day-manh-cai-cach-thu-tuc-hanh-chinh"),
        ("Kế hoạch số 1275/KH-UBND", "ke-hoach-so-1275-kh-ubnd"),
        ("Nghị định 107/2020/NĐ-CP", "nghi-dinh-107-2020-nd-cp"),
        ("Nghị quyết 39-NQ/TW", "nghi-quyet-39-nq-tw"),
        ("  Kết quả: CCHC năm 2023!!! ", "ket-qua-cchc-nam-2023"),
        ("«Tin tức – Sự kiện»", "tin-tuc-su-kien"),
        ("Uỷ ban", "uy-ban"),
        ("Ủy ban", "uy-ban"),
        ("Chỉ số SIPAS 97,5%", "chi-so-sipas-97-5"),
        ("a---b", "a-b"),
        ("", ""),
        ("   ", ""),
        ("\t\n", ""),
        ("!!! ...", ""),
    ],
)
def test_slugify(given_text, expected):
    assert vntext.slugify(given_text) == expected


# --- dates --------------------------------------------------------------------------------------


def test_format_datetime_example():
    assert vntext.format_datetime(datetime(2017, 3, 20, 16, 0)) == "Thứ Hai, 20/03/2017 16:00"


def test_format_datetime_without_weekday_and_padding():
    assert vntext.format_datetime(datetime(2024, 1, 5, 8, 5), weekday=False) == "05/01/2024 08:05"
    assert vntext.format_datetime(datetime(2024, 1, 5, 8, 5)) == "Thứ Sáu, 05/01/2024 08:05"


@pytest.mark.parametrize(("offset", "name"), [(0, "Thứ Hai"), (1, "Thứ Ba"), (2, "Thứ Tư"), (3, "Thứ Năm"), (4, "Thứ Sáu"), (5, "Thứ Bảy"), (6, "Chủ Nhật")])
def test_every_weekday(offset, name):
    moment = datetime(2017, 3, 20, 7, 30) + timedelta(days=offset)  # 20/03/2017 was a Monday
    assert vntext.weekday_name(moment.date()) == name
    assert vntext.format_datetime(moment) == f"{name}, {moment.day:02d}/03/2017 07:30"


def test_format_date():
    assert vntext.format_date(date(2017, 3, 20)) == "20/03/2017"
    assert vntext.format_date(date(2020, 12, 1)) == "01/12/2020"


def test_format_month():
    assert vntext.format_month(2017, 3) == "Tháng 3/2017"
    assert vntext.format_month(2024, 12) == "Tháng 12/2024"


# --- numbers ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((1124,), "1.124"),
        ((13989,), "13.989"),
        ((1234567,), "1.234.567"),
        ((999,), "999"),
        ((1000,), "1.000"),
        ((0,), "0"),
        ((97.5, 1), "97,5"),
        ((1234.5, 2), "1.234,50"),
        ((Decimal("1234567.891"), 2), "1.234.567,89"),
        (("13989",), "13.989"),
        ((-1124,), "-1.124"),
        ((-1234567,), "-1.234.567"),
        ((-97.5, 1), "-97,5"),
        ((-0.04, 1), "0,0"),  # no "-0,0"
        ((0.125, 2), "0,12"),  # half to even, on the decimal value
        ((0.135, 2), "0,14"),
        ((2.5,), "2"),
        ((3.5,), "4"),
    ],
)
def test_format_number(args, expected):
    assert vntext.format_number(*args) == expected


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((97.5,), "97,5%"),
        ((100,), "100%"),
        ((99.95, 1), "100%"),  # rounds up to 100,0 and drops the ",0"
        ((99.85, 1), "99,8%"),  # half to even
        ((97.54, 1), "97,5%"),
        ((97.56, 1), "97,6%"),
        ((0,), "0%"),
        ((12.5, 2), "12,5%"),
        ((33.333, 2), "33,33%"),
        ((1250, 0), "1.250%"),
        ((-2.5,), "-2,5%"),
    ],
)
def test_format_percent(args, expected):
    assert vntext.format_percent(*args) == expected


# --- property tests -----------------------------------------------------------------------------

ONSETS = ["", "b", "c", "ch", "d", "đ", "g", "gh", "gi", "h", "k", "kh", "l", "m", "n", "ng", "ngh", "nh", "p", "ph", "qu", "r", "s", "t", "th", "tr", "v", "x"]
NUCLEI = [
    "a",
    "ă",
    "â",
    "e",
    "ê",
    "i",
    "o",
    "ô",
    "ơ",
    "u",
    "ư",
    "y",
    "ia",
    "iê",
    "ya",
    "yê",
    "ua",
    "uô",
    "ưa",
    "ươ",
    "oa",
    "oă",
    "oe",
    "uy",
    "uyê",
    "uya",
    "uê",
    "uơ",
    "ai",
    "ao",
    "au",
    "ay",
    "âu",
    "ây",
    "eo",
    "êu",
    "iu",
    "oi",
    "ôi",
    "ơi",
    "ui",
    "ưi",
    "ưu",
    "oai",
    "oay",
    "oeo",
    "uây",
    "uôi",
    "ươi",
    "ươu",
    "iêu",
    "yêu",
    "uyu",
]
CODAS = ["", "c", "ch", "m", "n", "ng", "nh", "p", "t"]
TONES = ["", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323"]  # none, huyền, sắc, ngã, hỏi, nặng
# Onsets without a vowel letter: after these an open oa/oe/uy has two accepted tone placements.
GLIDE_ONSETS = [o for o in ONSETS if o not in ("qu", "gi")]
VIETNAMESE_LETTERS = set("abcdefghijklmnopqrstuvwxyzđ")


def place_tone(nucleus: str, tone: str, index: int) -> str:
    """The nucleus in NFD with the tone after its index-th vowel (and that vowel's own marks)."""
    chars = nfd(nucleus)
    bases = [i for i, ch in enumerate(chars) if not unicodedata.combining(ch)]
    start = bases[index % len(bases)]
    end = start + 1
    while end < len(chars) and unicodedata.combining(chars[end]):
        end += 1
    return chars[:end] + tone + chars[end:]


def apply_case(word: str, mode: str, flips: list[bool]) -> str:
    if mode == "lower":
        return word
    if mode == "upper":
        return word.upper()
    if mode == "title":
        return word[:1].upper() + word[1:]
    return "".join(ch.upper() if flip else ch for ch, flip in zip(word, flips + [False] * len(word)))


@st.composite
def syllables(draw):
    onset = draw(st.sampled_from(ONSETS))
    nucleus = draw(st.sampled_from(NUCLEI))
    if onset == "qu" and nucleus[0] in "uư":
        nucleus = "y"
    coda = draw(st.sampled_from(CODAS))
    tone = draw(st.sampled_from(TONES))
    index = draw(st.integers(min_value=0, max_value=3))
    word = onset + place_tone(nucleus, tone, index) + coda
    word = apply_case(word, draw(st.sampled_from(["lower", "upper", "title", "mixed"])), draw(st.lists(st.booleans(), max_size=12)))
    return nfc(word) if draw(st.booleans()) else nfd(word)


SEPARATORS = st.sampled_from([" ", " ", ", ", ". ", " - ", " – ", ": ", "/", " (", ") ", "\n", "  "])
DOCUMENT_NUMBERS = st.sampled_from(
    ["2410/UBND-KSTT", "107/2020/NĐ-CP", "39-NQ/TW", "1275/KH-UBND", "PAR INDEX", "SIPAS", "HĐND", "CBCCVC", "97,5%", "1.124", "quý I"]
)


@st.composite
def sentences(draw):
    parts = draw(st.lists(st.one_of(syllables(), syllables(), syllables(), DOCUMENT_NUMBERS), min_size=1, max_size=12))
    text = ""
    for part in parts:
        text += part + draw(SEPARATORS)
    return text


vietnamese_text = st.one_of(syllables(), sentences(), st.text(), st.text(alphabet=st.characters(codec="utf-8")))


@PROPERTY
@given(vietnamese_text)
def test_normalize_is_idempotent(text):
    once = vntext.normalize(text)
    assert vntext.normalize(once) == once


@PROPERTY
@given(vietnamese_text)
def test_normalize_output_is_nfc(text):
    assert unicodedata.is_normalized("NFC", vntext.normalize(text))


@PROPERTY
@given(vietnamese_text)
def test_normalize_never_changes_the_folded_letters(text):
    assert vntext.fold(vntext.normalize(text)) == vntext.fold(text)


@PROPERTY
@given(vietnamese_text)
def test_normalize_is_canonical_equivalence_blind(text):
    assert vntext.normalize(nfd(text)) == vntext.normalize(nfc(text))


@PROPERTY
@given(vietnamese_text)
def test_fold_has_no_combining_marks_and_no_d_stroke(text):
    folded = vntext.fold(text)
    assert not any(unicodedata.combining(ch) for ch in folded)
    assert "đ" not in folded and "Đ" not in folded


@PROPERTY
@given(vietnamese_text)
def test_fold_is_idempotent(text):
    folded = vntext.fold(text)
    assert vntext.fold(folded) == folded


@PROPERTY
@given(st.lists(st.one_of(syllables(), DOCUMENT_NUMBERS), min_size=1, max_size=12))
def test_fold_of_vietnamese_is_ascii_and_keeps_case_and_length(words):
    text = " ".join(words)
    composed = nfc(text)
    folded = vntext.fold(text)
    assert folded.isascii()
    assert len(folded) == len(composed)
    for original, plain in zip(composed, folded):
        assert original.isupper() == plain.isupper()
        if original.isalpha():
            assert plain.isalpha()


@PROPERTY
@given(syllables())
def test_fold_of_a_syllable_is_its_bare_letters(word):
    expected = "".join(ch for ch in nfd(word) if not unicodedata.combining(ch)).replace("đ", "d").replace("Đ", "D")
    assert vntext.fold(word) == expected
    assert set(expected.lower()) <= VIETNAMESE_LETTERS - {"đ"}


@PROPERTY
@given(vietnamese_text)
def test_slugify_output_is_a_slug_and_idempotent(text):
    slug = vntext.slugify(text)
    assert slug == "" or SLUG_RE.match(slug), slug
    assert vntext.slugify(slug) == slug


@PROPERTY
@given(st.lists(syllables(), min_size=1, max_size=8), st.lists(SEPARATORS, min_size=8, max_size=8))
def test_slugify_joins_folded_words_with_hyphens(words, separators):
    text = "".join(word + sep for word, sep in zip(words, separators))
    assert vntext.slugify(text) == "-".join(vntext.fold(word).lower() for word in words)


@PROPERTY
@given(vietnamese_text)
def test_slugify_ignores_tone_placement(text):
    assert vntext.slugify(vntext.normalize(text)) == vntext.slugify(text)


@PROPERTY
@given(
    st.sampled_from(GLIDE_ONSETS),
    st.sampled_from(["oa", "oe", "uy"]),
    st.sampled_from(TONES[1:]),
    st.sampled_from(["lower", "upper", "title", "mixed"]),
    st.lists(st.booleans(), max_size=8),
    st.booleans(),
)
def test_both_placements_of_an_open_glide_normalize_alike(onset, glide, tone, case, flips, decomposed):
    letters = apply_case(onset + glide, case, flips)
    ours = letters[:-1] + tone + letters[-1]  # hóa
    other = letters + tone  # hoá
    form = nfd if decomposed else nfc
    assert vntext.normalize(form(other)) == nfc(ours)
    assert vntext.normalize(form(ours)) == nfc(ours)
    assert vntext.has_mixed_tone_placement(form(other))
    assert not vntext.has_mixed_tone_placement(form(ours))


@PROPERTY
@given(syllables())
def test_normalize_only_moves_tones_of_open_oa_oe_uy(word):
    bare = "".join(ch for ch in nfd(word) if ch not in TONES[1:]).lower()
    movable = re.fullmatch(r"([^aeiouy]*)(oa|oe|uy)", bare) is not None and not bare.startswith(("q", "gi"))
    tone_on_last = movable and nfd(word)[-1] in TONES[1:]
    result = vntext.normalize(word)
    if tone_on_last:
        assert result != nfc(word)
        assert nfd(result)[-1] not in TONES[1:]
    else:
        assert result == nfc(word)


@PROPERTY
@given(st.lists(syllables(), min_size=1, max_size=10))
def test_normalize_works_word_by_word(words):
    assert vntext.normalize(" ".join(words)) == " ".join(vntext.normalize(word) for word in words)


def parse_vietnamese_number(text: str) -> Decimal:
    return Decimal(text.replace(".", "").replace(",", "."))


@PROPERTY
@given(st.integers(min_value=-(10**18), max_value=10**18))
def test_format_number_of_int_round_trips_with_groups_of_three(value):
    text = vntext.format_number(value)
    assert re.fullmatch(r"-?[1-9]\d{0,2}(\.\d{3})*|0", text), text
    assert int(text.replace(".", "")) == value


@PROPERTY
@given(
    st.one_of(
        st.decimals(min_value=-(10**12), max_value=10**12, allow_nan=False, allow_infinity=False, places=5),
        st.floats(min_value=-1e12, max_value=1e12, allow_nan=False, allow_infinity=False),
    ),
    st.integers(min_value=0, max_value=4),
)
def test_format_number_round_trips_to_the_rounded_value(value, decimals):
    text = vntext.format_number(value, decimals)
    whole = text.lstrip("-").split(",")[0]
    assert re.fullmatch(r"[1-9]\d{0,2}(\.\d{3})*|0", whole), text
    if decimals:
        assert re.fullmatch(rf"-?[\d.]+,\d{{{decimals}}}", text), text
    else:
        assert "," not in text
    expected = round(Decimal(str(value)), decimals)  # Decimal rounds half to even
    assert parse_vietnamese_number(text) == expected
    assert not text.startswith("-") or expected < 0


@PROPERTY
@given(st.decimals(min_value=0, max_value=1000, allow_nan=False, allow_infinity=False, places=3), st.integers(0, 3))
def test_format_percent_matches_format_number_without_trailing_zeros(value, decimals):
    text = vntext.format_percent(value, decimals)
    assert text.endswith("%")
    number = text[:-1]
    assert not re.search(r",\d*0$", number), text
    assert not number.endswith(",")
    assert parse_vietnamese_number(number) == round(value, decimals)
