"""Directive documents (issue 9): the registry, its checks, number detection and normalisation,
links in articles, back references, filter pages, search and related news, and the in-page filter."""

from __future__ import annotations

import json
import re
import subprocess
import unicodedata
from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import documents
import editorial
import vntext
from conftest import ROOT, run_pelican
from documents.registry import filter_text

PROPERTY = settings(max_examples=300, deadline=None)
DOCUMENTS = ROOT / "content" / "documents"
LABELLED = yaml.safe_load((ROOT / "tests" / "document_numbers.yaml").read_text(encoding="utf-8"))


def sample_settings(content: Path | None = None) -> dict:
    found, problems = editorial.load_settings(str(ROOT / "pelicanconf.py"), str(content or ROOT / "content"))
    assert problems == []
    found["CHECK_NOW"] = datetime(2030, 1, 1)
    return found


@pytest.fixture(scope="module")
def registry():
    """The sample registry as the build reads it: documents newest first, by normalised number."""
    settings = sample_settings()
    found, problems = documents.check_documents(settings, citations=False)
    assert [str(p) for p in problems] == []
    ordered = documents.newest_first(found)
    documents.place_documents(ordered, settings)
    return {d.key: d for d in ordered}


def source_citations(article) -> set[str]:
    """What a sample article cites, read from its Markdown: title, Summary and body."""
    from sourcefiles import read_front_matter

    text = article.path.read_text(encoding="utf-8")
    meta = read_front_matter(str(article.path), text)
    body = "\n".join(text.splitlines()[meta.body_line - 1 :])
    return vntext.document_numbers(f"{meta.get('title')}\n{meta.get('summary') or ''}\n{body}")


# --- Detection and normalisation --------------------------------------------------------------------


def test_labelled_set_precision_and_recall():
    assert len(LABELLED) >= 60
    assert sum(1 for case in LABELLED if not case["numbers"]) >= 20, "enough negatives"
    true_positive = false_positive = false_negative = 0
    misses = []
    for case in LABELLED:
        found = Counter(key for *_, key in vntext.find_document_numbers(case["text"]))
        wanted = Counter(case["numbers"])
        true_positive += sum((found & wanted).values())
        false_positive += sum((found - wanted).values())
        false_negative += sum((wanted - found).values())
        if found != wanted:
            misses.append((case["text"], sorted(found.elements()), case["numbers"]))
    precision = true_positive / (true_positive + false_positive)
    recall = true_positive / (true_positive + false_negative)
    assert precision >= 0.95 and recall >= 0.95, (precision, recall, misses)


def test_labelled_numbers_are_normal_forms():
    for case in LABELLED:
        for key in case["numbers"]:
            assert vntext.normalize_document_number(key) == key


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("2410/UBND-KSTT", "2410/UBND-KSTT"),
        ("2410/UBND - KSTT", "2410/UBND-KSTT"),
        ("2410 / UBND–KSTT", "2410/UBND-KSTT"),
        ("107/2020/NĐ-CP", "107/2020/ND-CP"),
        ("107 /2020/ ND - CP", "107/2020/ND-CP"),
        ("06/QĐ-TTg", "6/QD-TTG"),
        ("39–NQ/TW", "39-NQ/TW"),
        ("30c/NQ-CP", "30C/NQ-CP"),
        ("2410/ubnd-kstt", "2410/UBND-KSTT"),  # typed in a hurry: accepted when alone
        (unicodedata.normalize("NFD", "3765/QĐ-UBND"), "3765/QD-UBND"),
    ],
)
def test_normalize_document_number_examples(raw, key):
    assert vntext.normalize_document_number(raw) == key


@pytest.mark.parametrize("raw", ["", "31/12/2022", "35/63", "COVID-19", "2410", "Nghị định 45/2020", "2410/UBND-KSTT và 125/KH-UBND"])
def test_normalize_document_number_refuses_what_is_not_one_number(raw):
    with pytest.raises(ValueError):
        vntext.normalize_document_number(raw)


def test_find_document_numbers_gives_positions_raw_text_and_normal_form():
    text = "Theo Kế hoạch số 125 /KH-UBND và Nghị quyết 39-NQ/TW, ngày 31/12/2022."
    found = vntext.find_document_numbers(text)
    assert found == [(17, 29, "125 /KH-UBND", "125/KH-UBND"), (44, 52, "39-NQ/TW", "39-NQ/TW")]
    assert all(text[start:end] == raw for start, end, raw, _ in found)


def test_document_numbers_uses_the_one_normaliser():
    text = "Công văn 2410/UBND - KSTT, Quyết định 06/QĐ-TTg và Nghị quyết 18–NQ/TW"
    assert vntext.document_numbers(text) == {key for *_, key in vntext.find_document_numbers(text)}
    assert vntext.document_numbers(text) == {"2410/UBND-KSTT", "6/QD-TTG", "18-NQ/TW"}


# Numbers built from parts, then written in the ways people write them.
_CAPITALS = "ABCDEGHKLMNPQSTUVXĐ"
code = st.builds(
    lambda head, rest, tail: head + rest + tail,
    st.sampled_from(_CAPITALS),
    st.text(alphabet=_CAPITALS + "0123456789", min_size=1, max_size=5),
    st.sampled_from(["", "", "g", "đ"]),
)
plain_code = st.text(alphabet=_CAPITALS, min_size=1, max_size=5).map(lambda s: "X" + s)
spaces = st.sampled_from(["", "", " ", "  ", "\u00a0", " \n"])
dashes = st.sampled_from(["-", "-", "\u2013", "\u2014", "\u2011", "\u2212"])


