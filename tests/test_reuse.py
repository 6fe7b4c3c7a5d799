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


def build(content: Path, output: Path, cache: Path | None = None, theme: Path | None = None, previous: Path | None = None) -> subprocess.CompletedProcess:
    """A build as `invoke livereload` rebuilds (content cache, reuse on, into a fresh folder, taking
    unchanged pages from ``previous``) when ``cache`` is given, else a plain full build."""
    command = [sys.executable, "-m", "pelican", str(content), "-s", "pelicanconf.py", "-o", str(output), "--log-handler", "plain"]
    overrides = []
    if cache is not None:
        overrides += ["CACHE_CONTENT=true", "LOAD_CONTENT_CACHE=true", f"CACHE_PATH={json.dumps(str(cache))}", "REUSE_UNCHANGED_PAGES=true"]
        overrides.append(f"REUSE_FROM={json.dumps(str(previous or output))}")
    if theme is not None:
        overrides.append(f"THEME={json.dumps(str(theme))}")
    if overrides:
        command += ["-e", *overrides]
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
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


@pytest.mark.parametrize("change", ["title", "template", "sections", "tampered"])
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
    else:  # someone changed a built page by hand: it is rendered again, not trusted
        page = output / "gioi-thieu" / "index.html"
        page.write_text(page.read_text(encoding="utf-8").replace("</main>", "<p>sửa tay</p></main>"), encoding="utf-8")
    build(content, tmp_path / "next", cache, theme, previous=output)
    rendered, _reused = counts(cache)
    assert rendered == 1 if change == "tampered" else rendered > 200
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
