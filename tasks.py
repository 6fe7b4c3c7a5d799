"""Tasks for editors, developers and CI: ./portal TASK (or `invoke TASK` inside .venv)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile

from invoke import task
from invoke.exceptions import Exit

HERE = os.path.dirname(os.path.abspath(__file__))
PYTHON = sys.executable


def _pelican(settings: str, output: str, content: str = "content", overrides: list[str] | None = None) -> int:
    command = [PYTHON, "-m", "pelican", content, "-s", settings, "-o", output, "--log-handler", "plain"]
    if overrides:
        command += ["-e", *overrides]
    return subprocess.call(command, cwd=HERE)


def build_site(settings: str = "pelicanconf.py", output: str = "output", content: str = "content", overrides: list[str] | None = None) -> None:
    """Build into a fresh folder beside `output`, then put it in place: a failed build leaves the
    previous site untouched, and readers of a local server never see half a site."""
    output = os.path.join(HERE, output)
    parent = os.path.dirname(output)
    staging = tempfile.mkdtemp(prefix=".build-", dir=parent)
    try:
        if _pelican(settings, staging, content, overrides) != 0:
            raise Exit("Build failed: fix the errors above. The previous site in output/ is unchanged.", code=1)
        os.chmod(staging, 0o755)  # mkdtemp makes it private; the web server must read it
        old = None
        if os.path.exists(output):
            old = tempfile.mkdtemp(prefix=".old-", dir=parent)
            os.rename(output, os.path.join(old, "site"))
        os.rename(staging, output)
        if old:
            shutil.rmtree(old, ignore_errors=True)
    finally:
        if os.path.exists(staging):
            shutil.rmtree(staging, ignore_errors=True)


@task(help={"settings": "settings file (publishconf.py for production)", "output": "folder to build into"})
def build(c, settings="pelicanconf.py", output="output"):
    """Build the site into output/ (all or nothing)."""
    build_site(settings, output)
    print(f"Built {output}/")


@task(help={"port": "port to listen on", "bind": "address to listen on"})
def serve(c, port=8000, bind="127.0.0.1"):
    """Build the sample portal and serve it on http://localhost:8000."""
    build_site()
    print(f"Serving the portal on http://localhost:{port}/  (Ctrl+C to stop)")
    subprocess.call([PYTHON, "-m", "pelican", "--listen", "-o", "output", "-p", str(port), "-b", bind], cwd=HERE)


@task(help={"port": "port to listen on", "bind": "address to listen on", "content": "content folder", "output": "folder to build into"})
def livereload(c, port=8000, bind="127.0.0.1", content="content", output="output"):
    """Serve the site, rebuild on every change under content/, theme/ and plugins/, reload the page.

    A build with errors prints them and keeps the last good site on the server.
    """
    from livereload import Server

    content = os.path.join(HERE, content)
    output = os.path.join(HERE, output)
    cache = os.path.join(HERE, "cache")
    # Pelican's content cache makes a rebuild after one edit re-read only that file, and plugins/reuse
    # takes every page whose inputs did not change from the site being served instead of rendering it.
    overrides = [
        "CACHE_CONTENT=true", "LOAD_CONTENT_CACHE=true", f"CACHE_PATH={json.dumps(cache)}",
        "REUSE_UNCHANGED_PAGES=true", f"REUSE_FROM={json.dumps(output)}",
    ]

    def rebuild():
        try:
            build_site(output=output, content=content, overrides=overrides)
            print(f"Rebuilt; the browser reloads. http://localhost:{port}/", flush=True)
        except Exit as failure:
            print(f"{failure.message}\nThe last good site stays on http://localhost:{port}/", file=sys.stderr, flush=True)

    rebuild()
    if not os.path.isdir(output):
        raise Exit("The first build failed: fix the errors above and run invoke livereload again.", code=1)
    server = Server()
    for folder in (content, os.path.join(HERE, "theme"), os.path.join(HERE, "plugins"), os.path.join(HERE, "pelicanconf.py")):
        server.watch(folder, rebuild, delay=0.3)
    server.serve(host=bind, port=int(port), root=output, open_url_delay=None, restart_delay=0)


def _missing_test_packages() -> list[str]:
    """Debian packages the tests run that this machine lacks: a browser, a web server, Java, npm."""
    missing = []
    if not (shutil.which("chromium") or os.path.exists("/usr/bin/chromium")):
        missing += ["chromium", "fonts-noto-core"]
    if not (shutil.which("nginx") or os.path.exists("/usr/sbin/nginx")):
        missing.append("nginx")  # tests/test_nginx.py runs deploy/nginx.conf in it
    if not shutil.which("java"):
        missing.append("default-jre-headless")  # the Nu HTML Checker (vnu.jar)
    if not shutil.which("npm"):
        missing.append("npm")
    return missing