@st.composite
def written_number(draw):
    """(canonical, written): the same number as a registry writes it and as someone typed it."""
    number = str(draw(st.integers(1, 99999)))
    zeros = draw(st.sampled_from(["", "", "0", "00"]))[: 5 - len(number)]  # at most five digits in all
    if draw(st.booleans()):  # number-kind/issuer, the Party's form
        kind = draw(st.text(alphabet=_CAPITALS, min_size=1, max_size=4))
        issuer = draw(st.lists(plain_code, min_size=1, max_size=2))
        canonical = f"{number}-{kind}/{'-'.join(issuer)}"
        written = f"{zeros}{number}{draw(spaces)}{draw(dashes)}{draw(spaces)}{kind}{draw(spaces)}/{draw(spaces)}"
        written += "".join(part if i == 0 else f"{draw(dashes)}{part}" for i, part in enumerate(issuer))
        return canonical, written
    year = draw(st.sampled_from(["", "", "2020", "1999"]))
    codes = draw(st.lists(code, min_size=1, max_size=3))
    canonical = f"{number}{'/' + year if year else ''}/{'-'.join(codes)}"
    written = f"{zeros}{number}" + (f"{draw(spaces)}/{draw(spaces)}{year}" if year else "") + f"{draw(spaces)}/{draw(spaces)}"
    # Spaces may stand around the first dash of the codes only (3765/QĐ - UBND); after a joined code a
    # spaced dash ends the number ("125/KH-UBND - UBND tỉnh").
    written += "".join(
        part if i == 0 else (f"{draw(spaces)}{draw(dashes)}{draw(spaces)}{part}" if i == 1 else f"{draw(dashes)}{part}") for i, part in enumerate(codes)
    )
    return canonical, written


@PROPERTY
@given(written_number())
def test_normalisation_is_idempotent(pair):
    _canonical, written = pair
    key = vntext.normalize_document_number(written)
    assert vntext.normalize_document_number(key) == key
    assert key.isascii() and key == key.upper() and " " not in key


@PROPERTY
@given(written_number(), st.sampled_from(["NFC", "NFD"]))
def test_spacing_dash_and_d_variants_normalise_equal(pair, form):
    canonical, written = pair
    ascii_d = written.replace("Đ", "D").replace("đ", "d")
    expected = vntext.normalize_document_number(canonical)
    assert vntext.normalize_document_number(unicodedata.normalize(form, written)) == expected
    assert vntext.normalize_document_number(ascii_d) == expected
    assert expected == vntext.fold(canonical).upper()


@PROPERTY
@given(
    written_number(),
    st.sampled_from(["Theo Công văn số ", "Quyết định ", "(", "Thực hiện Nghị quyết ", "văn bản số: ", ""]),
    st.sampled_from([" ngày 12/7/2021 của UBND tỉnh.", ").", ", Kế hoạch 35/63 tỉnh", "", "; đạt 18/18 chỉ tiêu"]),
)
def test_a_written_number_is_found_once_in_a_sentence(pair, before, after):
    canonical, written = pair
    text = before + written + after
    found = vntext.find_document_numbers(text)
    assert [key for *_, key in found] == [vntext.normalize_document_number(canonical)]
    start, end, raw, _ = found[0]
    assert text[start:end] == raw and start == len(before)


@PROPERTY
@given(st.text(alphabet="0123456789/-–. ,:UBNDQĐKHCTTWgđ\nsố", max_size=60))
def test_detection_is_consistent_on_any_text(text):
    found = vntext.find_document_numbers(text)
    previous_end = 0
    for start, end, raw, key in found:
        assert start >= previous_end and text[start:end] == raw
        assert vntext.normalize_document_number(raw) == key
        previous_end = end
    assert vntext.document_numbers(text) == {key for *_, key in found}


# --- Document files: parsing and checks ---------------------------------------------------------------

GOOD = """\
Number: 2410/UBND-KSTT
Kind: Công văn
Issuer: UBND tỉnh Bình An
Signer: Trần Quốc Hưng
Signed: 2021-07-12
Effective: 2021-07-12
Status: Còn hiệu lực
Title: Về việc đẩy mạnh dịch vụ công trực tuyến
Topics: chinh-quyen-so, cai-cach-tthc
Files: files/2021/cong-van-2410-ubnd-kstt.pdf
Link: https://vbpl.vn/binhan/Pages/vbpq-toanvan.aspx?ItemID=1

Tóm tắt **nội dung** theo Nghị định số 107/2020/NĐ-CP.
"""


def test_parse_a_document_file(tmp_path):
    path = tmp_path / "2410.md"
    document, problems = documents.model.parse_document(str(path), sample_settings(), GOOD)
    assert problems == []
    assert (document.number, document.key, document.slug) == ("2410/UBND-KSTT", "2410/UBND-KSTT", "2410-ubnd-kstt")
    assert (document.kind, document.issuer, document.signer) == ("Công văn", "UBND tỉnh Bình An", "Trần Quốc Hưng")
    assert document.signed.isoformat() == "2021-07-12" and document.effective.isoformat() == "2021-07-12"
    assert document.status == "con-hieu-luc" and document.status_label == "Còn hiệu lực"
    assert document.topic_ids == ["chinh-quyen-so", "cai-cach-tthc"]
    assert document.file_paths == ["files/2021/cong-van-2410-ubnd-kstt.pdf"]
    assert document.heading == "Công văn số 2410/UBND-KSTT"
    assert document.body_markdown.startswith("Tóm tắt **nội dung**")
    assert document.line("files") == 10


