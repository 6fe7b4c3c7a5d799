"""Old addresses keep working (issue 18, item 3): content/data/redirects.yaml -> an nginx map and redirect pages.

A copy of the sample content gets a redirects file as import-html writes it, in the forms the old
portals' addresses take (SharePoint .aspx, a Liferay asset path, an ASP query, a PHP query, a folder,
a Vietnamese path); the build writes the map and the pages, and deploy/nginx.conf answers with 301.
"""

from __future__ import annotations

from datetime import datetime

import pytest
from bs4 import BeautifulSoup

import editorial
import messages
import redirects
from conftest import ROOT, NginxSite, copy_content, run_pelican
from sourcefiles import display_path

TINH = "articles/tin-tuc-su-kien/2019/lay-y-kien-cu-tri-ve-phuong-an-sap-xep-26-don-vi-hanh-chinh-cap-xa.md"
CHI_SO = "articles/chi-so-cchc/2020/cong-bo-chi-so-cai-cach-hanh-chinh-nam-2019-cua-cac-so-nganh-va-ubnd-cap-huyen.md"
NEW_TINH = "/2019/09/lay-y-kien-cu-tri-ve-phuong-an-sap-xep-26-don-vi-hanh-chinh-cap-xa/"
NEW_CHI_SO = "/2020/08/cong-bo-chi-so-cai-cach-hanh-chinh-nam-2019-cua-cac-so-nganh-va-ubnd-cap-huyen/"
REDIRECTS = f"""# Old addresses of imported articles
https://sonoivu.binhan.gov.vn/Pages/lay-y-kien-cu-tri.aspx: {TINH}
http://www.cchc.binhan.gov.vn/tintuc/chitiet.asp?id=1024&cat=3: {TINH}
https://cchc.binhan.gov.vn/index.php?option=com_content&view=article&id=125&Itemid=101: {CHI_SO}
https://binhan.gov.vn/web/guest/tin-tuc/-/asset_publisher/Xk7a/content/cong-bo-chi-so: {CHI_SO}
https://binhan.gov.vn/tin-tuc/công-bố-chỉ-số.html: {CHI_SO}
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("redirects")
    content = copy_content(root / "content")
    (content / "data" / "redirects.yaml").write_text(REDIRECTS, encoding="utf-8")
    output = root / "output"
    result = run_pelican(content, output)
    assert result.returncode == 0, result.stdout + result.stderr
    return output


def test_the_build_writes_the_nginx_map(built):
    assert (built / "redirects.map").read_text(encoding="utf-8").splitlines()[1:] == [
        f'"/Pages/lay-y-kien-cu-tri.aspx" "{NEW_TINH}";',
        f'"/tintuc/chitiet.asp?id=1024&cat=3" "{NEW_TINH}";',
        f'"/index.php?option=com_content&view=article&id=125&Itemid=101" "{NEW_CHI_SO}";',
        f'"/web/guest/tin-tuc/-/asset_publisher/Xk7a/content/cong-bo-chi-so" "{NEW_CHI_SO}";',
        f'"/tin-tuc/c%C3%B4ng-b%E1%BB%91-ch%E1%BB%89-s%E1%BB%91.html" "{NEW_CHI_SO}";',
    ]


def test_redirect_pages_stand_where_a_file_can(built):
    page = BeautifulSoup((built / "web/guest/tin-tuc/-/asset_publisher/Xk7a/content/cong-bo-chi-so/index.html").read_text(encoding="utf-8"), "html.parser")
    assert page.find("meta", attrs={"http-equiv": "refresh"})["content"] == f"0; url={NEW_CHI_SO}"
    assert page.find("link", rel="canonical")["href"] == "http://localhost:8000" + NEW_CHI_SO
    assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert page.a["href"] == NEW_CHI_SO
    assert (built / "tin-tuc/công-bố-chỉ-số.html").is_file()
    # An .aspx or a query cannot be a file a static host serves as a page: nginx's map only.
    assert not (built / "Pages").exists() and not (built / "index.php").exists() and not (built / "tintuc").exists()
    # Redirect pages are no content: not in the sitemap.
    assert "asset_publisher" not in (built / "sitemap.xml").read_text(encoding="utf-8")


def test_old_addresses_get_a_301_behind_the_project_nginx(built, tmp_path):
    server = NginxSite(tmp_path, built)
    server.start()
    try:
        for old, new in [
            ("/Pages/lay-y-kien-cu-tri.aspx", NEW_TINH),
            ("/tintuc/chitiet.asp?id=1024&cat=3", NEW_TINH),
            ("/index.php?option=com_content&view=article&id=125&Itemid=101", NEW_CHI_SO),
            ("/web/guest/tin-tuc/-/asset_publisher/Xk7a/content/cong-bo-chi-so", NEW_CHI_SO),
            ("/tin-tuc/c%C3%B4ng-b%E1%BB%91-ch%E1%BB%89-s%E1%BB%91.html", NEW_CHI_SO),
        ]:
            status, headers, _ = server.get(old)
            assert (status, headers.get("location")) == (301, new), old
            assert headers.get("x-content-type-options") == "nosniff"  # the server's headers on redirects too
            assert server.get(new)[0] == 200
        assert server.get("/tintuc/chitiet.asp?id=9999")[0] == 404
        assert server.get(NEW_TINH)[0] == 200
    finally:
        server.stop()


def test_a_site_without_redirects_writes_no_map(site):
    assert not (site.output / "redirects.map").exists()


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (f"ftp://old/x: {TINH}", ("redirect-bad-old", {"old": "ftp://old/x"})),
        (
            "https://old.gov.vn/a.aspx: articles/tin-tuc-su-kien/2019/khong-co.md",
            ("redirect-no-article", {"target": "articles/tin-tuc-su-kien/2019/khong-co.md"}),
        ),
        ("https://old.gov.vn/a.aspx: ../../etc/passwd", ("redirect-no-article", {"target": "../../etc/passwd"})),
        ("https://old.gov.vn/a.aspx: data/site.yaml", ("redirect-no-article", {"target": "data/site.yaml"})),
        ("- https://old.gov.vn/a.aspx", ("redirect-not-a-mapping", {})),
    ],
)
def test_a_wrong_line_stops_check_and_build_with_its_line(tmp_path, monkeypatch, line, message):
    monkeypatch.setenv("PORTAL_LANG", "vi")
    content = copy_content(tmp_path / "content")
    (content / "data" / "redirects.yaml").write_text(f"# comment\n{line}\n", encoding="utf-8")
    settings, problems = editorial.load_settings(str(ROOT / "pelicanconf.py"), str(content))
    settings["CHECK_NOW"] = datetime(2030, 1, 1)
    expected = messages.say(message[0], **message[1])
    found = [str(p) for p in editorial.run_checks(settings, problems, files=[str(content / "data" / "redirects.yaml")])]
    assert found == [f"{display_path(str(content / 'data' / 'redirects.yaml'))}:2: {expected}"]
    result = run_pelican(content, tmp_path / "output", extra_env={"PORTAL_LANG": "vi"})
    assert result.returncode == 1 and expected in result.stdout + result.stderr


def test_the_same_old_address_twice_is_named_and_a_long_one_left_out(tmp_path):
    content = copy_content(tmp_path / "content")
    long_address = "https://old.gov.vn/" + "a" * 420
    (content / "data" / "redirects.yaml").write_text(
        f"https://old.gov.vn/x.aspx: {TINH}\nhttps://other.gov.vn/x.aspx: {CHI_SO}\n{long_address}: {TINH}\n", encoding="utf-8"
    )
    settings, _problems = editorial.load_settings(str(ROOT / "pelicanconf.py"), str(content))
    entries, problems = redirects.load(settings)
    assert [key for key, _, _ in entries] == ["/x.aspx"]
    assert [(p.line, p.level) for p in problems] == [(2, "error"), (3, "warning")]


@pytest.mark.parametrize(
    ("old", "key", "page"),
    [
        ("https://old.gov.vn/tin-tuc/", "/tin-tuc/", "tin-tuc/index.html"),
        ("https://old.gov.vn/tin-tuc", "/tin-tuc", "tin-tuc/index.html"),
        ("https://old.gov.vn/tin tuc/bai.htm", "/tin%20tuc/bai.htm", "tin tuc/bai.htm"),
        ("/Pages/a.aspx?ID=5", "/Pages/a.aspx?ID=5", None),
        ('https://old.gov.vn/a"b;c$d', "/a%22b%3Bc%24d", 'a"b;c$d/index.html'),
        ("https://old.gov.vn/../../etc/passwd", "/../../etc/passwd", None),
        ("mailto:a@b.vn", None, None),
        ("tin-tuc/bai.html", None, None),
    ],
)
def test_request_keys_are_what_a_browser_sends(old, key, page):
    assert redirects.request_key(old) == key
    if key is not None:
        assert redirects.page_path(key) == page
