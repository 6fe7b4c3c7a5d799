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
# The tests that read a message's words read them in English (the developers' language), for this
# process and every build and command it starts; a test of the Vietnamese that editors read sets
# PORTAL_LANG itself (monkeypatch.setenv, or the subprocess's env).
os.environ.setdefault("PORTAL_LANG", "en")
sys.path.insert(0, str(ROOT / "plugins"))
sys.path.insert(0, str(ROOT))

ARTIFACTS = ROOT / "test-artifacts"


def run_pelican(content: Path, output: Path, settings: str = "pelicanconf.py", extra_env: dict | None = None) -> subprocess.CompletedProcess:
    """Run Pelican as `invoke build` does, on any content folder; returns the finished process."""
    env = dict(os.environ, PYTHONIOENCODING="utf-8", COLUMNS="200", **(extra_env or {}))
    return subprocess.run(
        [sys.executable, "-m", "pelican", str(content), "-s", settings, "-o", str(output), "--log-handler", "plain"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        check=False,
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

    @functools.cache  # noqa: B019 (one instance per session)
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


def fill_the_disk(monkeypatch) -> None:
    """Every new file (open with "x", as the importers write, never over a file) fails as on a full disk."""
    real_open = open

    def full_disk(path, mode="r", *args, **kwargs):
        if "x" in mode:
            raise OSError(28, "No space left on device", str(path))
        return real_open(path, mode, *args, **kwargs)

    monkeypatch.setattr("builtins.open", full_disk)


def copy_content(target: Path) -> Path:
    """A copy of the sample content at `target`, pictures and attachments included (about 1.5 MB).
    Not symbolic links (the build refuses them in content/) and not hard links: a test that writes
    into a file, or touches its time, must not change the project's own content."""
    shutil.copytree(ROOT / "content", target)
    return target


@pytest.fixture
def content_copy(tmp_path) -> Path:
    """A copy of the sample content that a test may break (see copy_content)."""
    return copy_content(tmp_path / "content")


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
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
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
        from sourcefiles import read_front_matter, split_list
        from strict.checks import parse_date

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
        # "files/x.pdf | Quyết định số 3012/QĐ-UBND": the file, and the title readers see ("" for none).
        items = [item.partition("|") for item in split_list(meta.get("attachments"))]
        self.attachments = [path.strip() for path, _bar, _title in items]
        self.attachment_titles = [" ".join(title.split()) for _path, _bar, title in items]
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


# --- nginx: deploy/nginx.conf serving the built sample site ---------------------------------------

NGINX_CONF = ROOT / "deploy" / "nginx.conf"
# The text files the publish step writes .gz copies of; the nginx fixture writes the same copies.
PRECOMPRESSED_SUFFIXES = {".html", ".css", ".js", ".svg", ".xml", ".json", ".txt", ".csv"}


def nginx_binary() -> str:
    """Debian's nginx; `invoke test` installs it when missing."""
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
    if not found:
        pytest.fail("nginx is missing: run the tests with `./portal test`, which installs Debian's nginx")
    return found


def write_nginx_config(workdir: Path, port: int | None = None, root: Path | None = None) -> Path:
    """A whole nginx.conf around deploy/nginx.conf with pid, logs and temporary files in `workdir`,
    so it runs as root or not without touching /etc or /var. With `port` and `root`, the server block
    listens on 127.0.0.1:port and serves `root`; without them it is included unchanged (nginx -t)."""
    server = NGINX_CONF.read_text(encoding="utf-8")
    if port is not None:
        lines, listens, roots = [], 0, 0
        for line in server.splitlines(keepends=True):
            directive = line.strip()
            if directive.startswith("listen "):
                listens += 1
                if listens == 1:
                    lines.append(f"    listen 127.0.0.1:{port};\n")
                continue
            if directive.startswith("root "):
                roots += 1
                shipped = directive.split()[1].rstrip(";")
                line = f'    root "{root}";\n'
            lines.append(line)
        assert listens >= 1 and roots == 1, "deploy/nginx.conf needs its listen lines and one root line"
        # Files the configuration includes from the site (the redirects map) are read from `root` too.
        server = "".join(f"    include {root}/{line.split(shipped + '/', 1)[1]}" if line.strip().startswith(f"include {shipped}/") else line for line in lines)
    server_path = workdir / ("server-test.conf" if port is not None else "server.conf")
    server_path.write_text(server, encoding="utf-8")
    built = subprocess.run([nginx_binary(), "-V"], capture_output=True, text=True, check=False).stderr
    temp_paths = [f"    client_body_temp_path {workdir}/client_body;"]
    for module in ("proxy", "fastcgi", "uwsgi", "scgi"):
        if f"--without-http_{module}_module" not in built:
            temp_paths.append(f"    {module}_temp_path {workdir}/{module};")
    mime_types = "    include /etc/nginx/mime.types;  # as Debian's nginx.conf does\n" if os.path.exists("/etc/nginx/mime.types") else ""
    # As root, nginx would run its workers as `nobody`, who cannot read pytest's private temp folders.
    user = "user root root;\n" if os.geteuid() == 0 else ""
    config = workdir / ("nginx-test.conf" if port is not None else "nginx.conf")
    config.write_text(
        f"{user}worker_processes 1;\npid {workdir}/nginx.pid;\nerror_log {workdir}/error.log warn;\n"
        "events { worker_connections 256; }\n"
        f"http {{\n{mime_types}    access_log {workdir}/access.log;\n" + "\n".join(temp_paths) + "\n"
        f"    sendfile on;\n    include {server_path};\n}}\n",
        encoding="utf-8",
    )
    return config


class NginxSite:
    """deploy/nginx.conf in Debian's nginx on a free loopback port, serving a copy of a built site."""

    def __init__(self, workdir: Path, root: Path):
        self.workdir, self.root = workdir, root
        self.process = None
        self.url = ""

    def start(self) -> None:
        import socket
        import time

        for _attempt in range(3):
            with socket.socket() as probe:
                probe.bind(("127.0.0.1", 0))
                port = probe.getsockname()[1]
            config = write_nginx_config(self.workdir, port, self.root)
            log = self.workdir / "error.log"
            self.process = subprocess.Popen(
                [nginx_binary(), "-p", str(self.workdir), "-c", str(config), "-e", str(log), "-g", "daemon off;"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.STDOUT,
            )
            deadline = time.monotonic() + 15
            while time.monotonic() < deadline and self.process.poll() is None:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                    self.url = f"http://127.0.0.1:{port}"
                    return
                except OSError:
                    time.sleep(0.05)
            self.stop()
            errors = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
            if "Address already in use" not in errors:
                break
        pytest.fail(f"nginx did not start with deploy/nginx.conf:\n{errors}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def get(self, path: str, headers: dict | None = None):
        """One request, redirects not followed; returns (status, headers as a dict, raw body)."""
        import http.client

        connection = http.client.HTTPConnection(self.url.removeprefix("http://"), timeout=10)
        try:
            connection.request("GET", path, headers=headers or {})
            response = connection.getresponse()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
        finally:
            connection.close()


def _link_or_copy(source, target):
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


@pytest.fixture(scope="session")
def nginx_site(site, tmp_path_factory):
    """The sample site behind deploy/nginx.conf, with the .gz copies the publish step writes; yields
    an NginxSite (`.url` as served_site's URL, `.root` the folder served, `.get(path, headers)`)."""
    import gzip

    workdir = tmp_path_factory.mktemp("nginx")
    root = workdir / "site"
    shutil.copytree(site.output, root, copy_function=_link_or_copy)
    for path in list(root.rglob("*")):
        if path.suffix in PRECOMPRESSED_SUFFIXES and path.is_file():
            path.with_name(path.name + ".gz").write_bytes(gzip.compress(path.read_bytes(), compresslevel=9, mtime=0))
    server = NginxSite(workdir, root)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def abbreviations():
    """The sample site's abbreviation table for the search analysis (content/data/abbreviations.yaml)."""
    from search.abbreviations import load_abbreviations

    table, problems = load_abbreviations(str(ROOT / "content" / "data" / "abbreviations.yaml"))
    assert problems == []
    return table
