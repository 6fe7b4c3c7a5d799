"""Rebuilds that take unchanged pages from the last build (plugins/reuse) give exactly the site a full build gives."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT


def build(
    content: Path,
    output: Path,
    cache: Path | None = None,
    theme: Path | None = None,
    previous: Path | None = None,
    settings: Path | None = None,
    extra: tuple[str, ...] = (),
    seed: int | None = None,
) -> subprocess.CompletedProcess:
    """A build as `invoke livereload` rebuilds (content cache, reuse on, into a fresh folder, taking
    unchanged pages from ``previous``) when ``cache`` is given, else a plain full build."""
    command = [sys.executable, "-m", "pelican", str(content), "-s", str(settings or "pelicanconf.py"), "-o", str(output), "--log-handler", "plain"]
    overrides = list(extra)
    if cache is not None:
        overrides += ["CACHE_CONTENT=true", "LOAD_CONTENT_CACHE=true", f"CACHE_PATH={json.dumps(str(cache))}", "REUSE_UNCHANGED_PAGES=true"]
        overrides.append(f"REUSE_FROM={json.dumps(str(previous or output))}")
    if theme is not None:
        overrides.append(f"THEME={json.dumps(str(theme))}")
    if overrides:
        command += ["-e", *overrides]
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    if seed is not None:  # the order of sets and so the order Pelican reads the files in
        env["PYTHONHASHSEED"] = str(seed)
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def counts(cache: Path) -> tuple[int, int]:
    stored = json.loads((cache / "reuse-pages.json").read_text(encoding="utf-8"))
    return stored["rendered"], stored["reused"]


def assert_same_site(reused: Path, fresh: Path) -> None:
    a, b = tree(reused), tree(fresh)
    assert sorted(a) == sorted(b)
    different = [name for name in a if a[name] != b[name]]
    assert different == [], f"{len(different)} files differ from a full build, e.g. {different[:5]}"


@pytest.fixture()
def live(content_copy, tmp_path):
    """The sample site built once as livereload builds it, in place, with a theme that may be edited."""
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    output, cache = tmp_path / "live", tmp_path / "cache"
    build(content_copy, output, cache, theme, previous=output)
    return content_copy, output, cache, theme


def article_with_summary(content: Path) -> Path:
    return next(p for p in sorted((content / "articles").rglob("*.md")) if "\nSummary:" in p.read_text(encoding="utf-8"))


def test_nothing_changed_renders_nothing_and_gives_the_same_site(live, tmp_path):
    content, output, cache, theme = live
    build(content, tmp_path / "next", cache, theme, previous=output)
    rendered, reused = counts(cache)
    assert rendered == 0 and reused > 200
    build(content, tmp_path / "fresh", theme=theme)
    assert_same_site(tmp_path / "next", tmp_path / "fresh")


def test_articles_of_the_same_date_keep_one_order_from_build_to_build(content_copy, tmp_path):
    # Pelican reads the files in set order, which changes with each run's hash seed; two articles
    # saved at the same minute must still list in one order, or no rebuild reuses a page.
    first, second = sorted((content_copy / "articles" / "tin-tuc-su-kien").rglob("*.md"))[:2]
    date = next(line for line in first.read_text(encoding="utf-8").splitlines() if line.startswith("Date:"))
    text = second.read_text(encoding="utf-8")
    second.write_text(text.replace(next(line for line in text.splitlines() if line.startswith("Date:")), date, 1), encoding="utf-8")
    output, cache = tmp_path / "live", tmp_path / "cache"
    build(content_copy, output, cache, previous=output, seed=1)
    for seed in (2, 3, 4):
        build(content_copy, tmp_path / f"next-{seed}", cache, previous=output, seed=seed)
        assert counts(cache)[0] == 0, f"hash seed {seed}: pages rendered again with nothing changed"
    build(content_copy, tmp_path / "fresh", seed=5)
    assert_same_site(tmp_path / "next-4", tmp_path / "fresh")


def test_a_body_edit_renders_that_article_and_few_others(live, tmp_path):
    content, output, cache, theme = live
    article = article_with_summary(content)
    text = article.read_text(encoding="utf-8")
    head, body = text.split("\n\n", 1)
    article.write_text(f"{head}\n\nMột câu mới được biên tập viên thêm vào đầu bài.\n\n{body}", encoding="utf-8")
    build(content, tmp_path / "next", cache, theme, previous=output)
    rendered, reused = counts(cache)
    # The article's page, and those of articles whose related list the new words changed.
    assert 1 <= rendered <= 5 and reused > 200
    build(content, tmp_path / "fresh", theme=theme)
    assert_same_site(tmp_path / "next", tmp_path / "fresh")


def edit_table(content: Path) -> None:
    # A text every embed of the table shows (an article embeds this one with [[bang:kiem-tra-cchc-2020]]).
    table = content / "data" / "tables" / "kiem-tra-cchc-2020.yaml"
    table.write_text(table.read_text(encoding="utf-8").replace("source: Đoàn kiểm tra", "source: Tổ kiểm tra", 1), encoding="utf-8")


@pytest.mark.parametrize("change", ["title", "template", "sections", "table", "document", "tampered"])
def test_other_changes_render_what_they_touch(live, tmp_path, change):
    content, output, cache, theme = live
    if change == "title":
        article = article_with_summary(content)
        article.write_text(article.read_text(encoding="utf-8").replace("Title: ", "Title: Cập nhật: ", 1), encoding="utf-8")
    elif change == "template":
        base = theme / "templates" / "base.html"
        base.write_text(base.read_text(encoding="utf-8").replace("</footer>", "<p>Dòng mới ở chân trang.</p></footer>", 1), encoding="utf-8")
    elif change == "sections":
        sections = content / "data" / "sections.yaml"
        sections.write_text(sections.read_text(encoding="utf-8").replace("Tin tức - Sự kiện", "Tin tức và Sự kiện", 1), encoding="utf-8")
    elif change == "table":  # embedded in article bodies as they are read (plugins/bodies)
        edit_table(content)
    elif change == "document":  # its number is linked in article bodies, its title listed
        document = content / "documents" / "2021" / "2410-ubnd-kstt.md"
        document.write_text(document.read_text(encoding="utf-8").replace("Title: Về việc đẩy mạnh", "Title: Về đẩy mạnh", 1), encoding="utf-8")
    else:  # someone changed a built page by hand: it is rendered again, not trusted
        page = output / "gioi-thieu" / "index.html"
        page.write_text(page.read_text(encoding="utf-8").replace("</main>", "<p>sửa tay</p></main>"), encoding="utf-8")
    build(content, tmp_path / "next", cache, theme, previous=output)
    rendered, _reused = counts(cache)
    assert rendered == 1 if change == "tampered" else rendered > 200, rendered
    build(content, tmp_path / "fresh", theme=theme)
    assert_same_site(tmp_path / "next", tmp_path / "fresh")


def test_off_by_default_and_for_publishing():
    settings = (ROOT / "pelicanconf.py").read_text(encoding="utf-8")
    assert "REUSE_UNCHANGED_PAGES = False" in settings
    assert "REUSE_UNCHANGED_PAGES" not in (ROOT / "publishconf.py").read_text(encoding="utf-8")


def test_the_search_worker_keeps_its_analysis_for_the_next_build(live):
    """With the content cache on, the search index's analysis is kept: a rebuild analyses only what
    changed (the rebuilt index is compared with a full build's by the tests above)."""
    from search.abbreviations import load_abbreviations
    from search.builder import _cache_key, _load_cache

    content, _output, cache, _theme = live
    abbreviations, problems = load_abbreviations(str(content / "data" / "abbreviations.yaml"))
    assert problems == []
    vocabulary, analysed = _load_cache(str(cache / "search-analysis.pickle"), _cache_key(abbreviations))
    articles = list((content / "articles").rglob("*.md"))
    assert len(analysed) >= len(articles) and len(vocabulary.terms) > 1000
    _vocabulary, none = _load_cache(str(cache / "search-analysis.pickle"), b"another key")
    assert none == {}, "analysis made with other abbreviations or code is not used"


def test_a_new_attribute_from_any_plugin_changes_the_pages_that_show_it(content_copy, tmp_path):
    """The key reads every attribute of the content objects, whichever plugin set it: a plugin the
    reuse plugin knows nothing about cannot leave an old page behind."""
    probe = tmp_path / "probe_plugins" / "reuse_probe"
    probe.mkdir(parents=True)
    (probe / "__init__.py").write_text(
        "from pelican import signals\n\n\n"
        "def on_articles(generator):\n"
        "    with open(generator.settings['REUSE_PROBE_FILE'], encoding='utf-8') as handle:\n"
        "        note = handle.read()\n"
        "    for article in generator.articles:\n"
        "        article.probe_note = note\n\n\n"
        "def register():\n"
        "    signals.article_generator_finalized.connect(on_articles)\n",
        encoding="utf-8",
    )
    note = tmp_path / "note.txt"
    note.write_text("Ghi chú thứ nhất", encoding="utf-8")
    settings = tmp_path / "probe_settings.py"
    settings.write_text(
        f"import sys\nsys.path.insert(0, {str(ROOT)!r})\nfrom pelicanconf import *  # noqa: F403\n"
        f"PLUGIN_PATHS = [{str(ROOT / 'plugins')!r}, {str(probe.parent)!r}]\n"
        "PLUGINS = [p for p in PLUGINS if p != 'reuse'] + ['reuse_probe', 'reuse']  # noqa: F405\n"
        f"REUSE_PROBE_FILE = {str(note)!r}\n",
        encoding="utf-8",
    )
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    template = theme / "templates" / "article.html"
    text = template.read_text(encoding="utf-8")
    template.write_text(text.replace("</article>", '<p class="probe">{{ article.probe_note }}</p></article>', 1), encoding="utf-8")
    output, cache = tmp_path / "live", tmp_path / "cache"
    build(content_copy, output, cache, theme, previous=output, settings=settings)
    note.write_text("Ghi chú thứ hai", encoding="utf-8")
    build(content_copy, tmp_path / "next", cache, theme, previous=output, settings=settings)
    page = next((tmp_path / "next").glob("20*/*/*/index.html")).read_text(encoding="utf-8")
    assert "Ghi chú thứ hai" in page
    build(content_copy, tmp_path / "fresh", theme=theme, settings=settings)
    assert_same_site(tmp_path / "next", tmp_path / "fresh")


def test_the_generator_cache_layer_still_rewrites_every_body(content_copy, tmp_path):
    """Pelican's generator-layer cache would keep whole articles, bodies rewritten by the last build
    included (old table embeds; no responsive pictures asked for): the build keeps the reader layer."""
    layer = ('CONTENT_CACHING_LAYER="generator"',)
    output, cache = tmp_path / "live", tmp_path / "cache"
    first = build(content_copy, output, cache, previous=output, extra=layer)
    assert "CONTENT_CACHING_LAYER" in first.stdout + first.stderr  # said, not silently changed
    edit_table(content_copy)
    build(content_copy, tmp_path / "next", cache, previous=output, extra=layer)
    build(content_copy, tmp_path / "fresh")
    embedding = next((tmp_path / "fresh").glob("2020/*/ket-qua-kiem-tra-*/index.html"))
    assert "Tổ kiểm tra" in embedding.read_text(encoding="utf-8")
    assert_same_site(tmp_path / "next", tmp_path / "fresh")
