"""Random front matter and YAML, as a careless or hostile editor might commit them: the checks never
raise and a build never prints a traceback; it either builds or stops with problems."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import editorial
from conftest import ROOT, run_pelican

KEYS = [
    "Title",
    "Date",
    "Modified",
    "Category",
    "Topics",
    "Tags",
    "Slug",
    "Author",
    "Summary",
    "Image",
    "ImageAlt",
    "ImageCaption",
    "Featured",
    "Attachments",
    "Status",
    "Lang",
    "Template",
    "Related",
    "RelatedExclude",
]
# Any Unicode, control and separator characters included (surrogates cannot be written as UTF-8).
ANY_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=60)
PLAUSIBLE = st.sampled_from(
    [
        "",
        " ",
        "2024-03-20 16:00",
        "2020-02-31",
        "31/02/2020",
        "yes",
        "không",
        "draft",
        "hidden",
        "en",
        "article",
        "cai-cach-tthc, chinh-quyen-so",
        "images/2024/khong-co.jpg",
        "../../etc/passwd",
        "/etc/passwd",
        "files/2024/x.pdf",
        "tin-tuc-su-kien",
        "🎉",
        "a" * 300,
        "{static}/images/x.jpg",
        "tim-kiem",
        "\x00",
        "\u2028",
    ]
)
VALUE = st.one_of(ANY_TEXT, PLAUSIBLE)
KEY = st.one_of(st.sampled_from(KEYS), st.from_regex(r"[A-Za-z][A-Za-z0-9_-]{0,12}", fullmatch=True))
# Often a valid Title and Date first, so that the random rest reaches Pelican's readers and writers.
VALID_START = [("Title", "Tin thử nghiệm"), ("Date", "2024-03-20 16:00"), ("Topics", "cai-cach-tthc")]
FRONT_MATTER = st.tuples(st.booleans(), st.lists(st.tuples(KEY, VALUE), max_size=12)).map(lambda t: (VALID_START if t[0] else []) + t[1])
BODY = st.one_of(ANY_TEXT, st.sampled_from(["", "Nội dung.", "![a](/images/../../x.jpg)", "[[bang:par-index]]", "<script>x</script>"]))


def render(pairs: list[tuple[str, str]], body: str) -> str:
    return "".join(f"{key}: {value}\n" for key, value in pairs) + "\n" + body + "\n"


@pytest.fixture(scope="module")
def small_content(tmp_path_factory) -> Path:
    """The sample's site data and one article folder: a content folder small enough to check per example."""
    content = tmp_path_factory.mktemp("fuzz") / "content"
    shutil.copytree(ROOT / "content" / "data", content / "data")
    (content / "articles" / "tin-tuc-su-kien" / "2024").mkdir(parents=True)
    (content / "pages").mkdir()
    (content / "documents").mkdir()
    return content


def run_checks(content: Path) -> list:
    loaded, problems = editorial.load_settings(str(ROOT / "pelicanconf.py"), str(content))
    return editorial.run_checks(loaded, problems)


FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@FUZZ
@given(pairs=FRONT_MATTER, body=BODY, raw=st.one_of(st.none(), st.binary(max_size=200)))
def test_checks_never_raise_on_random_articles_and_pages(small_content, pairs, body, raw):
    data = raw if raw is not None else render(pairs, body).encode("utf-8", "surrogatepass")
    article = small_content / "articles" / "tin-tuc-su-kien" / "2024" / "bai.md"
    page = small_content / "pages" / "trang.md"
    document = small_content / "documents" / "van-ban.md"
    for path in (article, page, document):
        path.write_bytes(data)
    try:
        problems = run_checks(small_content)
    finally:
        for path in (article, page, document):
            path.unlink()
    assert all(p.path and p.message for p in problems)


# YAML values of any shape: scalars, lists and mappings, nested.
SCALAR = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), ANY_TEXT, PLAUSIBLE)
TREE = st.recursive(
    SCALAR,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(
            st.one_of(ANY_TEXT, st.sampled_from(["id", "title", "name", "children", "columns", "rows", "chart", "url", "phone"])), inner, max_size=4
        ),
    ),
    max_leaves=20,
)
YAML_TEXT = st.one_of(
    TREE.map(lambda tree: yaml.safe_dump(tree, allow_unicode=True)),
    ANY_TEXT,
    st.sampled_from(["a: &x [1]\nb: *x\n", "- [unclosed\n", "key: 'open\n", "{a: 1, a: 2}\n", "!!python/object:os.system {}\n", ": :\n"]),
)
DATA_FILES = ["sections.yaml", "topics.yaml", "site.yaml", "links.yaml", "abbreviations.yaml", "tables/par-index.yaml"]


@FUZZ
@given(name=st.sampled_from(DATA_FILES), text=YAML_TEXT, raw=st.one_of(st.none(), st.binary(max_size=100)))
def test_checks_never_raise_on_random_data_files(small_content, name, text, raw):
    path = small_content / "data" / name
    original = path.read_bytes()
    path.write_bytes(raw if raw is not None else text.encode("utf-8", "surrogatepass"))
    try:
        problems = run_checks(small_content)
    finally:
        path.write_bytes(original)
    assert all(p.path and p.message for p in problems)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(pairs=FRONT_MATTER, body=BODY, name=st.sampled_from(DATA_FILES), text=st.one_of(st.none(), YAML_TEXT))
def test_a_build_never_prints_a_traceback(small_content, tmp_path, pairs, body, name, text):
    article = small_content / "articles" / "tin-tuc-su-kien" / "2024" / "bai.md"
    article.write_text(render(pairs, body), encoding="utf-8", errors="surrogatepass")
    data = small_content / "data" / name
    original = data.read_bytes()
    if text is not None:
        data.write_text(text, encoding="utf-8", errors="surrogatepass")
    output = tmp_path / "out"
    shutil.rmtree(output, ignore_errors=True)
    try:
        result = run_pelican(small_content, output)
    finally:
        article.unlink()
        data.write_bytes(original)
    log = result.stdout + result.stderr
    assert result.returncode in (0, 1), log
    assert "Traceback" not in log, log
