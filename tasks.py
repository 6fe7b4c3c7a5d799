"""Tasks for editors, developers and CI: ./portal TASK (or `invoke TASK` inside .venv)."""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

from invoke import task
from invoke.exceptions import Exit

HERE = os.path.dirname(os.path.abspath(__file__))
PYTHON = sys.executable
PELICAN = [PYTHON, "-m", "pelican"]
# Builds share cache/ (the content cache, the search analysis, the pictures' copies): one at a time.
BUILD_LOCK = os.path.join(HERE, "cache", "build.lock")
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)

sys.path.insert(0, os.path.join(HERE, "plugins"))
import publishing  # noqa: E402  (a library under plugins/, no Pelican plugin)

# What a full disk, a read-only disk or missing rights are, said plainly, and what to do about it.
_OS_FAILURES = {
    errno.ENOSPC: ("the disk is full", "free some space and run it again"),
    errno.EDQUOT: ("the disk quota is used up", "free some space and run it again"),
    errno.EROFS: ("the file system is read-only", "make it writable and run it again"),
    errno.EACCES: ("permission denied", "run it as a user who may write there"),
    errno.EPERM: ("operation not permitted", "run it as a user who may write there"),
}
# How Pelican logs an OSError it stopped on: "CRITICAL: OSError: [Errno 28] No space left on device: '/x'".
_LOGGED_OS_ERROR = re.compile(r"\[Errno (\d+)\] ([^:'\n]+?)(?:: '([^'\n]*)')?\s*$")


