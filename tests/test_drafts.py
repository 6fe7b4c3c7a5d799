"""Drafts and hidden content are never public: a publishconf.py build leaves out every trace of them;
a local build shows them to the editor, marked as unpublished and noindex."""

from __future__ import annotations

import shutil

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, run_pelican

# Each unpublished file carries made-up words found nowhere else, so any trace of it can be searched
# for in every output file, whatever form (HTML, XML, JSON, folded search terms) it takes.
UNPUBLISHED = {
    "articles/tin-tuc-su-kien/2024/ban-nhap-sap-nhap.md": {
        "status": "draft",
        "url": "ban-nhap/du-thao-zyxwvu-sap-nhap/",
        "text": (
            "Title: Dự thảo Zyxwvu về sắp xếp đơn vị hành chính\n"
            "Date: 2024-03-21 09:00\n"
            "Slug: du-thao-zyxwvu-sap-nhap\n"
            "Topics: cai-cach-tthc\n"
            "Tags: một cửa, Qwertyq riêng\n"
            "Summary: Tóm tắt của dự thảo Mnbvcx.\n"
            "Status: draft\n"
            "\n"
            "Phương án Kqzvxj chưa được Ban Thường vụ thông qua, không được công bố.\n"
        ),
        "traces": ["zyxwvu", "qwertyq", "mnbvcx", "kqzvxj", "du-thao-zyxwvu-sap-nhap"],
    },
    # Dated in a month with no published article: its page must not link to a month page that does not exist.
    "articles/tin-tuc-su-kien/2013/bai-da-go.md": {
        "status": "hidden",
        "url": "2013/05/bai-plokiju-da-go/",
        "text": (
            "Title: Biên bản Plokiju của cuộc họp nội bộ\n"
            "Date: 2013-05-22 09:00\n"
            "Slug: bai-plokiju-da-go\n"
            "Topics: cai-cach-tthc\n"
            "Tags: một cửa, Wsxedcr nội bộ\n"
            "Summary: Tóm tắt của biên bản Rfvtgbn.\n"
            "Status: hidden\n"
            "\n"
            "Biên bản Yhnujmk chỉ gửi các thành viên dự họp.\n"
        ),
        "traces": ["plokiju", "wsxedcr", "rfvtgbn", "yhnujmk", "bai-plokiju-da-go"],
    },
    "pages/trang-nhap.md": {
        "status": "draft",
        "url": "ban-nhap/trang/trang-trewqas/",
        "text": "Title: Trang Trewqas đang soạn\nSlug: trang-trewqas\nStatus: draft\n\nNội dung Lkjhgfd của trang đang soạn.\n",
        "traces": ["trewqas", "lkjhgfd"],
    },
    "pages/trang-an.md": {
        "status": "hidden",
        "url": "trang-poiuyt/",
        "text": "Title: Trang Poiuyt đã ẩn\nSlug: trang-poiuyt\nStatus: hidden\n\nNội dung Asdfghj của trang đã ẩn.\n",
        "traces": ["poiuyt", "asdfghj"],
    },
}


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    """The sample content with a draft and a hidden article and page, built locally and for publishing."""
    root = tmp_path_factory.mktemp("drafts")
    content = root / "content"
    shutil.copytree(ROOT / "content", content)  # a copy: links under content/ are refused
    for relative, item in UNPUBLISHED.items():
        (content / relative).parent.mkdir(parents=True, exist_ok=True)
        (content / relative).write_text(item["text"], encoding="utf-8")
    outputs = {}
    for name, settings in (("public", "publishconf.py"), ("local", "pelicanconf.py")):
        output = root / name
        result = run_pelican(content, output, settings=settings)
        assert result.returncode == 0, f"{settings} build failed:\n{result.stdout}\n{result.stderr}"
        outputs[name] = output
    return outputs


def files_with(output, word: str) -> list[str]:
    word = word.lower().encode()
    return sorted(str(p.relative_to(output)) for p in output.rglob("*") if p.is_file() and word in p.read_bytes().lower())


def test_public_build_holds_no_trace_of_drafts_or_hidden_content(builds):
    output = builds["public"]
    leaks = {word: files_with(output, word) for item in UNPUBLISHED.values() for word in item["traces"]}
    assert {word: files for word, files in leaks.items() if files} == {}
    for item in UNPUBLISHED.values():
        assert not (output / item["url"]).exists()


def test_public_build_counts_only_published_articles(builds, site):
    # The same lists as the sample site, which has no drafts: no count, listing or tag page changed.
    output = builds["public"]
    for url in ("tin-tuc-su-kien/", "linh-vuc/cai-cach-tthc/", "tu-khoa/mot-cua/", "tu-khoa/", "luu-tru/", "2024/03/", "2024/"):
        public = BeautifulSoup((output / url / "index.html").read_text(encoding="utf-8"), "html.parser").find("main")
        sample = site.soup("/" + url).find("main")
        assert public.get_text(" ", strip=True) == sample.get_text(" ", strip=True), url


def test_local_build_shows_each_unpublished_page_marked_and_noindex(builds):
    output = builds["local"]
    for item in UNPUBLISHED.values():
        soup = BeautifulSoup((output / item["url"] / "index.html").read_text(encoding="utf-8"), "html.parser")
        robots = soup.find("meta", attrs={"name": "robots"})
        assert robots is not None and robots["content"] == "noindex", item["url"]
        banner = soup.select_one("main .unpublished-banner")
        expected = "Bản nháp – chưa đăng" if item["status"] == "draft" else "Nội dung ẩn – chưa đăng"
        assert banner is not None and expected in banner.get_text(), item["url"]


def test_local_build_lists_and_indexes_unpublished_content_nowhere(builds):
    # Shown to the editor at its own address only: no list, related news, feed, sitemap or search record.
    output = builds["local"]
    for item in UNPUBLISHED.values():
        own = str((output / item["url"] / "index.html").relative_to(output))
        assert files_with(output, item["traces"][0]) == [own]


def test_published_pages_are_not_marked(site):
    soup = site.soup("/gioi-thieu/")
    assert soup.find("meta", attrs={"name": "robots"}) is None
    assert soup.select_one(".unpublished-banner") is None


def test_a_public_build_stops_at_a_link_to_unpublished_content(content_copy, tmp_path):
    for relative, item in UNPUBLISHED.items():
        (content_copy / relative).parent.mkdir(parents=True, exist_ok=True)
        (content_copy / relative).write_text(item["text"], encoding="utf-8")
    linking = content_copy / "articles" / "tin-tuc-su-kien" / "2024" / "bai-lien-ket.md"
    linking.write_text(
        "Title: Bài viết dẫn tới bản nháp\nDate: 2024-03-23 09:00\nTopics: cai-cach-tthc\nSummary: Tóm tắt.\n\n"
        "Xem [dự thảo]({filename}ban-nhap-sap-nhap.md).\n\n"
        "Và [biên bản](/2013/05/bai-plokiju-da-go/), [trang](/ban-nhap/trang/trang-trewqas/).\n",
        encoding="utf-8",
    )
    result = run_pelican(content_copy, tmp_path / "out", settings="publishconf.py")
    log = result.stdout + result.stderr
    assert result.returncode != 0, log
    assert f'{linking}:6: links to the article "Dự thảo Zyxwvu về sắp xếp đơn vị hành chính", which is draft and left out of the public site' in log, log
    assert f'{linking}:8: links to the article "Biên bản Plokiju của cuộc họp nội bộ", which is hidden' in log, log
    assert f'{linking}:8: links to the page "Trang Trewqas đang soạn", which is draft' in log, log
    assert "Traceback" not in log
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("*.html"))