def _ensure_test_tools() -> None:
    """Install what the tests need besides Python: Debian's chromium, nginx and Java when missing, and
    the npm packages pinned in package-lock.json (the tests' vnu-jar and axe-core among them) when
    node_modules is missing or older than package.json or package-lock.json."""
    missing = _missing_test_packages()
    if missing:
        print(f"Installing Debian's {' '.join(missing)} for the tests")
        sudo = [] if os.geteuid() == 0 else ["sudo"]
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.check_call([*sudo, "apt-get", "update", "-qq"], env=env)
        subprocess.check_call([*sudo, "apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing], env=env)
    installed = os.path.join(HERE, "node_modules", ".package-lock.json")  # written by npm ci
    wanted = [os.path.join(HERE, name) for name in ("package.json", "package-lock.json")]
    if not os.path.exists(installed) or any(os.path.getmtime(f) > os.path.getmtime(installed) for f in wanted):
        print("Installing the npm packages of package-lock.json (npm ci)")
        # No install scripts: vnu-jar's would download a Java runtime; the tests use Debian's.
        subprocess.check_call(["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund"], cwd=HERE)


@task(help={"k": "only tests matching this expression", "x": "stop at the first failure"})
def test(c, k="", x=False):
    """Install what the tests need (Debian's chromium, nginx and Java, npm ci) and run the whole suite."""
    _ensure_test_tools()
    command = [PYTHON, "-m", "pytest", "-p", "no:cacheprovider"]
    if k:
        command += ["-k", k]
    if x:
        command.append("-x")
    code = subprocess.call(command, cwd=HERE)
    if code:
        raise Exit(code=code)


@task(
    help={
        "sizes": "comma-separated archive sizes (default 1000,10000,20000)",
        "quick": "a small archive only, as a smoke check (no BENCHMARKS.md update)",
        "search": "the site search beside Pagefind instead: bytes a query fetches, index build and query time (default sizes 1000,5000,20000)",
    }
)
def bench(c, sizes="", quick=False, search=False):
    """Bare Pelican beside the portal on generated archives; writes BENCHMARKS.md."""
    sys.path.insert(0, os.path.join(HERE, "tests"))
    if search:
        import bench_search as harness
    else:
        import bench as harness

    sizes = sizes or ("1000,5000,20000" if search else "1000,10000,20000")
    chosen = [300] if quick else [int(s) for s in sizes.split(",") if s.strip()]
    flag = " --search" if search else ""
    command = f"invoke bench{flag} --quick" if quick else f"invoke bench{flag} --sizes {','.join(map(str, chosen))}"
    harness.run(chosen, write=not quick, command=command)


@task(
    help={
        "query": "what a reader would type, in quotes",
        "limit": "how many results (default 10)",
        "section": "only this section id (and its children)",
        "year": "only this year",
    }
)
def search(c, query, limit=10, section="", year=0):
    """Search the built site as the browser does (the same JS module, under Node): JSON results."""
    if not os.path.exists(os.path.join(HERE, "output", "search", "meta.json")):
        build_site()
    command = ["node", os.path.join(HERE, "plugins", "search", "cli.mjs"), "search", os.path.join(HERE, "output"), query, "--limit", str(limit)]
    if section:
        command += ["--section", section]
    if year:
        command += ["--year", str(year)]
    code = subprocess.call(command, cwd=HERE)
    if code:
        raise Exit(code=code)


def _editorial():
    sys.path.insert(0, os.path.join(HERE, "plugins"))
    import editorial

    return editorial


@task(help={"title": "the article's title, in Vietnamese", "section": "section id from content/data/sections.yaml"})
def new(c, title, section):
    """Create a new article with its front matter: invoke new "Tiêu đề" --section kiem-tra-cchc"""
    editorial = _editorial()
    settings, problems = editorial.load_settings(os.path.join(HERE, "pelicanconf.py"))
    if any(p.level == "error" for p in problems):
        raise Exit(editorial.format_report(problems), code=1)
    try:
        path = editorial.new_article(settings, title, section)
    except editorial.NewArticleError as error:
        raise Exit(f"Không tạo được bài viết: {error}", code=1) from None
    print(os.path.relpath(path))
    topics = ", ".join(settings["TOPICS_BY_ID"])
    print(f"Điền Summary (sapo) và Topics (chọn trong: {topics}), rồi chạy: invoke check", file=sys.stderr)


@task(help={"content": "content folder to check (default: content)"})
def check(c, content="content"):
    """Check all content without building: every error and warning, with file:line."""
    editorial = _editorial()
    settings, problems = editorial.load_settings(os.path.join(HERE, "pelicanconf.py"), os.path.join(HERE, content))
    problems = editorial.run_checks(settings, problems)
    report = editorial.format_report(problems)
    if any(p.level == "error" for p in problems):
        raise Exit(report, code=1)
    print(report)


@task(
    help={
        "dest": "local folder the web server serves (becomes a symlink to the current release)",
        "rsync": "user@host:/absolute/path to upload to over SSH",
        "gh_pages": "commit the site to the gh-pages branch of this repository",
        "push": "remote to push the gh-pages branch to ('' for none)",
        "keep": "how many releases to keep",
        "settings": "settings file",
        "content": "content folder",
    }
)
def publish(c, dest="", rsync="", gh_pages=False, push="origin", keep=3, settings="publishconf.py", content="content"):
    """Build with production settings, check links, precompress, and switch the site atomically."""
    from pathlib import Path

    sys.path.insert(0, os.path.join(HERE, "plugins"))
    import publishing

    if not (dest or rsync or gh_pages):
        raise Exit("Say where to publish: --dest PATH, --rsync user@host:/path or --gh-pages", code=2)
    from pelican.settings import read_settings

    siteurl = read_settings(os.path.join(HERE, settings)).get("SITEURL", "")
    local = Path(dest).resolve() if dest else Path(HERE) / ".publish" / "site"
    try:
        release = publishing.prepare_release(lambda folder: build_site(settings, folder, content), local, siteurl)
    except publishing.PublishError as error:
        raise Exit(f"{error}\nThe published site is unchanged.", code=1) from None
    if dest:
        publishing.switch(local, release, int(keep))
        print(f"Published {release.name} at {local}")
    if rsync:
        publishing.publish_rsync(release, rsync, int(keep))
        print(f"Published {release.name} to {rsync}")
    if gh_pages:
        commit = publishing.publish_gh_pages(release, HERE, push=push or None)
        print(f"Committed the site to gh-pages as {commit[:12]}" + (f" and pushed to {push}" if push else ""))
    if not dest:
        shutil.rmtree(release, ignore_errors=True)