class Interrupted(Exception):
    """A stop signal (SIGTERM, SIGINT, SIGHUP) arrived while a build or a publish ran."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum
        self.name = signal.Signals(signum).name


_running: list[subprocess.Popen] = []  # the Pelican child, for the signal handler
_received: list[int] = []
_held_locks: list[int] = []  # given to Pelican: a lock stays held until the child has ended too


def _on_stop_signal(signum, _frame):
    # Thin: stop Pelican (in its own process group, so a terminal's Ctrl+C reaches it only from here)
    # and let the build end and clean up; with no child, stop at once. Pelican gets SIGTERM whatever
    # came: it ends quietly on it, where SIGINT would print a traceback.
    if _running:
        _received.append(signum)
        _running[0].terminate()
    else:
        raise Interrupted(signum)


@contextmanager
def _stoppable():
    """SIGTERM, SIGINT and SIGHUP stop a build or a publish cleanly: Pelican is stopped with it and
    the half-built folder is removed. (SIGKILL cannot be caught: Pelican dies with its parent, and
    the next run removes what was left.)"""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {number: signal.signal(number, _on_stop_signal) for number in STOP_SIGNALS}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


@contextmanager
def _locked(path, what: str):
    with publishing.lock(Path(path), what) as fd:
        _held_locks.append(fd)
        try:
            yield
        finally:
            _held_locks.remove(fd)


def _os_failure(error: OSError, consequence: str) -> str:
    """One sentence for an editor: where, what happened, that the site served is unchanged, what to do."""
    what, todo = _OS_FAILURES.get(error.errno, ((error.strerror or str(error)).lower(), "fix that and run it again"))
    where = error.filename or "the disk"
    return f"{where}: {what}; {consequence} ({todo})."


def _pelican(settings: str, output: str, content: str = "content", overrides: list[str] | None = None) -> int:
    """Run Pelican; its log is passed on as it comes. Returns its exit code; raises the OSError it
    stopped on (a full or read-only disk is not a content error), or Interrupted."""
    command = [*PELICAN, content, "-s", settings, "-o", output, "--log-handler", "plain"]
    if overrides:
        command += ["-e", *overrides]
    parent = os.getpid()
    stopped_on: OSError | None = None
    child = subprocess.Popen(
        command,
        cwd=HERE,
        stderr=subprocess.PIPE,
        text=True,
        errors="replace",
        bufsize=1,
        process_group=0,
        preexec_fn=lambda: publishing.die_with_parent(parent),
        pass_fds=tuple(_held_locks),
    )
    try:
        _running.append(child)
        for line in child.stderr:
            sys.stderr.write(line)
            found = _LOGGED_OS_ERROR.search(line)
            if found and stopped_on is None and int(found[1]) in _OS_FAILURES:
                stopped_on = OSError(int(found[1]), found[2], found[3])
        code = child.wait()
    finally:
        _running.clear()
        if child.poll() is None:
            child.terminate()
            child.wait()
        child.stderr.close()
    if _received:
        signum = _received[0]
        _received.clear()
        raise Interrupted(signum)
    if code != 0 and stopped_on is not None:
        raise stopped_on
    return code


def _build_into(settings: str, folder: str, content: str, overrides: list[str] | None, consequence: str) -> None:
    """Build the site into ``folder`` (a fresh one); raise Exit on a content error."""
    code = _pelican(settings, folder, content, overrides)
    if code < 0:
        raise Exit(f"Pelican was stopped by {signal.Signals(-code).name}; {consequence}.", code=1)
    if code != 0:
        raise Exit(f"Build failed: fix the errors above; {consequence}.", code=1)


def _stopped(stop: Interrupted, consequence: str) -> Exit:
    return Exit(f"Stopped by {stop.name}; {consequence}.", code=128 + stop.signum)


def _remove_old_staging(folder: Path) -> None:
    """The staging folders that versions before the output link left when killed (tempfile.mkdtemp names)."""
    for entry in folder.glob(".*-*"):
        if re.fullmatch(r"\.(build|old)-[A-Za-z0-9_]{8}", entry.name) and entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)


def build_site(settings: str = "pelicanconf.py", output: str = "output", content: str = "content", overrides: list[str] | None = None) -> None:
    """Build into a new folder, then switch ``output``, a symlink to it, with one rename: a failed build
    leaves the previous site untouched, and readers of a local server never see half a site nor none.

    The builds live in .output.releases/ beside it (the layout of a publish, keeping one); a plain
    output/ folder from an older version is replaced by the link in one step.
    """
    output = os.path.join(HERE, output)
    shown = os.path.relpath(output, HERE) if output.startswith(HERE + os.sep) else output
    consequence = f"the previous site in {shown}/ is unchanged"
    link = Path(output)
    try:
        with _stoppable(), _locked(BUILD_LOCK, f"the build of {shown}/"):
            publishing.remove_leftovers(link)
            _remove_old_staging(link.parent)
            release, building = publishing.new_release(link)
            try:
                _build_into(settings, str(building), content, overrides, consequence)
                os.rename(building, release)
                publishing.switch(link, release, keep=1, adopt=False)
            except BaseException:
                publishing.remove_unused(link, building, release)
                raise
    except OSError as error:
        raise Exit(_os_failure(error, f"the build stopped and {consequence}"), code=1) from None
    except Interrupted as stop:
        raise _stopped(stop, consequence) from None


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
    # Through the output link: each request reads the current build.
    parent = os.getpid()
    server = subprocess.Popen(
        [*PELICAN, "--listen", "-o", "output", "-p", str(port), "-b", bind], cwd=HERE, preexec_fn=lambda: publishing.die_with_parent(parent)
    )
    try:
        server.wait()
    finally:
        if server.poll() is None:
            server.terminate()
            server.wait()


def start_editor(root: str = HERE, port: int = 8080, bind: str = "127.0.0.1", commit: bool = True):
    """The web editor's server over the working copy ``root`` (started, in a thread): Decap CMS at
    /admin/ with the local backend; each save is written atomically, committed and checked."""
    sys.path.insert(0, os.path.join(HERE, "plugins"))
    import webeditor
    from webeditor.backend import LocalBackend
    from webeditor.server import CMS_DIST, serve

    if not os.path.isfile(os.path.join(root, CMS_DIST, "decap-cms.js")):
        raise Exit(messages_say("edit-no-cms", path=os.path.join(CMS_DIST, "decap-cms.js")), code=1)
    editorial = _editorial()
    settings, problems = editorial.load_settings(os.path.join(root, "pelicanconf.py"), os.path.join(root, "content"))
    if any(p.level == "error" for p in problems):
        raise Exit(editorial.format_report(problems), code=1)

    def check(path: str) -> str:
        # Site data may have changed since the start: read it again, as ./portal check FILE does.
        fresh, site_problems = editorial.load_settings(os.path.join(root, "pelicanconf.py"), os.path.join(root, "content"))
        report = editorial.format_report(editorial.run_checks(fresh, site_problems, files=[path]))
        print(f"{messages_say('edit-saved', path=os.path.relpath(path, root))}\n{report}", flush=True)
        return report

    backend = LocalBackend(root, check=check, commit=commit)
    config = webeditor.cms_config(settings, f"http://{bind}:{port}{webeditor.API_PATH}")
    return serve(root, config, backend, host=bind, port=int(port))


def messages_say(key: str, **values) -> str:
    sys.path.insert(0, os.path.join(HERE, "plugins"))
    import messages

    return messages.say(key, **values)


@task(
    help={
        "port": "port to listen on",
        "bind": "address to listen on (keep 127.0.0.1: the editor has no login)",
        "export": "instead of serving: write an editors' host's admin/ and theme/ into this folder (docs/web-editor.md)",
        "backend": "with --export: a JSON file with Decap's backend for the office's GitLab, Gitea or GitHub",
    }
)
def edit(c, port=8080, bind="127.0.0.1", export="", backend=""):
    """The web editor: Decap CMS over this working copy on http://localhost:8080/admin/; each save is a git commit."""
    if export:
        _export_editor(export, backend)
        return
    server = start_editor(HERE, int(port), bind)
    print(messages_say("edit-serving", host=bind, port=port), flush=True)
    try:
        threading.Event().wait()  # until Ctrl+C (SIGTERM ends the process as it is: saves are atomic)
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()


