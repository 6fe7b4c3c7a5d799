"""An edited article's page first (editorial.quickpage), then the whole site as a full build writes it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bs4 import BeautifulSoup
from test_editorial import fetch as fetch_page
from test_editorial import free_port, wait_for
from test_reuse import assert_same_site, build

from conftest import ROOT
from editorial import quickpage

EDIT = "Đoạn văn này được thêm khi biên tập viên vừa lưu bài."


def an_article_with_lists(content: Path, output: Path) -> tuple[Path, str]:
    """A sample article whose built page has related news and the section's latest, and its page."""
    for source in sorted((content / "articles").rglob("*.md")):
        text = source.read_text(encoding="utf-8")
        if "Status: draft" in text or "\nLang:" in text:
            continue
        found = re.search(r"^Slug: (.+)$", text, re.M)
        date = re.search(r"^Date: (\d{4})-(\d{2})", text, re.M)
        if not (found and date):
            continue
        page = f"{date[1]}/{date[2]}/{found[1].strip()}/index.html"
        html = (output / page).read_text(encoding="utf-8") if (output / page).is_file() else ""
        if 'class="related"' in html and 'class="section-latest"' in html and 'class="prev-next"' in html:
            return source, page
    raise AssertionError("no sample article with all three lists")


def fetch(url: str) -> tuple[int, str]:
    try:
        return fetch_page(url)
    except OSError:  # not listening yet
        return 0, ""


def quick_build(content: Path, relative: str, folder: Path) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "pelican", str(content), "-s", "pelicanconf.py", "-o", str(folder), "--log-handler", "plain"]
    return subprocess.run([*command, "-e", *quickpage.overrides(relative)], cwd=ROOT, capture_output=True, text=True, check=False)


def test_which_changes_can_be_shown_alone(content_copy):
    article = next((content_copy / "articles").rglob("*.md"))
    relative = article.relative_to(content_copy).as_posix()
    assert quickpage.article_source(str(content_copy), str(article)) == relative
    page = next((content_copy / "pages").rglob("*.md"))
    assert quickpage.article_source(str(content_copy), str(page)) is None, "a page is in the menus of every page"
    assert quickpage.article_source(str(content_copy), str(content_copy / "data" / "sections.yaml")) is None
    assert quickpage.article_source(str(content_copy), str(ROOT / "theme" / "templates" / "article.html")) is None
    assert quickpage.article_source(str(content_copy), str(content_copy / "articles" / "khong-con.md")) is None, "deleted"
    assert quickpage.article_source(str(content_copy), None) is None
    link = content_copy / "articles" / "tin-tuc-su-kien" / "2024" / "lien-ket.md"
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(article)
    assert quickpage.article_source(str(content_copy), str(link)) is None, "a symbolic link is the full build's to refuse"


def test_one_article_build_gives_its_page_with_the_served_lists(content_copy, tmp_path):
    served = tmp_path / "served"
    build(content_copy, served)
    source, page = an_article_with_lists(content_copy, served)
    before = (served / page).read_text(encoding="utf-8")
    source.write_text(source.read_text(encoding="utf-8").rstrip("\n") + f"\n\n{EDIT}\n", encoding="utf-8")

    quick = tmp_path / "quick"
    done = quick_build(content_copy, source.relative_to(content_copy).as_posix(), quick)
    assert done.returncode == 0, done.stdout + done.stderr
    assert quickpage.article_page(str(quick)) == page, "one article page, that one (None when there are several)"
    quickpage.place(str(quick), str(served), page)

    after = BeautifulSoup((served / page).read_text(encoding="utf-8"), "html.parser")
    old = BeautifulSoup(before, "html.parser")
    assert EDIT in after.select_one("article .body").get_text()
    for selector in quickpage.SITE_LISTS:
        assert after.select_one(selector) is not None, f"{selector} lost"
        assert str(after.select_one(selector)) == str(old.select_one(selector)), f"{selector} is not the served one"
    assert not list(served.rglob(".*.quick")), "the staged file was renamed into place"

    # The full build that follows writes the page as a full build does.
    fresh = tmp_path / "fresh"
    build(content_copy, fresh)
    assert EDIT in (fresh / page).read_text(encoding="utf-8")