def _replace(text: str, key: str, value: str | None) -> str:
    lines = [line for line in text.splitlines() if not line.startswith(f"{key}:")]
    if value is not None:
        lines.insert(1, f"{key}: {value}")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("key", "value", "line", "level", "message"),
    [
        ("Number", "2410/ubnd", 2, "error", 'Number "2410/ubnd" is not a document number; write it as printed on the document'),
        ("Number", "31/12/2022", 2, "error", 'Number "31/12/2022" is not a document number'),
        ("Number", None, 1, "error", 'missing "Number: ..."'),
        ("Signed", "2021-02-30", 2, "error", 'Signed "2021-02-30" is not a date (use YYYY-MM-DD, e.g. 2021-07-12)'),
        ("Signed", "12/7/2021", 2, "error", 'Signed "12/7/2021" is not a date'),
        ("Effective", "2021-13-01", 2, "error", 'Effective "2021-13-01" is not a date'),
        ("Effective", "2021-07-01", 2, "warning", "Effective 2021-07-01 is before Signed 2021-07-12"),
        ("Kind", "Tờ trình", 2, "error", 'Kind "Tờ trình" is not a kind of document the portal knows'),
        ("Status", "đang soạn", 2, "error", 'Status "đang soạn" is not one of: con-hieu-luc'),
        ("Status", "thay-the", 2, "error", 'Status "thay-the" needs "ReplacedBy: <number of the new document>"'),
        ("Topics", "cai-cach-tthc, so-hoa", 2, "error", 'topic "so-hoa" is not in content/data/topics.yaml'),
        ("Files", "files/2021/khong-co.pdf", 2, "error", 'Files "files/2021/khong-co.pdf": file not found under'),
        ("Link", "vbpl.vn/123", 2, "error", 'Link "vbpl.vn/123" must be a web address starting with https://'),
        ("Title", None, 1, "error", 'missing "Title: ..."'),
        ("Issuer", None, 1, "error", 'missing "Issuer: ..."'),
        ("Colour", "đỏ", 2, "warning", 'unknown key "colour"'),
    ],
)
def test_document_file_problems_name_the_line(tmp_path, key, value, line, level, message):
    path = tmp_path / "x.md"
    text = _replace(GOOD, key, value)
    _document, problems = documents.model.parse_document(str(path), sample_settings(), text)
    matching = [p for p in problems if message in p.message]
    assert matching, [str(p) for p in problems]
    assert (matching[0].level, matching[0].line) == (level, line)


def test_a_kind_that_contradicts_the_number_is_a_warning(tmp_path):
    text = _replace(GOOD, "Number", "125/KH-UBND")
    _document, problems = documents.model.parse_document(str(tmp_path / "x.md"), sample_settings(), text)
    assert [(p.level, p.line, p.message) for p in problems] == [("warning", 1, 'Kind "Công văn" but the number 125/KH-UBND is that of a Kế hoạch; check both')]


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def document_file(number: str, kind: str, **keys: str) -> str:
    """A small valid document file; keys add lines in the order given (line 6 onwards)."""
    lines = [f"Number: {number}", f"Kind: {kind}", "Issuer: UBND tỉnh Bình An", "Signed: 2022-03-01", "Title: Về việc thử nghiệm"]
    lines += [f"{key}: {value}" for key, value in keys.items()]
    return "\n".join(lines) + "\n"


def test_relations_must_name_registered_documents(content_copy):
    folder = content_copy / "documents" / "test"
    _write(folder, "a.md", document_file("11/KH-UBND", "Kế hoạch", ReplacedBy="12/KH-UBND"))
    _write(folder, "b.md", document_file("13/KH-UBND", "Kế hoạch", AmendedBy="11/KH-UBND, 125/KH-UBND"))
    _write(folder, "c.md", document_file("21/QĐ-UBND", "Quyết định", ReplacedBy="22/QĐ-UBND"))
    _write(folder, "d.md", document_file("22/QĐ-UBND", "Quyết định", ReplacedBy="21/QĐ-UBND"))
    _write(folder, "e.md", document_file("0845/QĐ-UBND", "Quyết định"))  # 845/QĐ-UBND is registered
    _write(folder, "f.md", document_file("31/KH-UBND", "Kế hoạch", Status="hết hiệu lực", ReplacedBy="125/KH-UBND"))
    _write(folder, "g.md", document_file("41/KH-UBND", "Kế hoạch", ReplacedBy="41/KH-UBND"))
    found, problems = documents.check_documents(sample_settings(content_copy), citations=False)
    errors = {(Path(p.path).name, p.line, p.message) for p in problems if p.level == "error"}
    assert ("a.md", 6, "ReplacedBy 12/KH-UBND: no document with this number in content/documents/; register it or fix the number") in errors
    assert ("c.md", 6, "replacements go round in a circle: 21/QĐ-UBND -> 22/QĐ-UBND -> 21/QĐ-UBND") in errors
    assert any(
        name == "e.md"
        and line == 1
        and message.startswith("Number 0845/QĐ-UBND is already registered by ")
        and message.endswith("content/documents/2014/845-qd-ubnd.md (845/QĐ-UBND); keep one file per document")
        for name, line, message in errors
    ), errors
    assert ("f.md", 7, 'ReplacedBy 125/KH-UBND but Status is "hết hiệu lực"; a replaced document has Status: thay-the') in errors
    assert ("g.md", 6, "ReplacedBy 41/KH-UBND is this document itself") in errors
    assert not any(name == "b.md" for name, _line, _message in errors)
    amended = {d.key: d for d in found}
    assert [d.key for d in amended["13/KH-UBND"].amended_by] == ["11/KH-UBND", "125/KH-UBND"]  # by signing date
    assert amended["125/KH-UBND"].amends == [amended["13/KH-UBND"]]


