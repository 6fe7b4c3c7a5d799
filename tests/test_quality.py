"""Quality gates on the built sample site (issue 8, item 4): valid HTML, no broken internal link or
missing asset, and no serious or critical accessibility violation in a real browser.

The checkers come from npm (package.json, pinned; `./portal test` runs npm ci) and run with the
machine's Java and Debian's Chromium. A missing tool fails these tests: it never skips them.
"""

from __future__ import annotations

import json
import re
import runpy
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import ROOT

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SETTINGS = runpy.run_path(str(ROOT / "pelicanconf.py"))
# Addresses of the site itself, as written in canonical links, feeds and the sitemap.
OWN_ORIGINS = {o.rstrip("/") for o in (SETTINGS.get("SITEURL"), SETTINGS.get("LOCAL_SITEURL"), SETTINGS.get("FEED_DOMAIN")) if o and "://" in o}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
ATOM = "{http://www.w3.org/2005/Atom}"


def tool(path: Path, what: str) -> Path:
    if not path.is_file():
        pytest.fail(f"{path.relative_to(ROOT)} is missing: run the tests with `./portal test`, which runs `npm ci` for {what}")
    return path


# --- (a) Valid HTML: the Nu HTML Checker ----------------------------------------------------------


def test_every_page_is_valid_html(site, tmp_path):
    """One run of the Nu HTML Checker over the whole site (one Java start, about 10 s)."""
    java = shutil.which("java")
    if not java:
        pytest.fail("java is missing: run the tests with `./portal test`, which installs Debian's default-jre-headless")
    vnu = tool(VNU, "the Nu HTML Checker (vnu-jar)")
    # A page known to be invalid goes along, so a checker that silently checks nothing fails too.
    canary = tmp_path / "canary.html"
    canary.write_text('<!DOCTYPE html><html lang="vi"><head><title>x</title></head><body><p><div></p></body></html>', encoding="utf-8")
    pages = site.html_files()
    assert len(pages) > 100
    # The theme's SVG pictures too. Not the CSS: the checker's CSS grammar predates container queries.
    pictures = sorted(site.output.rglob("*.svg"))
    result = subprocess.run(
        [java, "-jar", str(vnu), "--errors-only", "--also-check-svg", "--format", "json", str(canary), *map(str, pages + pictures)],
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        messages = json.loads(result.stderr or result.stdout)["messages"]
    except (ValueError, KeyError):
        pytest.fail(f"the Nu HTML Checker gave no report (exit {result.returncode}):\n{result.stdout}\n{result.stderr}")
    canary_url = canary.as_uri().removeprefix("file://")
    assert any(unquote(m.get("url", "")).endswith(canary_url) for m in messages), "the checker did not report the invalid canary page"
    errors = []
    for m in messages:
        url = unquote(m.get("url", ""))
        if url.endswith(canary_url):
            continue
        where = url.split(str(site.output) + "/", 1)[-1]
        errors.append(f"{where}:{m.get('lastLine', '?')}: {m.get('type')}: {m.get('message')}  [{m.get('extract', '').strip()}]")
    assert errors == [], "Nu HTML Checker errors:\n" + "\n".join(errors)


# --- (b) No broken internal link or missing asset -------------------------------------------------


class LinkCheck:
    """Every site-relative address in the built site resolves to a file, and a #fragment to an id."""

    def __init__(self, output: Path):
        self.output = output
        self.ids: dict[Path, set[str]] = {}
        self.broken: list[str] = []

    def target(self, path: str) -> Path | None:
        """The file a site path names, as the web server finds it (a folder needs its slash)."""
        file = self.output / unquote(path).lstrip("/")
        if path.endswith("/"):
            file = file / "index.html"
        if file.is_dir():
            return None
        return file if file.is_file() else None

    def ids_of(self, page: Path) -> set[str]:
        if page not in self.ids:
            soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
            self.ids[page] = {t["id"] for t in soup.find_all(id=True)} | {t["name"] for t in soup.find_all("a", attrs={"name": True})}
        return self.ids[page]

    def check(self, where: str, base: str, address: str) -> None:
        """`where` is the file for the report; `base` the page's own site path, for relative addresses."""
        address = address.strip()
        if not address or address.startswith(("mailto:", "tel:", "data:")):
            return
        for origin in OWN_ORIGINS:
            if address == origin or address.startswith(origin + "/"):
                address = address[len(origin) :] or "/"
        parts = urlsplit(urljoin("https://site.invalid" + base, address))
        if parts.scheme not in {"http", "https"} or parts.netloc != "site.invalid":
            return  # another site, or a scheme no browser fetches from this one
        file = self.target(parts.path)
        if file is None:
            folder = (self.output / unquote(parts.path).lstrip("/")).is_dir()
            self.broken.append(f"{where}: {address} ({'a folder: the address needs its final /' if folder else 'no such file'})")
        elif parts.fragment and file.suffix == ".html" and unquote(parts.fragment) not in self.ids_of(file):
            self.broken.append(f"{where}: {address} (no id {unquote(parts.fragment)!r} in {file.relative_to(self.output)})")

    def page(self, file: Path) -> None:
        where = str(file.relative_to(self.output))
        base = "/" + where.removesuffix("index.html")
        soup = BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")
        for tag in soup.find_all(True):
            for name in ("href", "src", "poster", "action", "data", "xlink:href"):
                if tag.get(name) and not (name == "data" and tag.name != "object"):
                    self.check(where, base, tag[name])
            if tag.get("srcset"):
                for candidate in tag["srcset"].split(","):
                    if candidate.strip():
                        self.check(where, base, candidate.split()[0])
        for meta in soup.select('meta[property="og:url"], meta[property="og:image"], meta[name="twitter:image"]'):
            self.check(where, base, meta.get("content", ""))

    def feed(self, file: Path) -> None:
        where = str(file.relative_to(self.output))
        base = "/" + where  # a feed reader resolves relative addresses against the feed's own (RFC 4287)
        tree = ET.parse(file)
        for link in tree.iter(f"{ATOM}link"):
            self.check(where, base, link.get("href", ""))
        # Links in the entries' HTML, as a feed reader follows them.
        for element in [*tree.iter(f"{ATOM}content"), *tree.iter(f"{ATOM}summary")]:
            if element.text and element.get("type") in {"html", "xhtml"}:
                for tag in BeautifulSoup(element.text, "html.parser").find_all(True):
                    for name in ("href", "src"):
                        if tag.get(name):
                            self.check(where, base, tag[name])
                    if tag.get("srcset"):
                        for candidate in tag["srcset"].split(","):
                            if candidate.strip():
                                self.check(where, base, candidate.split()[0])

    def sitemap(self, file: Path) -> None:
        for loc in ET.parse(file).iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc"):
            self.check(str(file.relative_to(self.output)), "/", loc.text or "")

    def stylesheet(self, file: Path) -> None:
        where = str(file.relative_to(self.output))
        base = "/" + where
        for address in re.findall(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)""", file.read_text(encoding="utf-8")):
            if not address.startswith("#"):
                self.check(where, base, address)


def test_no_broken_internal_link_or_missing_asset(site):
    check = LinkCheck(site.output)
    pages = site.html_files()
    for page in pages:
        check.page(page)
    feeds = sorted((site.output / "feeds").glob("*.xml"))
    assert feeds, "the build writes feeds"
    for feed in feeds:
        check.feed(feed)
    check.sitemap(site.output / "sitemap.xml")
    robots = (site.output / "robots.txt").read_text(encoding="utf-8")
    for address in re.findall(r"(?im)^sitemap:\s*(\S+)", robots):
        check.check("robots.txt", "/", address)
    for css in sorted(site.output.rglob("*.css")):
        check.stylesheet(css)
    assert check.broken == [], f"{len(check.broken)} broken internal addresses:\n" + "\n".join(check.broken)


def test_link_check_finds_what_it_should(tmp_path):
    """The checker itself: a missing page, a missing picture in a srcset, a folder without its slash,
    a missing fragment and a dead link in a feed are found; valid ones are not reported."""
    assert OWN_ORIGINS, "pelicanconf.py names the site's own address (LOCAL_SITEURL)"
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "index.html").write_text('<h2 id="x">x</h2>', encoding="utf-8")
    (tmp_path / "p.webp").write_bytes(b"")
    page = tmp_path / "index.html"
    page.write_text(
        '<a href="/a/b/">ok</a><a href="/a/b/#x">ok</a><a href="a/b/">ok</a><a href="https://example.org/">ok</a>'
        f'<a href="{sorted(OWN_ORIGINS)[0]}/a/b/">ok</a><a href="mailto:a@b.vn">ok</a><a href="#top">same page</a>'
        '<a href="/khong-co/">missing</a><a href="/a/b">folder</a><a href="/a/b/#y">fragment</a>'
        '<img src="/p.webp" srcset="/p.webp 480w, /q.webp 800w" alt="">',
        encoding="utf-8",
    )
    feed = tmp_path / "feed.xml"
    feed.write_text(
        '<feed xmlns="http://www.w3.org/2005/Atom"><link href="/a/b/"/><entry><link href="/mat/"/>'
        '<content type="html">&lt;img src="/anh.jpg"&gt;</content></entry></feed>',
        encoding="utf-8",
    )
    check = LinkCheck(tmp_path)
    check.page(page)
    check.feed(feed)
    assert [b.split(": ", 1)[1] for b in check.broken] == [
        "#top (no id 'top' in index.html)",
        "/khong-co/ (no such file)",
        "/a/b (a folder: the address needs its final /)",
        "/a/b/#y (no id 'y' in a/b/index.html)",
        "/q.webp (no such file)",
        "/mat/ (no such file)",
        "/anh.jpg (no such file)",
    ]


# --- (c) Accessibility: axe-core in Chromium -------------------------------------------------------


def search_pages(site) -> list[str]:
    candidates = [SETTINGS.get("SEARCH_SAVE_AS") or "", "tim-kiem/index.html", "search/index.html"]
    found = [site.output / c for c in candidates if c.endswith(".html") and (site.output / c).is_file()]
    return list(dict.fromkeys("/" + str(p.relative_to(site.output)).removesuffix("index.html") for p in found))


def axe_pages(site, sample_articles) -> list[str]:
    """The pages to check, found in the built site: one of each kind a reader meets. Kinds the site
    does not have yet (search) are simply not in the list; once built they are."""
    out = site.output
    pages = ["/", "/404.html"]
    section_ids = [s["id"] for s in yaml.safe_load((ROOT / "content/data/sections.yaml").read_text(encoding="utf-8"))]
    pages += [f"/{sid}/" for sid in section_ids if (out / sid / "index.html").is_file()][:1]
    pages += sorted({"/" + str(p.relative_to(out).parent) + "/" for p in out.glob("*/trang-2/index.html")})[:1]
    newest = sample_articles[0]
    pages.append(newest.url)
    # Articles with what else an article can hold: the widest Markdown table (most columns: the one
    # that scrolls sideways on a phone), an embedded result table or chart, attachments, a picture
    # in the body.
    articles = {
        "/" + str(p.relative_to(out).parent) + "/": BeautifulSoup(p.read_text(encoding="utf-8"), "html.parser")
        for p in sorted(out.glob("20[0-9][0-9]/[01][0-9]/*/index.html"), reverse=True)
    }

    def columns(soup):
        return max((len(row.find_all(["th", "td"])) for row in soup.select(".body table:not(.data-table) tr")), default=0)

    widest = max(articles, key=lambda url: columns(articles[url]))
    pages += [widest] if columns(articles[widest]) else []
    for selector in [".data-embed", ".attachments", ".body img"]:
        pages += [url for url, soup in articles.items() if soup.select_one(selector)][:1]
    archives = SETTINGS["ARCHIVES_URL"]
    pages += [f"/{archives}", f"/{newest.date:%Y}/", f"/{newest.date:%Y}/{newest.date:%m}/"]
    # The results area: its section page and every page under it (tables with their charts).
    results = out / SETTINGS.get("TABLES_ROOT_SECTION", "ket-qua-cchc")
    pages += ["/" + str(p.relative_to(out).parent) + "/" for p in sorted(results.rglob("index.html"))]
    # Search, when the build has it.
    pages += search_pages(site)
    # Topics, tags, a static page and the English pages.
    for pattern in ["linh-vuc/index.html", "linh-vuc/*/index.html", "tu-khoa/index.html", "tu-khoa/*/index.html", "gioi-thieu/index.html", "en/*/index.html"]:
        found = sorted(out.glob(pattern))[:1]
        pages += ["/" + str(p.relative_to(out).parent) + "/" for p in found]
    return list(dict.fromkeys(pages))


def test_axe_page_list_covers_the_required_kinds(site, sample_articles):
    pages = axe_pages(site, sample_articles)
    assert {"/", "/luu-tru/", sample_articles[0].url} <= set(pages)
    assert any(re.fullmatch(r"/\d{4}/\d{2}/", p) for p in pages), "a month archive"
    assert any(p.startswith("/tin-tuc-su-kien/") for p in pages), "a section page"
    assert "/ket-qua-cchc/" in pages and any(p.startswith("/ket-qua-cchc/bang/") for p in pages), "the results pages"
    assert all(site.exists(p) for p in pages), [p for p in pages if not site.exists(p)]


@pytest.mark.parametrize("width", [360, 1280])
def test_no_serious_accessibility_violation(browser, served_site, site, sample_articles, width):
    axe = tool(AXE, "axe-core")
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="vi-VN")
    page = context.new_page()
    found = []

    def run_axe(where):
        if not page.evaluate("typeof axe !== 'undefined'"):
            page.add_script_tag(path=str(axe))
        result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", AXE_TAGS)
        for violation in result["violations"]:
            if violation["impact"] in {"serious", "critical"}:
                nodes = "\n".join(f"      {', '.join(map(str, n['target']))}: {' '.join(n['failureSummary'].split())}" for n in violation["nodes"][:5])
                found.append(f"{where} [{width}px] {violation['impact']} {violation['id']}: {violation['help']} ({len(violation['nodes'])} elements)\n{nodes}")

    searches = set(search_pages(site))
    for path in axe_pages(site, sample_articles):
        page.goto(served_site + path)
        run_axe(path)
        box = page.locator("main input[type=search]")
        if path in searches and box.count():
            # The search page with results on it, as a reader gets there.
            box.first.fill("một cửa")
            box.first.press("Enter")
            page.wait_for_load_state("networkidle")
            run_axe(f"{path} (results for 'một cửa')")
    context.close()
    assert found == [], "axe-core violations (WCAG 2.1 AA, serious or critical):\n" + "\n".join(found)
