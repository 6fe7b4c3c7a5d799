"""deploy/nginx.conf in Debian's nginx, serving the built sample site (issue 8, item 3).

The `nginx_site` fixture (conftest.py) runs the shipped server block with only `listen` and `root`
changed, on a loopback port, over a copy of the sample site with the .gz copies that publishing writes.
"""

from __future__ import annotations

import gzip
import json
import re
import subprocess

import pytest
from bs4 import BeautifulSoup

from conftest import NGINX_CONF, nginx_binary, write_nginx_config

HTML = "text/html; charset=utf-8"
# What each kind of file the build writes must be served as. A kind that is new in the build and
# missing here fails test_every_kind_of_file_has_its_content_type: add it here and to deploy/nginx.conf.
CONTENT_TYPES = {
    ".html": HTML,
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".xml": "text/xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
    ".svg": "image/svg+xml; charset=utf-8",
    ".webp": "image/webp",
    ".jpg": "image/jpeg",
    ".png": "image/png",
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".doc": "application/msword",
    ".xls": "application/vnd.ms-excel",
}
YEAR = "public, max-age=31536000, immutable"
DAY = "public, max-age=86400"
SHORT = "public, max-age=300"
CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "style-src-attr": ["'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "frame-ancestors": ["'self'"],
    "form-action": ["'self'"],
}


def url_of(root, path) -> str:
    relative = path.relative_to(root).as_posix()
    return "/" + relative.removesuffix("index.html")


def parse_csp(value: str) -> dict[str, list[str]]:
    directives = {}
    for part in value.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def assert_security_headers(headers, where):
    assert parse_csp(headers.get("content-security-policy", "")) == CSP, where
    assert headers.get("x-content-type-options") == "nosniff", where
    assert headers.get("referrer-policy") == "strict-origin-when-cross-origin", where
    assert headers.get("x-frame-options") == "SAMEORIGIN", where
    assert "camera=()" in headers.get("permissions-policy", ""), where
    assert "server" not in headers or "/" not in headers["server"], f"{where}: nginx shows its version"


