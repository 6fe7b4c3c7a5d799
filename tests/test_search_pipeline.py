"""One Vietnamese analysis on both sides: the index (Python, lunr.py) and the browser (vntext.js and
search.js under lunr.js) must make the same terms of the same text, or a query misses what is there.

A seeded generator writes 1,500 strings the way Vietnamese reaches a search box or an article:
NFD from some keyboards, both tone placements (hoá/hóa, Uỷ/Ủy), đ and Đ, capitals, punctuation,
document numbers (2410/UBND-KSTT, 107/2020/NĐ-CP, 39-NQ/TW), numbers with Vietnamese separators,
abbreviations and the phrases they stand for.
"""

from __future__ import annotations

import json
import random
import subprocess
import unicodedata
from pathlib import Path

import pytest

import vntext
from search.analysis import analyze, lunr_pipeline, tokenize

ROOT = Path(__file__).resolve().parent.parent
CLI = ROOT / "plugins" / "search" / "cli.mjs"

SYLLABLES = (
    "cải cách hành chính thủ tục một cửa liên thông Ủy Uỷ ban nhân dân tỉnh huyện xã hóa hoá đơn điện tử "
    "khỏe khoẻ thủy thuỷ quý quỳ hòa hoà thuế đường Đề án đẩy mạnh số hóa hồ sơ trực tuyến dịch vụ công "
    "chuyển đổi số cán bộ công chức viên chức Hội đồng khen thưởng kỷ luật kỉ cương người dân doanh nghiệp "
    "nghiêng nguyễn thuở quà giữa gì Long An Bình Phước Đắk Lắk Huế quả tủy khuya oái"
).split()
PUNCTUATION = [", ", ". ", "; ", ": ", " - ", " – ", "? ", "! ", " (", ") ", "\n", " “", "” ", " / ", "...", "  "]
DOCUMENTS = ["2410/UBND-KSTT", "107/2020/NĐ-CP", "39-NQ/TW", "06/QĐ-TTg", "1275/KH-UBND", "03/CT-UBND", "61/2018/nđ-cp"]
NUMBERS = ["13.989", "1.124.000", "97,5%", "2024", "06", "0", "12/7/2021", "35/63", "1,5", "45.2"]
ABBREVIATED = ["TTHC", "CCHC", "UBND", "HĐND", "CBCCVC", "DVC", "cán bộ, công chức, viên chức", "thủ tục hành chính"]
ODD = ["x²", "Ⅻ", "ǅ", "ß", "ĳ", "₫", "°C", "m²", "é", "e\u0301", "ı", "İ"]