def test_a_document_error_stops_the_build_and_invoke_check_reports_it(content_copy, tmp_path):
    bad = _write(content_copy / "documents" / "2021", "sai.md", _replace(GOOD, "Signed", "2021-02-30").replace("2410/UBND-KSTT", "2411/UBND-KSTT"))
    result = run_pelican(content_copy, tmp_path / "out")
    log = result.stdout + result.stderr
    assert result.returncode == 1
    assert f'{bad.relative_to(content_copy.parent)}:2: Signed "2021-02-30" is not a date (use YYYY-MM-DD, e.g. 2021-07-12)' in log.replace(
        str(content_copy.parent) + "/", ""
    )
    assert not (tmp_path / "out" / "index.html").exists(), "nothing is written"
    problems = editorial.run_checks(sample_settings(content_copy), [])
    assert any(p.level == "error" and p.path.endswith("documents/2021/sai.md") and p.line == 2 for p in problems)


def test_invoke_check_warns_about_cited_numbers_that_are_not_registered(content_copy):
    article = _write(
        content_copy / "articles" / "tin-tuc-su-kien" / "2024",
        "trich-dan.md",
        "Title: Triển khai Kế hoạch số 99/KH-UBND\nDate: 2024-05-02 09:00\nSummary: Theo Công văn 2410/UBND-KSTT.\n\n"
        "Dòng đầu.\n\nThực hiện Nghị định số 107/2020/NĐ-CP và Công văn số 77/UBND - VP\nngày 2/5.\n\n"
        "```\n88/QĐ-UBND trong khối mã\n```\n\nXem `66/QĐ-UBND` và [liên kết](https://vbpl.vn/55/QĐ-UBND).\n",
    )
    problems = [p for p in editorial.run_checks(sample_settings(content_copy), []) if p.path.endswith("trich-dan.md")]
    cited = [(p.level, p.line, p.message.split(" is not")[0]) for p in problems if "registry" in p.message]
    assert cited == [("warning", 1, "document 99/KH-UBND"), ("warning", 7, "document 77/UBND - VP")]
    first = next(p for p in problems if "99/KH-UBND" in p.message)
    assert (
        str(first)
        == f"{first.path}:1: document 99/KH-UBND is not in the registry; add content/documents/99-kh-ubnd.md so readers can open it (see docs/huong-dan-bien-tap.md)"
    )
    assert first.path.endswith(str(article.relative_to(content_copy.parent)))


def test_markdown_citations_skip_code_and_link_targets():
    text = 'Title: Kế hoạch 1/KH-UBND\nDate: 2024-01-01\n\nA 2/KH-UBND `3/KH-UBND` [4/KH-UBND](/x/5/KH-UBND)\n\n    6/KH-UBND\n\n~~~\n7/KH-UBND\n~~~\n<span title="8/KH-UBND">9/KH-UBND</span>\n'
    found = documents.markdown_citations(text, 4, title_line=1)
    assert [(line, key) for line, _raw, key in found] == [(1, "1/KH-UBND"), (4, "2/KH-UBND"), (4, "4/KH-UBND"), (11, "9/KH-UBND")]


# --- Linking --------------------------------------------------------------------------------------------

URLS = {"2410/UBND-KSTT": "/van-ban/2410-ubnd-kstt/", "107/2020/ND-CP": "/van-ban/107-2020-nd-cp/"}


def link(html: str, skip=None):
    return documents.link_html(html, URLS.get, skip=skip)


def test_a_registered_number_becomes_a_link_once():
    html, cited = link("<p>Công văn số 2410/UBND - KSTT và 2410/UBND-KSTT; Nghị định 45/2020/NĐ-CP.</p>")
    assert html == '<p>Công văn số <a class="doc-ref" href="/van-ban/2410-ubnd-kstt/">2410/UBND - KSTT</a> và 2410/UBND-KSTT; Nghị định 45/2020/NĐ-CP.</p>'
    assert cited == ["2410/UBND-KSTT", "45/2020/ND-CP"]


@pytest.mark.parametrize(
    "html",
    [
        '<p><a href="/2021/07/x/">Công văn số 2410/UBND-KSTT</a></p>',  # inside a link
        '<p><a href="/x/"><strong>2410/UBND-KSTT</strong></a></p>',  # inside a link, deeper
        '<h2 id="cong-van-2410">Công văn 2410/UBND-KSTT</h2>',  # a heading (its anchor)
        "<p><code>2410/UBND-KSTT</code></p>",
        "<pre><code>Số: 2410/UBND-KSTT\n</code></pre>",
        "<p>Xem https://vbpl.vn/van-ban/2410/UBND-KSTT hoặc www.binhan.gov.vn/?so=2410/UBND-KSTT</p>",
        '<p><img src="/a.png" alt="Công văn 2410/UBND-KSTT"> <abbr title="2410/UBND-KSTT">CV</abbr></p>',
        "<!-- 2410/UBND-KSTT --><p>Không có số.</p>",
    ],
)
def test_never_linked_inside_links_headings_code_urls_or_markup(html):
    assert link(html)[0] == html


def test_numbers_in_links_and_headings_are_cited_but_code_is_not():
    _html, cited = link('<h2>2410/UBND-KSTT</h2><p><a href="/x/">107/2020/NĐ-CP</a></p><pre>1/KH-UBND</pre>')
    assert cited == ["2410/UBND-KSTT", "107/2020/ND-CP"]


