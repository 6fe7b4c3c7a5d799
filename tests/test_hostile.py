"""Hostile input in Markdown, front matter and summaries never runs in a reader's browser."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup

from conftest import run_pelican

HOSTILE = """Title: Tin <script>window.__pwned = "title"</script> thử nghiệm
Date: 2024-03-21 09:00
Topics: cai-cach-tthc
Tags: Thẻ độc hại <img src=x onerror="window.__pwned='tag'">
Summary: Tóm tắt <img src=https://khong-co.invalid/x.png onerror="window.__pwned='summary'"> và [liên kết](javascript:window.__pwned='summary-link')
ImageCaption: x
Author: <b onmouseover="window.__pwned='author'">Tác giả</b>

Đoạn mở đầu an toàn.

<script>window.__pwned = "body-script";</script>

<img src="https://khong-co.invalid/anh.png" onerror="window.__pwned = 'body-onerror'">

[Nhấn vào đây](javascript:window.__pwned='body-link') và <a href="jav&#x61;script:window.__pwned='entity'">đây</a>.

<iframe src="https://example.org/"></iframe>

<div style="background:url(javascript:alert(1)); text-align: center" onclick="window.__pwned='click'">Căn giữa</div>

| Cột | Giá trị |
|:---:|--------:|
| a <svg onload="window.__pwned='svg'"></svg> | 1 |
"""


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    from conftest import copy_content

    content = copy_content(root / "content")
    path = content / "articles" / "tin-tuc-su-kien" / "2024" / "tin-thu-nghiem.md"
    path.write_text(HOSTILE.replace("Topics:", "Slug: tin-thu-nghiem\nTopics:"), encoding="utf-8")
    output = root / "output"
    result = run_pelican(content, output)
    assert result.returncode == 0, result.stdout + result.stderr
    return output, result.stdout + result.stderr, path


def pages_of(output):
    return sorted(output.rglob("*.html"))


def test_no_hostile_markup_in_any_page_or_feed(hostile_site):
    output, log, _ = hostile_site
    for page in pages_of(output) + sorted(output.rglob("*.xml")):
        text = page.read_text(encoding="utf-8")
        if page.suffix == ".xml":
            # Feed content and summaries are HTML inside XML (type="html"): parse that HTML too.
            for node in ET.fromstring(text).iter():
                if node.get("type") == "html" and node.text:
                    text += node.text
        soup = BeautifulSoup(text.replace("<?xml", "<!--").replace("?>", "-->", 1) if page.suffix == ".xml" else text, "html.parser")
        assert "__pwned" not in " ".join(str(s) for s in soup.find_all("script")), page
        for tag in soup.find_all(True):
            for name, value in tag.attrs.items():
                assert not name.lower().startswith("on"), (page, tag)
                joined = " ".join(value) if isinstance(value, list) else value
                assert not re.match(r"\s*(javascript|data|vbscript):", joined, re.I), (page, tag)
        assert not soup.find_all(["iframe", "object", "embed"]), page
        scripts = [s.get("src") for s in soup.find_all("script")]
        assert all(src and src.startswith("/theme/") for src in scripts), (page, scripts)


def test_the_article_keeps_its_text_and_escapes_front_matter(hostile_site):
    output, log, _ = hostile_site
    soup = BeautifulSoup((output / "2024/03/tin-thu-nghiem/index.html").read_text(encoding="utf-8"), "html.parser")
    assert soup.h1.get_text() == 'Tin <script>window.__pwned = "title"</script> thử nghiệm', "the title is shown as text"
    body = soup.select_one(".body")
    assert "Đoạn mở đầu an toàn." in body.get_text()
    assert body.find("a", string="Nhấn vào đây") is not None and not body.find("a", string="Nhấn vào đây").get("href")
    assert body.find("div", string="Căn giữa").attrs == {}, "style and handlers are gone from the div"
    cells = body.select("td")
    assert [c.get("style") for c in cells[:2]] == ["text-align:center", "text-align:right"], "table alignment survives"
    assert soup.select_one(".author").get_text() == "<b onmouseover=\"window.__pwned='author'\">Tác giả</b>"


def test_the_build_names_file_and_line_of_removed_html(hostile_site):
    output, log, path = hostile_site
    assert re.search(rf"{re.escape(str(path))}:12: removed unsafe HTML '<script'", log), log
    assert re.search(rf"{re.escape(str(path))}:14: removed unsafe HTML ' ?onerror=", log), log


def test_nothing_runs_in_the_browser(hostile_site, browser):
    import functools
    import http.server
    import threading

    from conftest import _QuietHandler

    output, _, _ = hostile_site
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(output)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        page = browser.new_page()
        dialogs = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        for url in ["/2024/03/tin-thu-nghiem/", "/", "/tin-tuc-su-kien/", "/2024/03/", "/tu-khoa/"]:
            page.goto(base + url)
            page.wait_for_load_state("load")
            for element in page.locator(".body a, .body div, .author").all():
                element.hover()
            for link in page.locator(".body a").all():
                link.click(no_wait_after=True, timeout=2000)
            assert page.evaluate("window.__pwned === undefined"), (url, page.evaluate("window.__pwned"))
        # Search results show the hostile title and summary as text: nothing in them runs.
        page.goto(base + "/tim-kiem/?q=tin%20th%E1%BB%AD%20nghi%E1%BB%87m")
        page.wait_for_selector(".search-result mark")
        titles = page.locator(".search-result").all_inner_texts()
        assert any('<script>window.__pwned = "title"</script>' in title for title in titles), titles
        assert page.locator(".search-result script, .search-result img[onerror]").count() == 0
        for result in page.locator(".search-result a").all():
            result.hover()
        assert page.evaluate("window.__pwned === undefined"), page.evaluate("window.__pwned")
        assert dialogs == []
        page.close()
    finally:
        server.shutdown()