def test_a_broken_edit_gives_no_quick_page(content_copy, tmp_path):
    source = next(p for p in sorted((content_copy / "articles").rglob("*.md")) if "Status: draft" not in p.read_text(encoding="utf-8"))
    source.write_text(re.sub(r"^Date: .*$", "Date: 2024-02-31 16:00", source.read_text(encoding="utf-8"), count=1, flags=re.M), encoding="utf-8")
    done = quick_build(content_copy, source.relative_to(content_copy).as_posix(), tmp_path / "quick")
    assert done.returncode != 0 and "is not a date" in done.stdout + done.stderr


def test_livereload_shows_the_page_first_then_the_full_build(content_copy, tmp_path, browser):
    """As an editor works: save an article, its page shows the edit at once, the site follows; and what
    stays on disk is exactly a full build of the edited content."""
    port = free_port()
    output, cache = tmp_path / "out", tmp_path / "cache"
    log_path = tmp_path / "livereload.log"
    env = dict(os.environ, PORTAL_LANG="en")
    with open(log_path, "w+", encoding="utf-8") as log:
        command = [
            sys.executable,
            "-m",
            "invoke",
            "livereload",
            "--port",
            str(port),
            "--content",
            str(content_copy),
            "--output",
            str(output),
            "--cache",
            str(cache),
        ]
        server = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=env)
        try:
            base = f"http://127.0.0.1:{port}"
            assert wait_for(lambda: fetch(base + "/")[0] == 200, 180), log_path.read_text()
            source, page = an_article_with_lists(content_copy, output)
            url = f"{base}/{page.removesuffix('index.html')}"
            tab = browser.new_page()
            tab.goto(url)
            tab.wait_for_function("() => window.LiveReload !== undefined && document.readyState === 'complete'")
            for n in range(2):  # edits one after another, the second while the site may still be rebuilding
                marker = f"{EDIT} Lần {n + 1}."
                text = source.read_text(encoding="utf-8")
                staged = Path(tempfile.mktemp(dir=source.parent, prefix=".luu-"))
                staged.write_text(text.rstrip("\n") + f"\n\n{marker}\n", encoding="utf-8")
                os.replace(staged, source)
                assert wait_for(lambda marker=marker: marker in fetch(url)[1], 60), log_path.read_text()
                # The open tab reloads itself (livereload's script, told by the server) and shows it.
                tab.wait_for_function("m => document.body.innerText.includes(m)", arg=marker, timeout=60_000)
                if n == 0:
                    # ... at once, not only when the whole site is rebuilt (a full build of the sample takes
                    # several times as long as the one article's).
                    text = log_path.read_text()
                    assert "Updated " in text and "Rebuilt; the browser reloads" not in text[text.rindex("Updated ") :], text
                shown = BeautifulSoup(fetch(url)[1], "html.parser")
                assert shown.select_one("section.related") is not None, "the page keeps its lists"
            assert wait_for(lambda: "Updated " in log_path.read_text(), 10), log_path.read_text()

            def rebuilt_after_last_edit():
                text = log_path.read_text()
                return "Rebuilt; the browser reloads" in text[text.rindex("Updated ") :]

            # The site follows: once the rebuild after the last edit is done, the output is a full build's.
            assert wait_for(rebuilt_after_last_edit, 240), log_path.read_text()
            time.sleep(1)
            fresh = tmp_path / "fresh"
            build(content_copy, fresh)
            assert_same_site(Path(os.path.realpath(output)), fresh)
            tab.close()
        finally:
            server.terminate()
            server.wait(20)