def test_the_first_linkable_mention_is_linked_after_skipped_ones():
    html, _ = link("<h2>Công văn 2410/UBND-KSTT</h2><p>Nội dung 2410/UBND-KSTT.</p>")
    assert html == '<h2>Công văn 2410/UBND-KSTT</h2><p>Nội dung <a class="doc-ref" href="/van-ban/2410-ubnd-kstt/">2410/UBND-KSTT</a>.</p>'


def test_a_document_does_not_link_itself():
    assert link("<p>2410/UBND-KSTT</p>", skip="2410/UBND-KSTT")[0] == "<p>2410/UBND-KSTT</p>"


def test_html_without_numbers_is_returned_as_it_is():
    html = "<p>Ngày 31/12/2022, đạt 18/18 chỉ tiêu.</p>"
    assert documents.link_html(html, URLS.get) == (html, [])


# --- The built sample site ----------------------------------------------------------------------------


def test_at_least_fifteen_documents_several_with_files_and_a_replacement_chain(registry):
    assert len(registry) >= 15
    assert sum(1 for d in registry.values() if d.file_paths) >= 5
    assert registry["61/2018/ND-CP"].replaced_by is registry["118/2025/ND-CP"]
    assert registry["107/2020/ND-CP"].replaced_by is registry["118/2025/ND-CP"]
    assert registry["61/2018/ND-CP"].amended_by == [registry["107/2020/ND-CP"]]
    assert registry["16/2015/ND-CP"].replaced_by is registry["60/2021/ND-CP"]


def test_sample_documents_are_cited_by_sample_articles(registry, sample_articles):
    cited = set().union(*(source_citations(a) for a in sample_articles))
    for key in (
        "845/QD-UBND",
        "2148/QD-UBND",
        "3/CT-UBND",
        "1275/KH-UBND",
        "3012/QD-UBND",
        "2410/UBND-KSTT",
        "3765/QD-UBND",
        "125/KH-UBND",
        "61/2018/ND-CP",
        "107/2020/ND-CP",
        "39-NQ/TW",
        "76/NQ-CP",
        "6/QD-TTG",
        "118/2025/ND-CP",
    ):
        assert key in registry and key in cited, key


def test_content_documents_are_not_pelican_articles_or_pages(site):
    assert not list(site.output.glob("*/*/845-qd-ubnd*")) and not site.exists("/845-qd-ubnd/")
    assert "documents" not in {p.name for p in site.output.iterdir()}


def test_registered_numbers_are_linked_in_the_built_articles(site, sample_articles, registry):
    linked_somewhere = set()
    for article in sample_articles:
        soup = site.soup(article.url)
        body = soup.select_one(".body")
        assert not body.select("a a"), article.url
        refs = body.select("a.doc-ref")
        hrefs = [a["href"] for a in refs]
        assert len(hrefs) == len(set(hrefs)), f"one link per document: {article.url}"
        for a in refs:
            key = vntext.normalize_document_number(a.get_text())
            assert a["href"] == "/" + registry[key].url
            assert a.find_parent(["h1", "h2", "h3", "h4", "code", "pre"]) is None
            linked_somewhere.add(key)
        # Every registered number the body mentions outside a link is linked.
        text_keys = {vntext.normalize_document_number(m[2]) for m in vntext.find_document_numbers(body.get_text())}
        in_links = {vntext.normalize_document_number(m[2]) for a in body.select("a:not(.doc-ref)") for m in vntext.find_document_numbers(a.get_text())}
        in_headings = {vntext.normalize_document_number(m[2]) for h in body.select("h2, h3, h4") for m in vntext.find_document_numbers(h.get_text())}
        for key in text_keys & set(registry):
            if key not in {vntext.normalize_document_number(a.get_text()) for a in refs}:
                assert key in in_links | in_headings, (article.url, key)
    assert {"2410/UBND-KSTT", "61/2018/ND-CP", "3765/QD-UBND", "125/KH-UBND"} <= linked_somewhere


def test_an_existing_link_is_not_linked_again(site):
    soup = site.soup("/2021/10/hinh-anh-so-hoa-ho-so-tai-bo-phan-mot-cua-cap-xa/")
    link = next(a for a in soup.select(".body a") if "2410/UBND-KSTT" in a.get_text())
    assert "doc-ref" not in (link.get("class") or []) and link["href"].startswith("/2021/07/")


def test_each_document_lists_every_article_that_cites_it(site, sample_articles, registry):
    for key, document in registry.items():
        expected = [a for a in sample_articles if key in source_citations(a)]  # newest first
        soup = site.soup("/" + document.url)
        block = soup.select_one("section.doc-articles")
        assert block.h2.get_text(strip=True) == "Bài viết liên quan"
        listed = [(li.a["href"], " ".join(li.a.get_text().split()), li.time.get_text()) for li in block.select("li")]
        assert listed == [(a.url, a.title, f"{a.date:%d/%m/%Y}") for a in expected], key


