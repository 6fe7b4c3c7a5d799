"""The search index: lunr.py's weights, split into files that give the same scores; the built site's
search page, header box and index files; the abbreviations file an editor edits."""

from __future__ import annotations

import html
import json
import re
import subprocess
from pathlib import Path

import pytest

from conftest import run_pelican
from search.abbreviations import parse_abbreviations
from search.analysis import lunr_pipeline, tokenize
from search.builder import IndexBuilder, SearchItem, index_documents, item_texts
from search.layout import FIELDS, SearchDocument, _averages, term_fields
from search.writer import write_index
from sourcefiles import load_yaml

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def documents(tmp_path_factory):
    """Forty generated articles as plain documents (no Pelican): titles, summaries, bodies, tags."""
    from archive_generator import generate

    folder = generate(tmp_path_factory.mktemp("archive") / "content", 40, seed=7)
    return markdown_documents(folder)


def markdown_documents(folder: Path) -> list[SearchDocument]:
    """The generated articles under folder as SearchDocuments carrying their items (the Markdown
    escaped as HTML text: the same words and line breaks)."""
    docs = []
    for path in sorted((folder / "articles").rglob("*.md")):
        head, body = path.read_text(encoding="utf-8").split("\n\n", 1)
        meta = dict(line.split(": ", 1) for line in head.splitlines())
        source = str(path)
        docs.append(
            SearchDocument(
                url=f"{meta['Slug']}/",
                title=meta["Title"],
                date=meta["Date"][:10],
                section=meta["Category"],
                keywords=meta["Tags"].replace(", ", "\n"),
                source=source,
                item=SearchItem(source, meta["Title"], html.escape(meta["Summary"]), html.escape(body)),
            )
        )
    return docs


def index_files(documents, abbreviations, sections, **layout):
    return IndexBuilder(abbreviations).files(documents, sections, **layout)


def lunr_py_index(documents, abbreviations):
    from lunr.builder import Builder

    builder = Builder()
    builder.pipeline = lunr_pipeline(abbreviations)
    builder.search_pipeline = lunr_pipeline(abbreviations, search=True)
    builder.ref("ref")
    for name, boost in FIELDS:
        builder.field(name, boost)
    for ref, doc in enumerate(documents):
        texts = [*item_texts(doc.item), doc.keywords]
        # lunr.py's Builder runs its own whitespace tokenizer on strings and takes lists as tokens.
        builder.add({"ref": str(ref), **{name: tokenize(text) for (name, _), text in zip(FIELDS, texts)}})
    return builder.build()


def test_weights_are_lunr_py_builders(documents, abbreviations):
    full = lunr_py_index(documents, abbreviations)
    ours = index_documents(documents, abbreviations)
    averages = _averages(ours)
    assert set(ours.postings) == set(full.inverted_index)
    compared = 0
    for term in ours.postings:
        index = full.inverted_index[term]["_index"]
        for number, flat in enumerate(term_fields(ours, term, averages)):
            field = FIELDS[number][0]
            ref = 0
            expected = {r: None for r in full.inverted_index[term][field]}
            for i in range(0, len(flat), 2):
                ref += flat[i]
                elements = full.field_vectors[f"{field}/{ref}"].elements
                weight = dict(zip(elements[::2], elements[1::2]))[index]
                assert flat[i + 1] / 1000 == weight, (term, field, ref)
                expected.pop(str(ref))
                compared += 1
            assert expected == {}, (term, field)
    assert compared > 20_000


