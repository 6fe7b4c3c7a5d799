"""Shared fixtures: the sample site is built once per session, the way `invoke build` builds it."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "plugins"))
sys.path.insert(0, str(ROOT))

ARTIFACTS = ROOT / "test-artifacts"


def run_pelican(content: Path, output: Path, settings: str = "pelicanconf.py", extra_env: dict | None = None) -> subprocess.CompletedProcess:
    """Run Pelican as `invoke build` does, on any content folder; returns the finished process."""
    env = dict(os.environ, PYTHONIOENCODING="utf-8", COLUMNS="200", **(extra_env or {}))
    return subprocess.run(
        [sys.executable, "-m", "pelican", str(content), "-s", settings, "-o", str(output), "--log-handler", "plain"],
        cwd=ROOT, capture_output=True, text=True, env=env, check=False,
    )


class BuiltSite:
    def __init__(self, output: Path, log: str):
        self.output = output
        self.log = log

    def path(self, url: str) -> Path:
        url = url.split("#")[0].split("?")[0].lstrip("/")
        target = self.output / url
        return target / "index.html" if url == "" or url.endswith("/") else target

    def exists(self, url: str) -> bool:
        return self.path(url).is_file()

    @functools.lru_cache(maxsize=None)  # noqa: B019 (one instance per session)
    def html(self, url: str) -> str:
        return self.path(url).read_text(encoding="utf-8")

    def soup(self, url: str) -> BeautifulSoup:
        return BeautifulSoup(self.html(url), "html.parser")

    def html_files(self) -> list[Path]:
        return sorted(self.output.rglob("*.html"))


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> BuiltSite:
    output = tmp_path_factory.mktemp("site") / "output"
    result = run_pelican(ROOT / "content", output)
    assert result.returncode == 0, f"sample site failed to build:\n{result.stdout}\n{result.stderr}"
    return BuiltSite(output, result.stdout + result.stderr)


@pytest.fixture
def content_copy(tmp_path) -> Path:
    """A copy of the sample content that a test may break; images and files are linked, not copied."""
    target = tmp_path / "content"
    shutil.copytree(ROOT / "content", target, ignore=shutil.ignore_patterns("images", "files"))
    for name in ("images", "files"):
        if (ROOT / "content" / name).exists():
            os.symlink(ROOT / "content" / name, target / name)
    return target


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def send_error(self, code, message=None, explain=None):
        # Serve the site's own 404 page, as the production web server does.
        page = Path(self.directory) / "404.html"
        if code == 404 and page.exists():
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        else:
            super().send_error(code, message, explain)


@pytest.fixture(scope="session")
def served_site(site):
    """The built site on a loopback HTTP server; yields its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(site.output))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, driven by Playwright. `invoke test` installs it when missing."""
    from playwright import sync_api as playwright_api
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: run the tests with `./portal test`, which installs Debian's chromium")
    with playwright_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


class SampleArticle:
    """What the sample content's front matter says about one article: the tests' expectations."""

    def __init__(self, path: Path):
        import vntext
        from sourcefiles import read_front_matter
        from strict.checks import parse_date, split_list

        meta = read_front_matter(str(path))
        self.path = path
        self.title = meta.get("title")
        self.date = parse_date(meta.get("date"))
        self.modified = parse_date(meta.get("modified") or "")
        self.slug = meta.get("slug") or vntext.slugify(self.title)
        self.section = path.relative_to(ROOT / "content" / "articles").parts[0]
        self.topics = split_list(meta.get("topics"))
        self.tags = split_list(meta.get("tags"))
        self.image = meta.get("image")
        self.caption = meta.get("imagecaption")
        self.alt = meta.get("imagealt")
        self.attachments = split_list(meta.get("attachments"))
        self.featured = (meta.get("featured") or "").lower() in {"yes", "true", "có"}
        self.author = meta.get("author")
        self.status = (meta.get("status") or "published").lower()
        self.url = f"/{self.date:%Y}/{self.date:%m}/{self.slug}/"

    def __repr__(self):
        return f"<{self.url}>"


@pytest.fixture(scope="session")
def sample_articles() -> list[SampleArticle]:
    articles = [SampleArticle(p) for p in sorted((ROOT / "content" / "articles").rglob("*.md"))]
    published = [a for a in articles if a.status == "published"]
    return sorted(published, key=lambda a: a.date, reverse=True)