def test_document_page_shows_facts_files_relations_and_breadcrumb(site, registry):
    soup = site.soup("/van-ban/61-2018-nd-cp/")
    assert " ".join(soup.h1.get_text().split()) == "Nghị định số 61/2018/NĐ-CP"
    assert soup.h1.select_one("span.nowrap").get_text() == "61/2018/NĐ-CP"  # never broken at its hyphen
    facts = {dt.get_text(strip=True): dd.get_text(" ", strip=True) for dt, dd in zip(soup.select(".doc-facts dt"), soup.select(".doc-facts dd"))}
    assert facts["Số hiệu"] == "61/2018/NĐ-CP" and facts["Cơ quan ban hành"] == "Chính phủ"
    assert facts["Ngày ban hành"].startswith("23/04/2018") and facts["Ngày có hiệu lực"] == "21/06/2018"
    assert facts["Tình trạng hiệu lực"] == "Đã bị thay thế"
    relations = soup.select_one("section.doc-relations")
    pairs = {dt.get_text(strip=True): [a["href"] for a in dd.select("a")] for dt, dd in zip(relations.select("dt"), relations.select("dd"))}
    assert pairs == {"Bị thay thế bởi": ["/van-ban/118-2025-nd-cp/"], "Được sửa đổi, bổ sung bởi": ["/van-ban/107-2020-nd-cp/"]}
    assert soup.select_one(".doc-notice a")["href"] == "/van-ban/118-2025-nd-cp/"
    crumbs = [(li.get_text(strip=True), li.a["href"] if li.a else None) for li in soup.select("nav.breadcrumb li")]
    assert crumbs == [
        ("Trang chủ", "/"),
        ("Văn bản chỉ đạo, điều hành", "/van-ban-chi-dao/"),
        ("Tra cứu văn bản", "/van-ban/"),
        ("Nghị định số 61/2018/NĐ-CP", None),
    ]
    newer = site.soup("/van-ban/118-2025-nd-cp/").select_one("section.doc-relations")
    assert [a["href"] for a in newer.select("dd a")] == ["/van-ban/61-2018-nd-cp/", "/van-ban/107-2020-nd-cp/"]
    amends = site.soup("/van-ban/107-2020-nd-cp/").select_one("section.doc-relations").get_text(" ", strip=True)
    assert "Sửa đổi, bổ sung" in amends and "61/2018/NĐ-CP" in amends


def test_document_files_have_kind_and_size(site, registry):
    from sitefiles import describe_attachment

    document = registry["3765/QD-UBND"]
    items = site.soup("/" + document.url).select("section.attachments li")
    assert len(items) == 2
    for item, path in zip(items, document.file_paths):
        described = describe_attachment(str(ROOT / "content"), path, "")
        assert item.a["href"] == described["url"] and site.exists(described["url"])
        assert f"({described['kind']}, {described['size']})" in item.get_text(" ", strip=True)


def test_document_body_is_sanitised_markdown_with_other_documents_linked(site):
    body = site.soup("/van-ban/3012-qd-ubnd/").select_one(".body")
    assert body.select_one("a.doc-ref")["href"] == "/van-ban/61-2018-nd-cp/"
    own = site.soup("/van-ban/2410-ubnd-kstt/").select(".body a.doc-ref")
    assert "/van-ban/2410-ubnd-kstt/" not in [a["href"] for a in own]


def test_registry_lists_every_document_newest_first(site, registry):
    soup = site.soup("/van-ban/")
    assert soup.select_one("[data-doc-registry]") is not None
    listed = [a["href"] for a in soup.select(".doc-list .doc-title a")]
    expected = ["/" + d.url for d in documents.newest_first(list(registry.values()))]
    assert listed == expected
    dates = [datetime.fromisoformat(t["datetime"]) for t in soup.select(".doc-list time")]
    assert dates == sorted(dates, reverse=True)
    assert soup.select_one("[data-doc-count]").get_text(strip=True) == f"{len(registry)} văn bản"
    crumbs = [li.get_text(strip=True) for li in soup.select("nav.breadcrumb li")]
    assert crumbs == ["Trang chủ", "Văn bản chỉ đạo, điều hành", "Tra cứu văn bản"]


FACET_OF = {"loai": lambda d: [d.kind_slug], "co-quan": lambda d: [d.issuer_slug], "nam": lambda d: [str(d.year)], "linh-vuc": lambda d: list(d.topic_ids)}


def test_filter_pages_list_the_documents_of_each_kind_issuer_year_and_topic(site, registry):
    ordered = documents.newest_first(list(registry.values()))
    registry_soup = site.soup("/van-ban/")
    links = registry_soup.select("[data-doc-facets] a[data-facet]")
    seen = set()
    for facet, values_of in FACET_OF.items():
        values = sorted({v for d in ordered for v in values_of(d)})
        assert values, facet
        for value in values:
            url = f"/van-ban/{facet}/{value}/"
            seen.add(url)
            soup = site.soup(url)
            expected = ["/" + d.url for d in ordered if value in values_of(d)]
            assert [a["href"] for a in soup.select(".doc-list .doc-title a")] == expected, url
            assert soup.select_one("[data-doc-registry]") is None, "the JS filter works on the full list only"
            current = soup.select_one('[data-doc-facets] a[aria-current="page"]')
            assert current["href"] == url
            assert f"({len(expected)})" in current.get_text()
            crumbs = [li.get_text(strip=True) for li in soup.select("nav.breadcrumb li")]
            assert crumbs[:3] == ["Trang chủ", "Văn bản chỉ đạo, điều hành", "Tra cứu văn bản"] and len(crumbs) == 4
    assert {a["href"] for a in links} == seen
    kinds = [a["data-label"] for a in links if a["data-facet"] == "loai"]
    assert kinds == [k for k in documents.KINDS if k in kinds], "kinds in the registry's order"
    years = [a["data-value"] for a in links if a["data-facet"] == "nam"]
    assert years == sorted(years, reverse=True)