def _export_editor(target: str, backend_file: str) -> None:
    import webeditor

    try:
        with open(backend_file, encoding="utf-8") as handle:
            remote = json.load(handle)
        if not isinstance(remote, dict) or not remote.get("name"):
            raise ValueError(backend_file)
    except (OSError, ValueError):
        raise Exit(messages_say("edit-export-backend", path=backend_file or "--backend"), code=2) from None
    target = os.path.realpath(target)
    # Never into what becomes the public site: a build's output, its releases, or content/.
    public = [os.path.realpath(os.path.join(HERE, name)) for name in ("output", ".output.releases", ".publish", "content")]
    if any(target == folder or target.startswith(folder + os.sep) for folder in public):
        raise Exit(messages_say("edit-export-public", path=target), code=2)
    editorial = _editorial()
    settings, problems = editorial.load_settings(os.path.join(HERE, "pelicanconf.py"))
    if any(p.level == "error" for p in problems):
        raise Exit(editorial.format_report(problems), code=1)
    written = webeditor.export_admin(HERE, target, webeditor.cms_config(settings, backend=remote))
    print(messages_say("edit-exported", count=len(written), path=target))


def livereload_overrides(output: str, cache: str) -> list[str]:
    """Pelican's content cache makes a rebuild after one edit re-read only that file, and plugins/reuse
    takes every page whose inputs did not change from the site being served (through the output link:
    the last good build) instead of rendering it."""
    return [
        "CACHE_CONTENT=true",
        "LOAD_CONTENT_CACHE=true",
        f"CACHE_PATH={json.dumps(cache)}",
        "REUSE_UNCHANGED_PAGES=true",
        f"REUSE_FROM={json.dumps(output)}",
    ]


@task(help={"port": "port to listen on", "bind": "address to listen on", "content": "content folder", "output": "folder to build into"})
def livereload(c, port=8000, bind="127.0.0.1", content="content", output="output"):
    """Serve the site, rebuild on every change under content/, theme/ and plugins/, reload the page.

    A build with errors prints them and keeps the last good site on the server.
    """
    from livereload import Server

    content = os.path.join(HERE, content)
    output = os.path.join(HERE, output)
    overrides = livereload_overrides(output, os.path.join(HERE, "cache"))

    def rebuild():
        try:
            build_site(output=output, content=content, overrides=overrides)
            print(f"Rebuilt; the browser reloads. http://localhost:{port}/", flush=True)
        except Exit as failure:
            if failure.code > 128:  # stopped by a signal: stop serving too
                print(failure.message, file=sys.stderr, flush=True)
                raise SystemExit(failure.code) from None
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