def test_fast_weights_equal_lunr_weight_over_many_lengths_and_frequencies():
    """term_fields computes lunr_weight with precomputed norms and a fast rounding; over every field,
    thousands of lengths and term frequencies it gives lunr_weight's numbers exactly."""
    import random
    from array import array

    from search.layout import TermIndex, _idf, lunr_weight

    rng = random.Random(5)
    index = TermIndex(count=3000)
    index.lengths = [array("i", [rng.randint(1, 4000) for _ in range(3000)]) for _ in FIELDS]
    flat = array("i")
    for ref in range(3000):
        for number in range(len(FIELDS)):
            if rng.random() < 0.7:
                flat.extend((ref * len(FIELDS) + number, rng.choice([1, 1, 2, 3, 5, 8, 40, 400])))
    index.postings["x"] = flat
    averages = _averages(index)
    idf = _idf(len(flat) // 2, index.count)
    expected = [[] for _ in FIELDS]
    last = [0] * len(FIELDS)
    for i in range(0, len(flat), 2):
        ref, number = divmod(flat[i], len(FIELDS))
        weight = lunr_weight(idf, flat[i + 1], index.lengths[number][ref], averages[number], FIELDS[number][1])
        expected[number] += [ref - last[number], round(weight * 1000)]
        last[number] = ref
    assert term_fields(index, "x", averages) == expected


def test_sharded_index_scores_as_the_whole_lunr_index(tmp_path, documents, abbreviations):
    """The browser's partial indexes (a few postings files each) give every result the score lunr.js
    gives it with the whole lunr.py index loaded (before the ranking weighs what each page lacks)."""
    meta, files = index_files(documents, abbreviations, [], shard_bytes=2_000, dictionary_bytes=1_000, docs_per_file=4)
    write_index(str(tmp_path / "search"), meta, files)
    assert len(json.loads(meta)["postings"]) > 50, "many small postings files"
    full = tmp_path / "full.json"
    full.write_text(json.dumps(lunr_py_index(documents, abbreviations).serialize()), encoding="utf-8")
    script = (
        """
const [root, fullPath, queries] = process.argv.slice(1);
const { createRequire } = await import("node:module");
const { readFileSync } = await import("node:fs");
const require = createRequire(root + "/");
const lunr = require(%(lunr)s);
const { openIndex, registerPipeline } = await import(%(search)s);
const fetchJSON = async (url) => JSON.parse(readFileSync(root + "/" + url, "utf8"));
const index = await openIndex({ lunr, fetchJSON });
const serialized = JSON.parse(readFileSync(fullPath, "utf8"));
registerPipeline(lunr, JSON.parse(readFileSync(root + "/search/meta.json", "utf8")).abbreviations);
const whole = lunr.Index.load(serialized);
const out = [];
for (const text of JSON.parse(queries)) {
  const found = await index.search(text);
  const boosts = found.query.boosts;
  const reference = new Map(whole.query((q) => { for (const [term, boost] of boosts) q.term(term, { boost, usePipeline: true }); })
    .map((m) => [Number(m.ref), m.score]));
  out.push(found.results.map((r) => [r.ref, r.lunrScore, reference.get(r.ref)]));
}
console.log(JSON.stringify(out));
"""  # noqa: UP031 (the JavaScript braces would all need doubling in an f-string)
        % {
            "lunr": json.dumps(str(ROOT / "node_modules" / "lunr" / "lunr.min.js")),
            "search": json.dumps((ROOT / "theme" / "static" / "js" / "search.js").as_uri()),
        }
    )
    queries = ["cải cách hành chính", "thu tuc hanh chinh", "TTHC", "2410/UBND-KSTT", "Uỷ ban nhân dân tỉnh", "số hóa hồ sơ trực tuyến", "13.989", "kiem tr"]
    done = subprocess.run(
        ["node", "--input-type=module", "-e", script, str(tmp_path), str(full), json.dumps(queries)], capture_output=True, text=True, cwd=ROOT, check=True
    )
    results = json.loads(done.stdout)
    assert sum(map(len, results)) > 40
    for query, found in zip(queries, results):
        for ref, score, reference in found:
            assert reference is not None and abs(score - reference) < 1e-9, (query, ref, score, reference)


def test_files_are_small_and_named_by_their_content(documents, abbreviations):
    meta, files = index_files(documents, abbreviations, [])
    again, _files = index_files(documents, abbreviations, [])
    assert meta == again, "the same content gives the same index"
    base = json.loads(meta)["base"]
    assert re.fullmatch(r"[0-9a-f]{12}/", base)
    postings = [text for path, text in files.items() if path.startswith("p/")]
    single = [text for text in postings if text.count('],["') == 0]  # one term a file
    assert all(len(text) <= 12_000 for text in postings if text not in single)
    assert json.loads(meta)["count"] == len(documents)


# --- The built sample site ---------------------------------------------------------------------------


def test_site_has_an_index_of_every_published_article_and_page(site, sample_articles):
    meta = json.loads((site.output / "search" / "meta.json").read_text(encoding="utf-8"))
    pages = len(list((ROOT / "content" / "pages").rglob("*.md")))
    registered = len(list((ROOT / "content" / "documents").rglob("*.md")))  # document pages (plugins/documents)
    assert meta["count"] == len(sample_articles) + pages + registered
    assert meta["fields"] == ["title", "lead", "body", "keywords"]
    assert meta["pipeline"] == ["vn-normalize", "vn-trimmer"]
    assert meta["abbreviations"]["tthc"] == [["thu", "tuc", "hanh", "chinh"]]
    assert len(meta["docSections"]) == meta["count"] and sum(n for _y, n in meta["years"]) == meta["count"]
    base = site.output / "search" / meta["base"]
    docs = [row for path in sorted((base / "s").glob("*.json"), key=lambda p: int(p.stem)) for row in json.loads(path.read_text())]
    assert [row[0] for row in docs[: len(sample_articles)]] == [a.url.lstrip("/") for a in sample_articles], "newest first"
    assert all(site.exists("/" + row[0]) for row in docs)
    assert (site.output / "theme" / "js" / "lunr.min.js").read_text().startswith("/**")
    assert not list((site.output / "search").glob("*/*/*.json.tmp"))


def test_body_text_has_no_markup_or_navigation(site):
    meta = json.loads((site.output / "search" / "meta.json").read_text(encoding="utf-8"))
    base = site.output / "search" / meta["base"]
    terms = {entry[0] for path in (base / "p").glob("*.json") for entry in json.loads(path.read_text())}
    for junk in ("href", "class", "div", "strong", "trang chu", "truy cap noi dung luon"):
        assert junk not in terms


def test_search_page_works_without_javascript(site):
    page = site.soup("/tim-kiem/")
    form = page.select_one("form.search-form")
    assert form["action"] == "/tim-kiem/" and form.get("method") == "get" and form.select_one("input[name=q]")
    assert page.select_one("label[for=search-query]")
    status = page.select_one("[data-search-status]")
    assert status["role"] == "status" and status["aria-live"] == "polite"
    links = {a["href"] for a in page.select("[data-search-browse] a")}
    assert {"/tin-tuc-su-kien/", "/luu-tru/", "/tu-khoa/"} <= links, "without JavaScript the page leads somewhere"
    assert not [s for s in page.find_all("script") if not s.get("src")], "no inline scripts (CSP)"


def test_every_page_has_the_header_search_box(site):
    for url in ("/", "/tin-tuc-su-kien/", "/gioi-thieu/"):
        form = site.soup(url).select_one("header form.header-search")
        assert form["action"] == "/tim-kiem/" and form.select_one("input[name=q][type=search]")
        assert form.select_one("label[for=header-search-query]")


def _file_number(path: str) -> int:
    return int(path.rsplit("/", 1)[-1].split(".")[0])


def index_files_in(folder: Path) -> dict[str, bytes]:
    """Every file of a built index (search/ and the lunr.min.js beside it), by path."""
    paths = [*(folder / "search").rglob("*"), folder / "theme" / "js" / "lunr.min.js"]
    return {str(p.relative_to(folder)): p.read_bytes() for p in paths if p.is_file()}


def test_the_builds_own_process_builds_the_index_the_worker_builds(site, tmp_path):
    """SEARCH_IN_PARALLEL off (or no fork on the system): the same index, byte for byte."""
    settings = tmp_path / "settings.py"
    settings.write_text("from pelicanconf import *\nSEARCH_IN_PARALLEL = False\n", encoding="utf-8")
    result = run_pelican(ROOT / "content", tmp_path / "out", settings=str(settings), extra_env={"PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, result.stdout + result.stderr
    theirs, ours = index_files_in(site.output), index_files_in(tmp_path / "out")
    assert len(ours) > 10 and ours == theirs


def test_worker_and_in_process_index_answer_the_same_calls_alike(tmp_path, abbreviations):
    """The same items, an item sent again with another body, an article not sent before the end and a
    registered document without a body give the same files from both transports."""
    from search.worker import BATCH, IndexWorker, InProcessIndex

    lunr_js = str(ROOT / "node_modules" / "lunr" / "lunr.min.js")
    items = [
        (f"a{n}.md", f"Thủ tục hành chính số {n}", "<p>Tóm tắt <b>một cửa</b></p>" if n % 2 else "", f"<p>Nội dung {n}</p><p>hồ sơ</p>")
        for n in range(BATCH * 2 + 5)
    ]
    built = []
    for transport in (IndexWorker, InProcessIndex):
        index = transport(abbreviations, lunr_js)
        for item in items:
            index.add(*item)
        index.add(items[4][0], items[4][1], items[4][2], "<p>Nội dung mới: số hóa</p>")  # analysed again: its text changed
        documents = [SearchDocument(url=f"{s}/", title=t, date="2024-01-02", section="", keywords="2024", source=s) for s, t, _l, _b in items]
        documents.append(
            SearchDocument(
                url="bai-cuoi/",
                title="Bài cuối",
                date="2024-01-01",
                section="",
                keywords="",
                source="z.md",
                item=SearchItem("z.md", "Bài cuối", "", "<p>Chỉ gửi khi đã đọc xong</p>"),
            )
        )
        title = "Quyết định số 6/QĐ-UBND: Về cải cách hành chính"
        documents.append(
            SearchDocument(
                url="van-ban/6/",
                title=title,
                date="2024-01-01",
                section="",
                keywords="6/QD-UBND",
                source="van-ban/6.md",
                item=SearchItem("van-ban/6.md", title, "", "", excerpt_default="Về cải cách hành chính"),
            )
        )
        output = tmp_path / transport.__name__
        index.build(documents, [], {"shard_bytes": 2_000, "docs_per_file": 16, "output": str(output), "report": None})
        assert index.join() == 0
        built.append(index_files_in(output))
    assert built[0] == built[1]
    shards = sorted((_file_number(path), text) for path, text in built[1].items() if "/s/" in path)
    rows = [row for _number, text in shards for row in json.loads(text)]
    passages = {_file_number(path): json.loads(text) for path, text in built[1].items() if "/t/" in path}
    excerpts = {row[0]: passages[ref][0] for ref, row in enumerate(rows)}
    assert len(rows) == len(items) + 2
    assert excerpts["a4.md/"] == "Nội dung mới: số hóa" and excerpts["a3.md/"] == "Tóm tắt một cửa"
    assert excerpts["bai-cuoi/"] == "Chỉ gửi khi đã đọc xong" and excerpts["van-ban/6/"] == "Về cải cách hành chính"


# --- content/data/abbreviations.yaml -----------------------------------------------------------------


def test_abbreviations_expand_and_report_file_and_line(tmp_path):
    path = tmp_path / "abbreviations.yaml"
    path.write_text("TTHC: thủ tục hành chính\nTT HC: thủ tục\nUBND: ủy\nCBCC:\n  - cán bộ, công chức\n  - 12\n", encoding="utf-8")
    table, problems = parse_abbreviations(load_yaml(str(path)), str(path))
    assert table.table == {"tthc": [["thu", "tuc", "hanh", "chinh"]], "cbcc": [["can", "bo", "cong", "chuc"]]}
    assert [(p.line, p.message.split(":")[0][:6]) for p in problems] == [(2, '"TT HC'), (3, "UBND"), (4, "CBCC")]
    assert all(str(p).startswith(f"{path}:") for p in problems)


def test_a_broken_abbreviations_file_stops_the_build(content_copy, tmp_path):
    (content_copy / "data" / "abbreviations.yaml").write_text("TTHC: thủ tục hành chính\nDVC: 'dịch vụ công\n", encoding="utf-8")
    result = run_pelican(content_copy, tmp_path / "out")
    assert result.returncode != 0
    assert "abbreviations.yaml:2:" in result.stdout + result.stderr
    assert not (tmp_path / "out" / "search").exists()


def test_missing_lunr_stops_the_build_with_a_hint(content_copy, tmp_path):
    settings = tmp_path / "settings.py"
    settings.write_text(f"from pelicanconf import *\nSEARCH_LUNR_JS = {str(tmp_path / 'nowhere.js')!r}\n", encoding="utf-8")
    result = run_pelican(content_copy, tmp_path / "out", settings=str(settings), extra_env={"PYTHONPATH": str(ROOT)})
    assert result.returncode != 0 and "npm ci" in result.stdout + result.stderr


def test_a_field_empty_in_every_document_does_not_stop_the_index():
    """One article with no body (a new portal's first draft): the body field's average length is 0."""
    from types import SimpleNamespace

    from search.layout import K1, B, field_norms

    index = SimpleNamespace(lengths=[[3, 5], [0, 0]])
    norms = field_norms(index, [4.0, 0.0])
    assert norms[0] == [K1 * (1 - B + B * 3 / 4), K1 * (1 - B + B * 5 / 4)]
    assert norms[1] == [K1 * (1 - B), K1 * (1 - B)]