def test_document_page_links_to_its_filter_pages(site):
    soup = site.soup("/van-ban/125-kh-ubnd/")
    hrefs = {a["href"] for a in soup.select(".doc-facts a")}
    assert {"/van-ban/loai/ke-hoach/", "/van-ban/co-quan/ubnd-tinh-binh-an/", "/van-ban/nam/2022/", "/van-ban/linh-vuc/chinh-quyen-so/"} <= hrefs


def test_documents_section_page_and_footer_link_to_the_registry(site):
    section = site.soup("/van-ban-chi-dao/")
    assert section.select_one(".registry-link a")["href"] == "/van-ban/"
    assert site.soup("/tin-tuc-su-kien/").select_one(".registry-link") is None
    assert "/van-ban/" in [a["href"] for a in site.soup("/").select("footer a")]


def test_filter_items_carry_what_the_script_filters_by(site, registry):
    soup = site.soup("/van-ban/")
    item = next(li for li in soup.select(".doc-item") if "/van-ban/06-qd-ttg/" in li.a["href"])
    assert (item["data-loai"], item["data-co-quan"], item["data-nam"], item["data-linh-vuc"]) == ("quyet-dinh", "thu-tuong-chinh-phu", "2022", "chinh-quyen-so")
    assert "06/qd-ttg" in item["data-text"] and "6/qd-ttg" in item["data-text"] and "phe duyet de an" in item["data-text"]


# --- Search and related news ------------------------------------------------------------------------------


def search(site, query: str) -> list[str]:
    result = subprocess.run(
        ["node", str(ROOT / "plugins" / "search" / "cli.mjs"), "search", str(site.output), query, "--limit", "20"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return [row["url"] for row in json.loads(result.stdout)]


@pytest.mark.parametrize("query", ["2410/UBND-KSTT", "2410 UBND KSTT", "2410/ubnd - kstt"])
def test_search_finds_the_document_and_the_articles_citing_it(site, sample_articles, registry, query):
    found = search(site, query)
    document = registry["2410/UBND-KSTT"]
    citing = [a.url for a in sample_articles if "2410/UBND-KSTT" in source_citations(a)]
    assert "/" + document.url in found[:3]
    assert set(citing) <= set(found)


def test_search_index_holds_the_document_pages(site, registry):
    meta = json.loads((site.output / "search" / "meta.json").read_text(encoding="utf-8"))
    base = site.output / "search" / meta["base"]
    urls = [row[0] for path in sorted((base / "s").glob("*.json"), key=lambda p: int(p.stem)) for row in json.loads(path.read_text())]
    assert urls[-len(registry) :] == [d.url for d in documents.newest_first(list(registry.values()))]


def test_search_finds_an_article_by_a_number_written_with_spaces(site):
    # The normalised numbers an article cites are keywords: an article whose Markdown splits
    # "04/2014/NĐ-CP" over two lines (so its text holds no whole number) is found by it.
    found = search(site, "04/2014/NĐ-CP")
    assert any(url.endswith("/tu-ngay-1-7-2022-doanh-nghiep-ho-kinh-doanh-bat-buoc-su-dung-hoa-don-dien-tu/") for url in found[:3]), found


def test_related_news_count_a_shared_number_however_it_is_written():
    from related import rank_related

    day = datetime(2021, 8, 1)
    twin = "Người dân nộp hồ sơ trực tuyến, nhận kết quả qua bưu điện tại nhà."
    others = [
        "Bộ Nội vụ công bố chỉ số PAR INDEX, tỉnh tăng ba bậc; chỉ số hài lòng SIPAS đạt 82%.",
        "Lấy ý kiến cử tri về phương án sắp xếp đơn vị hành chính cấp xã, nhập 26 xã thành 12 xã mới.",
        "Từ tháng 7, doanh nghiệp và hộ kinh doanh bắt buộc dùng hóa đơn điện tử do cơ quan thuế cấp mã.",
        "Giao quyền tự chủ tài chính cho đơn vị sự nghiệp công lập, bệnh viện tự bảo đảm chi thường xuyên.",
        "Tập huấn kỹ năng giao tiếp, ứng xử cho công chức tiếp dân, xử lý tình huống khi người dân bức xúc.",
        "Người dân dùng chữ ký số từ xa trên điện thoại để tự ký tờ khai khi nộp hồ sơ trực tuyến.",
    ]
    # Two candidates with the same syllables; only the winner cites the number the query cites, each
    # written differently (spaces, en dash). Without the shared number the tie goes to the smaller id.
    docs = [
        ("q", f"{twin} Thực hiện Công văn 2410/UBND - KSTT.", None, [], [], day),
        ("z-cung-van-ban", f"{twin} Theo Công văn 2410/UBND–KSTT.", None, [], [], day),
        ("a-khong", f"{twin} Theo công văn 2410 UBND KSTT.", None, [], [], day),
    ] + [(f"khac-{i}", text, None, [], [], day) for i, text in enumerate(others)]
    assert rank_related(docs, 2)["q"] == ["z-cung-van-ban", "a-khong"]


# --- The editors' guide ----------------------------------------------------------------------------------


def test_guide_document_example_is_valid_and_builds(content_copy, tmp_path):
    guide = (ROOT / "docs" / "huong-dan-bien-tap.md").read_text(encoding="utf-8")
    examples = [block for block in re.findall(r"```\w*\n(.*?)```", guide, re.S) if block.startswith("Number:")]
    assert examples, "the guide shows a document file"
    for number, example in enumerate(examples):
        path = _write(content_copy / "documents" / "vi-du", f"vi-du-{number}.md", example)
        found, problems = documents.model.parse_document(str(path), sample_settings(content_copy), example)
        assert [str(p) for p in problems] == [] and found is not None
    problems = [p for p in editorial.run_checks(sample_settings(content_copy), []) if "vi-du" in p.path]
    assert [str(p) for p in problems] == []
    result = run_pelican(content_copy, tmp_path / "out")
    assert result.returncode == 0, result.stdout + result.stderr


# --- In a browser -----------------------------------------------------------------------------------------


def test_registry_filter_in_the_browser(browser, served_site, artifacts, registry):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(served_site + "/van-ban/")
    page.wait_for_selector("[data-doc-filter-ready]")
    total = len(registry)
    assert page.locator("[data-doc-facets]").is_hidden(), "the form replaces the facet links"
    visible = page.locator(".doc-item:visible")
    assert visible.count() == total

    page.select_option(".doc-filter select[name=loai]", "nghi-dinh")
    decrees = [d for d in registry.values() if d.kind == "Nghị định"]
    assert visible.count() == len(decrees)
    assert page.locator("[data-doc-count]").text_content() == f"{len(decrees)}/{total} văn bản"
    assert "loai=nghi-dinh" in page.url

    page.fill(".doc-filter input[type=search]", "một cửa")
    # Every typed word, folded, anywhere in the number, kind, issuer and title (documents.js):
    # "một cửa" also finds "một số điều của".
    one_stop = [d for d in decrees if all(word in filter_text(d) for word in ("mot", "cua"))]
    assert visible.count() == len(one_stop) >= 2
    page.screenshot(path=str(artifacts / "documents-filter.png"), full_page=True)

    page.fill(".doc-filter input[type=search]", "zzzz")
    assert visible.count() == 0 and page.locator(".doc-empty").is_visible()
    page.click(".doc-filter button[type=reset]")
    page.wait_for_function(f"document.querySelectorAll('.doc-item:not([hidden])').length === {total}")

    # An address with choices in it opens filtered: a shared link.
    page.goto(served_site + "/van-ban/?nam=2021&q=2410%20ubnd%20kstt")
    page.wait_for_selector("[data-doc-filter-ready]")
    assert page.locator(".doc-filter select[name=nam]").input_value() == "2021"
    assert [a.get_attribute("href") for a in page.locator(".doc-item:visible .doc-title a").all()] == ["/van-ban/2410-ubnd-kstt/"]

    # Without JavaScript the facet links are the filter.
    plain = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 800})
    nojs = plain.new_page()
    nojs.goto(served_site + "/van-ban/")
    # On a phone the filters fold under one line, so that the list starts on the first screen.
    assert nojs.locator("[data-doc-facets]").is_hidden()
    assert nojs.locator(".doc-item").first.bounding_box()["y"] < 800
    nojs.click(".doc-filters > summary")
    assert nojs.locator("[data-doc-facets]").is_visible()
    nojs.click("[data-doc-facets] a[data-value='ke-hoach']")
    assert nojs.url.endswith("/van-ban/loai/ke-hoach/")
    assert nojs.locator(".doc-item").count() == sum(1 for d in registry.values() if d.kind == "Kế hoạch")
    nojs.screenshot(path=str(artifacts / "documents-nojs-360.png"), full_page=True)
    plain.close()
    context.close()
    assert errors == []