# What keeps the code in one shape (settings in pyproject.toml): lint, format, types. CI fails on any.
LINTERS = (
    ("ruff check", [PYTHON, "-m", "ruff", "check", "--no-cache", "."]),
    ("ruff format", [PYTHON, "-m", "ruff", "format", "--no-cache", "--check", "."]),
    ("mypy", [PYTHON, "-m", "mypy", "--no-incremental"]),
)


def run_linters() -> list[str]:
    """Run every linter, each to the end; the names of those that failed."""
    failed = []
    for name, command in LINTERS:
        print(f"{name}: {' '.join(command[2:])}", flush=True)
        if subprocess.call(command, cwd=HERE) != 0:
            failed.append(name)
    return failed


@task
def lint(c):
    """ruff (lint and format check) and mypy, as `invoke test` runs them first."""
    failed = run_linters()
    if failed:
        raise Exit(f"{', '.join(failed)} failed: see above (`ruff check --fix .` and `ruff format .` mend most)", code=1)


@task(help={"k": "only tests matching this expression", "x": "stop at the first failure"})
def test(c, k="", x=False):
    """Install what the tests need (Debian's chromium, nginx and Java, npm ci), run the linters, then the whole suite."""
    _ensure_test_tools()
    failed = [] if k else run_linters()  # a selection of tests (-k) is a developer's quick loop
    command = [PYTHON, "-m", "pytest", "-p", "no:cacheprovider"]
    if k:
        command += ["-k", k]
    if x:
        command.append("-x")
    code = subprocess.call(command, cwd=HERE)
    if failed:
        raise Exit(f"{', '.join(failed)} failed (see above); the tests ran too", code=1)
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
    if not (dest or rsync or gh_pages):
        raise Exit("Say where to publish: --dest PATH, --rsync user@host:/path or --gh-pages", code=2)
    keep = int(keep)
    if keep < 1:
        raise Exit(f"--keep {keep}: keep at least 1 release (the one being served)", code=2)
    from pelican.settings import read_settings

    production = read_settings(os.path.join(HERE, settings))
    siteurl = production.get("SITEURL", "")
    # The strict plugin runs publishing's link check at the end of every build, on the same folder.
    checked = "strict" in (production.get("PLUGINS") or [])
    # Never dest.resolve(): dest is the link to the live release (publishing.destination).
    local = publishing.destination(dest) if dest else Path(HERE) / ".publish" / "site"
    consequence = "nothing was published and the previous site is still served"

    def build(folder):
        with _locked(BUILD_LOCK, f"the build for a publish to {local}"):
            _build_into(settings, folder, content, None, consequence)

    try:
        with _stoppable(), _locked(publishing.lock_file(local), f"a publish to {local}"):
            publishing.remove_leftovers(local)
            if not dest:  # .publish/ only stages what is uploaded: nothing in it is served
                publishing.prune_releases(local, 1)
            release = publishing.prepare_release(build, local, siteurl, checked=checked)
            try:
                if dest:
                    publishing.switch(local, release, keep)
                    print(f"Published {release.name} at {local}")
                if rsync:
                    publishing.publish_rsync(release, rsync, keep)
                    print(f"Published {release.name} to {rsync}")
                if gh_pages:
                    commit = publishing.publish_gh_pages(release, HERE, push=push or None)
                    print(f"Committed the site to gh-pages as {commit[:12]}" + (f" and pushed to {push}" if push else ""))
            finally:
                publishing.remove_unused(local, release)  # unless dest now serves it
    except publishing.PublishError as error:
        raise Exit(f"{error}\nThe published site is unchanged.", code=1) from None
    except OSError as error:
        raise Exit(_os_failure(error, f"publishing stopped, {consequence}"), code=1) from None
    except subprocess.CalledProcessError as error:
        raise Exit(
            f"{' '.join(map(str, error.cmd))}: failed with exit code {error.returncode}; the site there is unchanged (see the errors above).", code=1
        ) from None
    except Interrupted as stop:
        raise _stopped(stop, consequence) from None