def _variant(word: str, rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.15:
        word = unicodedata.normalize("NFD", word)
    elif roll < 0.25:
        word = word.upper()
    elif roll < 0.35:
        word = word.capitalize()
    if rng.random() < 0.05:
        word = unicodedata.normalize("NFD", word)[::-1]  # marks before letters: garbage in
    return word


def generated_strings(count: int = 1500, seed: int = 20241) -> list[str]:
    rng = random.Random(seed)
    texts = []
    for _ in range(count):
        parts = []
        for _ in range(rng.randint(1, 14)):
            roll = rng.random()
            if roll < 0.08:
                parts.append(rng.choice(DOCUMENTS))
            elif roll < 0.14:
                parts.append(rng.choice(NUMBERS))
            elif roll < 0.2:
                parts.append(rng.choice(ABBREVIATED))
            elif roll < 0.22:
                parts.append(rng.choice(ODD))
            else:
                parts.append(_variant(rng.choice(SYLLABLES), rng))
            parts.append(rng.choice(PUNCTUATION) if rng.random() < 0.25 else " ")
        texts.append("".join(parts).strip() if rng.random() < 0.9 else "".join(parts))
    return texts


@pytest.fixture(scope="module")
def javascript(abbreviations):
    texts = generated_strings()
    payload = json.dumps({"texts": texts, "abbreviations": abbreviations.table})
    done = subprocess.run(["node", str(CLI), "analyze", "-"], input=payload, capture_output=True, text=True, check=True, cwd=ROOT)
    return texts, json.loads(done.stdout)


def test_generator_covers_what_readers_type():
    texts = generated_strings()
    assert len(texts) >= 1000
    joined = "\n".join(texts)
    assert any(unicodedata.normalize("NFC", t) != t for t in texts), "NFD input"
    assert "hoá" in joined and "hóa" in joined and "Uỷ" in joined, "both tone placements"
    assert "đ" in joined and "Đ" in joined and "2410/UBND-KSTT" in joined and "13.989" in joined


def test_python_and_javascript_make_the_same_terms(javascript, abbreviations):
    texts, answers = javascript
    different = [
        (text, analyze(text, abbreviations), answer["terms"]) for text, answer in zip(texts, answers) if analyze(text, abbreviations) != answer["terms"]
    ]
    assert different == [], f"{len(different)} of {len(texts)} differ; first: {different[:2]}"


def test_python_and_javascript_tokenize_normalize_and_fold_alike(javascript):
    texts, answers = javascript
    for text, answer in zip(texts, answers):
        assert tokenize(text) == answer["tokens"], text
        assert vntext.normalize(text) == answer["normalize"], text
        assert vntext.fold(text) == answer["fold"], text


def test_fast_analysis_is_the_lunr_py_pipeline(abbreviations):
    from lunr.token import Token

    pipeline = lunr_pipeline(abbreviations)
    for text in generated_strings(400, seed=7):
        through_lunr = [str(t) for t in pipeline.run([Token(t, {}) for t in tokenize(text)])]
        assert analyze(text, abbreviations) == through_lunr, text


def test_term_counts_for_the_index_are_those_of_analyze(abbreviations):
    """The index counts terms with analyze_counts (whole-list steps); it must count what analyze makes."""
    from collections import Counter

    from search.analysis import analyze_counts

    texts = generated_strings(600, seed=11) + [
        "Hành chính, hanh chinh; HÀNH CHÍNH. Thủ tục hành chính (TTHC) và thủ tục, hành chính",
        "Công văn 2410/UBND-KSTT ngày 12/7/2021; 39-NQ/TW. 13.989 hồ sơ, 97,5% đúng hạn",
        "",
        ". , ;",
        "cán bộ, công chức, viên chức và cán bộ công chức viên chức",
    ]
    for text in texts:
        assert analyze_counts(text, abbreviations) == Counter(analyze(text, abbreviations)), text


def test_terms_of_a_sentence(abbreviations):
    terms = analyze("Uỷ ban nhân dân ban hành Công văn 2410/UBND-KSTT; 13.989 hồ sơ", abbreviations)
    assert terms[:4] == ["uy", "ủy", "uy ban", "ubnd"], "folded, exact (new tone placement), pair, abbreviation"
    assert "2410/ubnd-kstt" in terms and "kstt" in terms and "13989" in terms
    assert "kstt 13989" not in terms, "no pair across a document number or punctuation"
    assert not any(t in terms for t in ("nhân dân ban hành", "an", "the")), "no stop words removed, no stemming"
    assert analyze("quý I, Long An, do, so", abbreviations)[:2] == ["quy", "quý"]
    assert "an" in analyze("Long An") and "i" in analyze("quý I")


def test_search_results_show_dates_as_vntext_writes_them():
    """The results page formats a record's ISO date in the browser: the same text as vntext.format_date."""
    from datetime import date, timedelta

    days = [date(2014, 1, 1) + timedelta(days=n * 37) for n in range(120)] + [date(2025, 12, 31)]
    payload = json.dumps({"texts": [], "dates": [d.isoformat() for d in days] + ["", "2024-3-5"]})
    done = subprocess.run(["node", str(CLI), "analyze", "-"], input=payload, capture_output=True, text=True, check=True, cwd=ROOT)
    assert json.loads(done.stdout)[-1]["dates"] == [vntext.format_date(d) for d in days] + ["", ""]


# --- Telex and VNI leftovers: vntext.keyboard_readings and vntext.js keyboardReadings ---------------

_TELEX_TONES = {"\u0301": "s", "\u0300": "f", "\u0309": "r", "\u0303": "x", "\u0323": "j"}
_VNI_TONES = {"\u0301": "1", "\u0300": "2", "\u0309": "3", "\u0303": "4", "\u0323": "5"}


def typed_with_keyboard_off(syllable: str, scheme: str) -> str:
    """The keys a reader presses for a syllable with the input method off: "hành" -> "hanhf" (Telex),
    "hanh2" (VNI); the tone key last, as most readers type it."""
    keys, tone = [], ""
    for ch in unicodedata.normalize("NFD", syllable.lower()):
        if ch in _TELEX_TONES:
            tone = _TELEX_TONES[ch] if scheme == "telex" else _VNI_TONES[ch]
        elif ch == "\u0302":  # circumflex: aa, ee, oo / 6
            keys.append(keys[-1] if scheme == "telex" else "6")
        elif ch in "\u0306\u031b":  # breve, horn: w / 8, 7
            keys.append("w" if scheme == "telex" else ("8" if ch == "\u0306" else "7"))
        elif ch == "đ":
            keys.append("dd" if scheme == "telex" else "d9")
        else:
            keys.append(ch)
    return "".join(keys) + tone


def keyboard_words(count: int = 1200, seed: int = 5) -> list[str]:
    rng = random.Random(seed)
    syllables = [s.lower() for s in SYLLABLES if s.isalpha()] + "trường người luật điện kiểm gọn số ký chữ mưa loại quyết".split()
    words = [typed_with_keyboard_off(s, scheme) for s in syllables for scheme in ("telex", "vni")]
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
    words += ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 8))) for _ in range(count)]
    return words + ["125", "2410", "w", "tw", "dd", "a1", "1a", "ĐỀ", "hanh f", ""]


def test_telex_and_vni_leftovers_are_read_alike_in_python_and_javascript():
    words = keyboard_words()
    payload = json.dumps({"texts": [], "words": words})
    done = subprocess.run(["node", str(CLI), "analyze", "-"], input=payload, capture_output=True, text=True, check=True, cwd=ROOT)
    javascript = json.loads(done.stdout)[-1]["readings"]
    different = [(w, vntext.keyboard_readings(w), js) for w, js in zip(words, javascript) if vntext.keyboard_readings(w) != js]
    assert different == [], f"{len(different)} of {len(words)} differ; first: {different[:3]}"


@pytest.mark.parametrize("scheme", ["telex", "vni"])
def test_a_syllable_typed_with_the_keyboard_off_reads_back(scheme):
    syllables = {vntext.normalize(s.lower()) for s in SYLLABLES if s.isalpha()}
    for syllable in sorted(syllables):
        keys = typed_with_keyboard_off(syllable, scheme)
        if keys != syllable:
            assert syllable in vntext.keyboard_readings(keys), (syllable, keys)
    assert vntext.keyboard_readings("hanhf") == ["hành"] and vntext.keyboard_readings("chu74") == ["chữ"]
    assert vntext.keyboard_readings("125") == [] and vntext.keyboard_readings("khai") == [], "numbers and plain words stay"