def test_shipped_config_passes_nginx_t(tmp_path):
    """The file as a province copies it (port 80, /srv root) is valid in Debian's http block."""
    config = write_nginx_config(tmp_path)
    result = subprocess.run(
        [nginx_binary(), "-t", "-p", str(tmp_path), "-c", str(config), "-e", str(tmp_path / "error.log")], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    text = NGINX_CONF.read_text(encoding="utf-8")
    assert re.search(r"^\s*root /srv/cong-cchc/site;", text, re.M), "the documented root path"
    assert "./portal publish --dest" in text


def test_every_kind_of_file_has_its_content_type(nginx_site):
    suffixes = {p.suffix.lower() for p in nginx_site.root.rglob("*") if p.is_file() and p.suffix != ".gz"}
    assert suffixes - set(CONTENT_TYPES) == set(), "file kinds in the build with no expected content type"
    for suffix in sorted(suffixes):
        sample = next(p for p in sorted(nginx_site.root.rglob("*")) if p.suffix.lower() == suffix and p.parent.name != "feeds")
        status, headers, body = nginx_site.get(url_of(nginx_site.root, sample))
        assert status == 200, sample
        assert headers["content-type"] == CONTENT_TYPES[suffix], sample
        assert body == sample.read_bytes(), sample


def test_feeds_are_atom_in_utf8(nginx_site):
    status, headers, body = nginx_site.get("/feeds/all.atom.xml")
    assert status == 200
    assert headers["content-type"] == "application/atom+xml; charset=utf-8"
    assert body.startswith(b"<?xml")


@pytest.mark.parametrize("path", ["/", "/theme/css/site.css", "/theme/js/site.js", "/sitemap.xml"])
def test_precompressed_copy_is_sent_to_browsers_that_accept_gzip(nginx_site, path):
    file = nginx_site.root / (path.lstrip("/") or "index.html")
    status, headers, body = nginx_site.get(path, {"Accept-Encoding": "gzip, deflate, br"})
    assert status == 200
    assert headers.get("content-encoding") == "gzip"
    assert "Accept-Encoding" in headers.get("vary", "")
    # Byte for byte the .gz file beside it: served as written, not compressed again per request.
    assert body == file.with_name(file.name + ".gz").read_bytes()
    assert gzip.decompress(body) == file.read_bytes()

    status, headers, body = nginx_site.get(path)
    assert status == 200 and "content-encoding" not in headers
    assert body == file.read_bytes()


def test_cache_lifetimes(nginx_site, site):
    root = nginx_site.root
    # No build output is fingerprinted yet: make the files a fingerprinting build would write.
    (root / "theme/css/site.3f2a9c1b.css").write_bytes((root / "theme/css/site.css").read_bytes())
    (root / "theme/js/search.0123abcd4567ef89.js").write_text("export {};\n", encoding="utf-8")
    # An editor's picture whose name merely looks like one is not kept for a year.
    picture = next(p for p in sorted((root / "images").rglob("*.jpg")) if "_sizes" not in p.parts)
    (picture.parent / "anh.20240320.jpg").write_bytes(picture.read_bytes())
    sized = next(p for p in sorted((root / "images/_sizes").rglob("*.webp")))
    attachment = next(p for p in sorted((root / "files").rglob("*.pdf")))
    article = next(p for p in sorted(root.glob("20[0-9][0-9]/[01][0-9]/*/index.html")))
    expected = {
        "/": SHORT,
        "/index.html": SHORT,
        url_of(root, article): SHORT,
        "/feeds/all.atom.xml": SHORT,
        "/sitemap.xml": SHORT,
        "/robots.txt": SHORT,
        "/theme/css/site.css": DAY,
        "/theme/js/site.js": DAY,
        "/theme/images/emblem.svg": DAY,
        url_of(root, sized): DAY,
        url_of(root, picture): DAY,
        url_of(root, picture.parent / "anh.20240320.jpg"): DAY,
        url_of(root, attachment): DAY,
        "/theme/css/site.3f2a9c1b.css": YEAR,
        "/theme/js/search.0123abcd4567ef89.js": YEAR,
        "/search/meta.json": SHORT,
    }
    # The search index's files, in the folder meta.json names by their hash.
    base = json.loads((root / "search/meta.json").read_text(encoding="utf-8"))["base"]
    expected[f"/search/{base}p/0.json"] = YEAR
    expected[f"/search/{base}s/0.json"] = YEAR
    for more in (
        sorted(root.glob("*/trang-2/index.html"))[:1] + sorted(root.glob("ket-qua-cchc/bang/*/*.csv"))[:1] + sorted(root.glob("ket-qua-cchc/bang/*/*.json"))[:1]
    ):
        expected[url_of(root, more)] = SHORT
    for path, lifetime in expected.items():
        status, headers, _ = nginx_site.get(path, {"Accept-Encoding": "gzip"})
        assert status == 200, path
        assert headers.get("cache-control") == lifetime, path


def test_missing_page_is_the_portal_404_with_its_headers(nginx_site):
    own = (nginx_site.root / "404.html").read_bytes()
    for path in ["/khong-co-trang-nay/", "/2024/13/khong-co/", "/theme/css/khong-co.css", "/.git/config", "/tin-tuc-su-kien/.env"]:
        status, headers, body = nginx_site.get(path)
        assert status == 404, path
        assert headers["content-type"] == HTML, path
        assert body == own, path
        assert_security_headers(headers, path)
    assert "Không tìm thấy trang" in own.decode("utf-8")


@pytest.mark.parametrize("path", ["/", "/theme/css/site.css", "/theme/js/site.js", "/feeds/all.atom.xml", "/luu-tru/"])
def test_security_headers(nginx_site, path):
    status, headers, _ = nginx_site.get(path)
    assert status == 200
    assert_security_headers(headers, path)


def test_folder_without_slash_redirects_on_the_same_host(nginx_site):
    status, headers, _ = nginx_site.get("/tin-tuc-su-kien")
    assert status == 301
    assert headers["location"] == "/tin-tuc-su-kien/"


def test_built_pages_need_nothing_the_policy_forbids(site):
    """The CSP above holds for every page: no inline script or event handler, no <style> element,
    nothing loaded from another host; style attributes only for what the sanitiser keeps (text-align)."""
    problems = []
    for path in site.html_files():
        where = path.relative_to(site.output)
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for script in soup.find_all("script"):
            if not script.get("src") or script.get_text().strip():
                problems.append(f"{where}: inline script")
            elif re.match(r"^(https?:)?//", script["src"]):
                problems.append(f"{where}: script from another host {script['src']}")
        if soup.find("style"):
            problems.append(f"{where}: <style> element")
        for tag in soup.find_all(True):
            for name, value in tag.attrs.items():
                if name.startswith("on"):
                    problems.append(f"{where}: <{tag.name} {name}=...>")
                if name == "style" and not re.fullmatch(r"\s*text-align:\s*(left|right|center|justify);?\s*", value):
                    problems.append(f"{where}: <{tag.name} style={value!r}>")
                if name in {"href", "src", "action"} and str(value).strip().lower().startswith("javascript:"):
                    problems.append(f"{where}: javascript: address")
    assert problems == []


def watch(page):
    """Console errors and warnings, page errors, failed requests and CSP violations of one page (the
    deliberate visit to a missing page, /khong-co..., may answer 404)."""
    problems = []
    page.add_init_script(
        "window.__cspViolations = [];"
        "document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));"
    )

    def on_console(message):
        # The browser logs the 404 status of a missing page it was sent to: that one is expected.
        if message.type in {"error", "warning"} and not (message.text.endswith("status of 404 (Not Found)") and "/khong-co" in message.location.get("url", "")):
            problems.append(f"console {message.type}: {message.text} ({message.location.get('url')})")

    page.on("console", on_console)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    # A request the next navigation cancels (the favicon, typically) is no fault of the server.
    page.on("requestfailed", lambda r: problems.append(f"failed request: {r.url} {r.failure}") if "ERR_ABORTED" not in (r.failure or "") else None)
    page.on("response", lambda r: problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 and "/khong-co" not in r.url else None)
    return problems


@pytest.mark.parametrize("width", [360, 1280])
def test_browser_through_nginx_with_the_policy_active(browser, nginx_site, sample_articles, artifacts, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="vi-VN")
    page = context.new_page()
    problems = watch(page)
    article = sample_articles[0]
    for path, status, heading in [("/", 200, None), (article.url, 200, article.title), ("/khong-co-trang-nay/", 404, "Không tìm thấy trang")]:
        response = page.goto(nginx_site.url + path)
        assert response.status == status, path
        assert "script-src 'self'" in response.headers["content-security-policy"], path
        assert response.headers.get("content-encoding") == "gzip", f"{path}: the .gz copy was not used"
        if heading:
            assert page.locator("h1").inner_text() == heading
        assert page.evaluate("document.styleSheets.length") >= 1, f"{path}: the stylesheet did not load"
        assert page.evaluate("window.__cspViolations") == [], path
        page.screenshot(path=str(artifacts / f"nginx-{path.strip('/').replace('/', '_') or 'home'}-{width}.png"), full_page=True)
    # The theme's own module ran under the policy (the print button appears only through it).
    page.goto(nginx_site.url + article.url)
    assert page.locator("[data-print]").is_visible()
    # Search, when the build has it: its scripts fetch the index under the same policy.
    searches = [p for p in ("tim-kiem/index.html", "search/index.html") if (nginx_site.root / p).is_file()]
    for search in searches:
        page.goto(nginx_site.url + "/" + search.removesuffix("index.html"))
        box = page.locator("main input[type=search]").first
        box.fill("một cửa")
        box.press("Enter")
        page.wait_for_load_state("networkidle")
        assert page.evaluate("window.__cspViolations") == [], search
        page.screenshot(path=str(artifacts / f"nginx-search-{width}.png"), full_page=True)
    assert problems == []

    # And the policy is really enforced: an injected inline script does not run.
    page.evaluate("() => { const s = document.createElement('script'); s.textContent = 'window.__ran = true'; document.body.append(s); }")
    page.wait_for_timeout(100)
    assert page.evaluate("window.__ran") is None
    assert any(v.startswith("script-src") for v in page.evaluate("window.__cspViolations"))
    context.close()