@pytest.mark.parametrize("width", [360, 1280])
def test_registry_and_document_pages_have_no_serious_accessibility_violation(browser, served_site, width):
    axe = ROOT / "node_modules" / "axe-core" / "axe.min.js"
    if not axe.is_file():
        pytest.fail("node_modules/axe-core is missing: run the tests with `./portal test`, which runs `npm ci`")
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="vi-VN")
    page = context.new_page()
    found = []
    for path in ["/van-ban/", "/van-ban/loai/nghi-dinh/", "/van-ban/61-2018-nd-cp/", "/van-ban/3765-qd-ubnd/"]:
        page.goto(served_site + path)
        if path == "/van-ban/":
            page.wait_for_selector("[data-doc-filter-ready]")
        page.add_script_tag(path=str(axe))
        result = page.evaluate(
            "() => axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}, resultTypes: ['violations']})"
        )
        found += [f"{path} [{width}px] {v['id']}: {v['help']}" for v in result["violations"] if v["impact"] in {"serious", "critical"}]
    context.close()
    assert found == []


def test_a_document_without_status_says_it_is_not_updated(site, registry):
    unstated = [d for d in registry.values() if not d.status]
    assert unstated, "the sample registry has documents whose file gives no Status"
    items = {li.select_one(".doc-title a")["href"]: li for li in site.soup("/van-ban/").select(".doc-item")}
    for document in registry.values():
        badge = site.soup("/" + document.url).select_one(".doc-facts .doc-status")
        listed = items["/" + document.url].select_one(".meta .doc-status")
        expected = document.status_label or "Chưa cập nhật hiệu lực"
        assert badge.get_text(strip=True) == listed.get_text(strip=True) == expected, document.key
        assert ("doc-status-chua-cap-nhat" in badge["class"]) == (not document.status)
        # The "·" before the badge stays on its line: never a line that starts with it.
        assert listed.parent.name == "span" and "nowrap" in listed.parent["class"] and listed.parent.get_text().startswith(" · ")


def test_document_files_show_their_title(site, registry):
    document = registry["3012/QD-UBND"]
    link = site.soup("/" + document.url).select_one("section.attachments li a")
    assert " ".join(link.get_text().split()) == "Quyết định số 3012/QĐ-UBND"
