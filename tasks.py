"""Tasks for editors, developers and CI: ./portal TASK (or `invoke TASK` inside .venv)."""

from __future__ import annotations

import errno
import functools
import http.server
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
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
import messages  # noqa: E402  (the catalogue of what editors and operators read)
import publishing  # noqa: E402  (a library under plugins/, no Pelican plugin)

# What a full disk, a read-only disk or missing rights are, said plainly, and what to do about it
# (message keys: what happened, what to do).
_OS_FAILURES = {
    errno.ENOSPC: ("os-disk-full", "os-free-space"),
    errno.EDQUOT: ("os-quota-used", "os-free-space"),
    errno.EROFS: ("os-read-only", "os-make-writable"),
    errno.EACCES: ("os-permission-denied", "os-other-user"),
    errno.EPERM: ("os-not-permitted", "os-other-user"),
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
    if error.errno in _OS_FAILURES:
        what_key, todo_key = _OS_FAILURES[error.errno]
        what = messages.say(what_key)
    else:
        what, todo_key = (error.strerror or str(error)).lower(), "os-fix-and-retry"
    where = error.filename or messages.say("os-the-disk")
    return messages.say("os-failure", where=where, what=what, consequence=consequence, todo=messages.say(todo_key))


def _pelican(settings: str, output: str, content: str = "content", overrides: list[str] | None = None, log: list[str] | None = None) -> int:
    """Run Pelican; its log is passed on as it comes (and kept in ``log``, when given). Returns its
    exit code; raises the OSError it stopped on (a full or read-only disk is not a content error),
    or Interrupted."""
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
            if log is not None:
                log.append(line)
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


def _build_into(settings: str, folder: str, content: str, overrides: list[str] | None, consequence: str, log: list[str] | None = None) -> None:
    """Build the site into ``folder`` (a fresh one); raise Exit on a content error."""
    code = _pelican(settings, folder, content, overrides, log)
    if code < 0:
        raise Exit(messages.say("build-pelican-stopped", signal=signal.Signals(-code).name, consequence=consequence), code=1)
    if code != 0:
        raise Exit(messages.say("build-failed", consequence=consequence), code=1)


def _stopped(stop: Interrupted, consequence: str) -> Exit:
    return Exit(messages.say("stopped-by-signal", signal=stop.name, consequence=consequence), code=128 + stop.signum)


def _remove_old_staging(folder: Path) -> None:
    """The staging folders that versions before the output link left when killed (tempfile.mkdtemp names)."""
    for entry in folder.glob(".*-*"):
        if re.fullmatch(r"\.(build|old)-[A-Za-z0-9_]{8}", entry.name) and entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)


def build_site(
    settings: str = "pelicanconf.py", output: str = "output", content: str = "content", overrides: list[str] | None = None, log: list[str] | None = None
) -> None:
    """Build into a new folder, then switch ``output``, a symlink to it, with one rename: a failed build
    leaves the previous site untouched, and readers of a local server never see half a site nor none.

    The builds live in .output.releases/ beside it (the layout of a publish, keeping one); a plain
    output/ folder from an older version is replaced by the link in one step.
    """
    output = os.path.join(HERE, output)
    shown = os.path.relpath(output, HERE) if output.startswith(HERE + os.sep) else output
    consequence = messages.say("consequence-site-unchanged", folder=shown)
    link = Path(output)
    try:
        with _stoppable(), _locked(BUILD_LOCK, messages.say("lock-build", folder=shown)):
            publishing.remove_leftovers(link)
            _remove_old_staging(link.parent)
            release, building = publishing.new_release(link)
            try:
                _build_into(settings, str(building), content, overrides, consequence, log)
                os.rename(building, release)
                publishing.switch(link, release, keep=1, adopt=False)
            except BaseException:
                publishing.remove_unused(link, building, release)
                raise
    except OSError as error:
        raise Exit(_os_failure(error, messages.say("consequence-build-stopped", consequence=consequence)), code=1) from None
    except Interrupted as stop:
        raise _stopped(stop, consequence) from None


@task(help={"settings": "settings file (publishconf.py for production)", "output": "folder to build into"})
def build(c, settings="pelicanconf.py", output="output"):
    """Build the site into output/ (all or nothing)."""
    build_site(settings, output)
    print(messages.say("built", output=output))


class SiteRequestHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the built site as the production web server does: an unknown address gets the site's
    own 404.html with status 404. ``directory`` is the output link: each request reads the current
    build."""

    def send_error(self, code, message=None, explain=None):
        page = os.path.join(self.directory, "404.html")
        if code != 404 or not os.path.isfile(page):
            super().send_error(code, message, explain)
            return
        with open(page, "rb") as handle:
            body = handle.read()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def site_server(output: str, port: int, bind: str) -> http.server.ThreadingHTTPServer:
    """A local web server for the site in ``output`` (not yet serving: call serve_forever)."""
    return http.server.ThreadingHTTPServer((bind, int(port)), functools.partial(SiteRequestHandler, directory=output))


@task(help={"port": "port to listen on", "bind": "address to listen on", "output": "folder to build into and serve"})
def serve(c, port=8000, bind="127.0.0.1", output="output"):
    """Build the sample portal and serve it on http://localhost:8000 (an unknown address shows the site's 404 page)."""
    build_site(output=output)
    server = site_server(os.path.join(HERE, output), port, bind)
    print(messages.say("serving", port=server.server_address[1]), flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def start_editor(root: str = HERE, port: int = 8080, bind: str = "127.0.0.1", commit: bool = True):
    """The web editor's server over the working copy ``root`` (started, in a thread): Decap CMS at
    /admin/ with the local backend; each save is written atomically, committed and checked."""
    sys.path.insert(0, os.path.join(HERE, "plugins"))
    import webeditor
    from webeditor.backend import LocalBackend
    from webeditor.server import CMS_DIST, serve

    if not os.path.isfile(os.path.join(root, CMS_DIST, "decap-cms.js")):
        raise Exit(messages.say("edit-no-cms", path=os.path.join(CMS_DIST, "decap-cms.js")), code=1)
    editorial = _editorial()
    settings, problems = editorial.load_settings(os.path.join(root, "pelicanconf.py"), os.path.join(root, "content"))
    if any(p.level == "error" for p in problems):
        raise Exit(editorial.format_report(problems), code=1)

    def check(path: str) -> str:
        # Site data may have changed since the start: read it again, as ./portal check FILE does.
        fresh, site_problems = editorial.load_settings(os.path.join(root, "pelicanconf.py"), os.path.join(root, "content"))
        report = editorial.format_report(editorial.run_checks(fresh, site_problems, files=[path]))
        print(f"{messages.say('edit-saved', path=os.path.relpath(path, root))}\n{report}", flush=True)
        return report

    backend = LocalBackend(root, check=check, commit=commit)
    config = webeditor.cms_config(settings, f"http://{bind}:{port}{webeditor.API_PATH}")
    return serve(root, config, backend, host=bind, port=int(port))


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
    print(messages.say("edit-serving", host=bind, port=port), flush=True)
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
        raise Exit(messages.say("edit-export-backend", path=backend_file or "--backend"), code=2) from None
    target = os.path.realpath(target)
    # Never into what becomes the public site: a build's output, its releases, or content/.
    public = [os.path.realpath(os.path.join(HERE, name)) for name in ("output", ".output.releases", ".publish", "content")]
    if any(target == folder or target.startswith(folder + os.sep) for folder in public):
        raise Exit(messages.say("edit-export-public", path=target), code=2)
    settings, problems = _site_settings()
    written = webeditor.export_admin(HERE, target, webeditor.cms_config(settings, backend=remote))
    print(messages.say("edit-exported", count=len(written), path=target))


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


@task(
    help={
        "port": "port to listen on",
        "bind": "address to listen on",
        "content": "content folder",
        "output": "folder to build into",
        "cache": "folder of the content cache and the reused pages' keys",
    }
)
def livereload(c, port=8000, bind="127.0.0.1", content="content", output="output", cache="cache"):
    """Serve the site, rebuild on every change under content/, theme/ and plugins/, reload the page.

    An edited article's page comes first (editorial.quickpage: a build of that article alone, about a
    second), then the whole site is rebuilt in the background and the browser reloads again; a newer
    edit stops a rebuild that is out of date. A build with errors prints them, and the browser shows
    them (file:line) until a build succeeds; the site files stay those of the last good build.
    """
    from livereload import Server
    from livereload.handlers import LiveReloadHandler
    from tornado.ioloop import IOLoop

    editorial = _editorial()
    from editorial import quickpage

    content = os.path.join(HERE, content)
    output = os.path.join(HERE, output)
    cache = os.path.join(HERE, cache)
    overrides = livereload_overrides(output, cache)
    failed: dict[str, str] = {}  # the page shown while the last build failed, for the server
    loops: list[IOLoop] = []

    def reload_browsers():
        if loops:  # from the rebuilds' thread: tornado is not thread-safe, hand it to the server's loop
            loops[0].add_callback(LiveReloadHandler.reload_waiters, "*")

    def full_build() -> bool:
        log: list[str] = []
        try:
            build_site(output=output, content=content, overrides=overrides, log=log)
        except Exit as failure:
            if failure.code > 128:  # stopped by a signal: stop serving too
                print(failure.message, file=sys.stderr, flush=True)
                raise SystemExit(failure.code) from None
            if rebuilds.superseded.is_set():
                return False  # stopped for a newer edit: the next build speaks
            # The browser shows what the terminal says, with file:line, until the next good build;
            # the reload after that build brings the page back.
            failed["page"] = editorial.build_error_page(editorial.build_errors(log) or [str(failure.message)])
            print(messages.say("livereload-kept", failure=failure.message, port=port), file=sys.stderr, flush=True)
            return True  # the browsers reload into the page of errors
        failed.clear()
        print(messages.say("livereload-rebuilt", port=port), flush=True)
        return True

    def quick_page(source: str) -> None:
        with tempfile.TemporaryDirectory(prefix="quick-", dir=cache) as folder:
            command = [*PELICAN, content, "-s", "pelicanconf.py", "-o", folder, "--log-handler", "plain", "-e", *quickpage.overrides(source)]
            parent = os.getpid()
            done = subprocess.run(command, cwd=HERE, capture_output=True, text=True, check=False, preexec_fn=lambda: publishing.die_with_parent(parent))
            page = quickpage.article_page(folder) if done.returncode == 0 else None
            if page is None:
                return  # its errors are the full build's to show
            try:
                quickpage.place(folder, os.path.realpath(output), page)
            except OSError:
                return  # the site being served was switched meanwhile: the full build shows the edit
        print(messages.say("livereload-page-first", port=port, page="/" + page.removesuffix("index.html")), flush=True)
        if not failed:  # while the last build failed, pages are its errors until a full build succeeds
            LiveReloadHandler.reload_waiters("*")

    def changed():
        # Called by livereload in the server's thread with the file it saw change.
        loops[:1] = [IOLoop.current()]
        source = quickpage.article_source(content, server.watcher.filepath)
        # livereload reloads the browsers when this returns unless it thinks nothing changed: the
        # reloads are ours (after the page, after the site), so tell it so (livereload 2.7.1, pinned).
        server.watcher.filepath = None
        rebuilds.stop_current()
        if source and os.path.isdir(output):
            quick_page(source)
        rebuilds.request()

    os.makedirs(cache, exist_ok=True)
    rebuilds = _Rebuilds(full_build, reload_browsers)
    full_build()
    if not os.path.isdir(output):
        raise Exit(messages.say("livereload-first-failed"), code=1)
    rebuilds.start()
    server = Server(watcher=_file_events())
    server.SFH = _live_files(server.SFH, failed)
    for folder in (content, os.path.join(HERE, "theme"), os.path.join(HERE, "plugins"), os.path.join(HERE, "pelicanconf.py")):
        server.watch(folder, changed)
    server.serve(host=bind, port=int(port), root=output, open_url_delay=None, restart_delay=0)


def _live_files(handler: type, failed: dict[str, str]) -> type:
    """livereload's file handler, answering as the site does: a page while the last build failed is
    the page of its errors (livereload's script in it reloads it when a build succeeds), an unknown
    address the site's 404.html with status 404."""

    class LiveFiles(handler):  # type: ignore[valid-type,misc]
        async def get(self, path, include_body=True):
            if failed and _is_page(path):
                self.set_status(500)
                self.set_header("Content-Type", "text/html; charset=utf-8")
                self.set_header("Cache-Control", "no-store")
                self.finish(failed["page"])
                return
            await super().get(path, include_body)

        def write_error(self, status_code, **kwargs):
            page = os.path.join(self.root, "404.html")
            if status_code != 404 or not os.path.isfile(page):
                super().write_error(status_code, **kwargs)
                return
            self.set_header("Content-Type", "text/html; charset=utf-8")
            with open(page, "rb") as handle:
                self.finish(handle.read())

    return LiveFiles


def _is_page(path: str) -> bool:
    """Whether a requested path is a page (what a browser shows), not a picture, style or script."""
    last = path.rsplit("/", 1)[-1]
    return last == "" or last.endswith(".html") or "." not in last


def _file_events():
    """livereload's watcher told of changes by the system (watchfiles, which Pelican itself uses:
    inotify on Linux) instead of walking every watched folder every 0.8 s: at 10,000 articles one
    walk stats every file (about 0.2 s, five times a second's share of a core), and a save waited
    0.4 s on average before the walk saw it. The tasks run as livereload runs them, in the server's
    loop, with ``filepath`` the changed file (a Markdown file when one was saved)."""
    import watchfiles
    from livereload.watcher import Watcher
    from tornado.ioloop import IOLoop

    class FileEvents(Watcher):
        def __init__(self):
            super().__init__()
            self._seen: list[str] = []
            self._lock = threading.Lock()
            self._again = lambda: None

        def start(self, callback):
            loop, paths = IOLoop.current(), list(self._tasks)
            started = threading.Event()

            def listen():
                # step: a save is reported once nothing else changed for 20 ms (an editor's program
                # may write a temporary file and rename it over the article).
                events = watchfiles.watch(*paths, step=20, raise_interrupt=False, yield_on_timeout=True, rust_timeout=500)
                for changes in events:
                    started.set()
                    if changes:
                        with self._lock:
                            self._seen += sorted(path for _, path in changes)
                        loop.add_callback(callback)

            threading.Thread(target=listen, daemon=True, name="file-events").start()
            started.wait(5)  # watching before the server answers, so no save is missed
            self._again = lambda: loop.add_callback(callback)
            callback()  # livereload's own first "change" (its start), as its inotify watcher does
            return True  # no polling

        def examine(self):
            if self._changes:  # livereload's own, one a call: the files seen meanwhile come next
                if self._seen:
                    self._again()
                return self._changes.pop()
            with self._lock:
                seen, self._seen = self._seen, []
            self.filepath = None
            for path, item in self._tasks.items():
                hits = [p for p in seen if (p == path or p.startswith(os.path.join(path, ""))) and not self.ignore(p)]
                if hits and item["func"]:
                    saved = [p for p in hits if p.endswith(".md") and os.path.isfile(p)]
                    self.filepath = (saved or hits)[-1]
                    item["func"]()
            return self.filepath, None

    return FileEvents()


class _Rebuilds(threading.Thread):
    """Full rebuilds in the background, one at a time; the newest request wins: a request while one
    runs stops it (its half-built folder is removed by build_site) and starts again."""

    def __init__(self, build, done):
        super().__init__(daemon=True, name="rebuilds")
        self.build, self.done = build, done
        self.wanted, self.superseded = threading.Event(), threading.Event()

    def request(self) -> None:
        self.wanted.set()

    def stop_current(self) -> None:
        """Stop the rebuild running, if any: it is out of date (a request follows)."""
        self.superseded.set()
        if _running:
            _running[0].terminate()

    def run(self) -> None:
        while True:
            self.wanted.wait()
            self.wanted.clear()
            self.superseded.clear()
            if self.build() and not self.superseded.is_set():
                self.done()


def _missing_test_packages() -> list[str]:
    """Debian packages the tests run that this machine lacks: a browser, a web server, Java, npm, Hugo."""
    missing = []
    if not (shutil.which("chromium") or os.path.exists("/usr/bin/chromium")):
        missing += ["chromium", "fonts-noto-core"]
    if not (shutil.which("nginx") or os.path.exists("/usr/sbin/nginx")):
        missing.append("nginx")  # tests/test_nginx.py runs deploy/nginx.conf in it
    if not shutil.which("java"):
        missing.append("default-jre-headless")  # the Nu HTML Checker (vnu.jar)
    if not shutil.which("npm"):
        missing.append("npm")
    if not shutil.which("hugo"):
        missing.append("hugo")  # the bench's anchor (tests/bench_hugo.py), smoke-tested by tests/test_bench.py
    return missing


def _ensure_test_tools() -> None:
    """Install what the tests need besides Python: Debian's chromium, nginx, Java and Hugo when missing, and
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
        "lighthouse": "Lighthouse (phone profile) on the sample site's main pages instead: performance, accessibility, best practices, SEO",
    }
)
def bench(c, sizes="", quick=False, search=False, lighthouse=False):
    """Bare Pelican beside the portal on generated archives; writes BENCHMARKS.md."""
    sys.path.insert(0, os.path.join(HERE, "tests"))
    if lighthouse:
        import bench_lighthouse

        bench_lighthouse.run(write=not quick, command="invoke bench --lighthouse" + (" --quick" if quick else ""))
        return
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


@task(
    help={
        "title": "the article's title, in Vietnamese, in quotes",
        "section": "section id from content/data/sections.yaml, e.g. tin-tuc-su-kien",
        "content": "content folder (default: content)",
    }
)
def new(c, title, section, content="content"):
    """Create a new article with its front matter: ./portal new "Tiêu đề" --section kiem-tra-cchc"""
    editorial = _editorial()
    settings, problems = editorial.load_settings(os.path.join(HERE, "pelicanconf.py"), os.path.join(HERE, content))
    if any(p.level == "error" for p in problems):
        raise Exit(editorial.format_report(problems), code=1)
    try:
        path = editorial.new_article(settings, title, section)
    except editorial.NewArticleError as error:
        raise Exit(messages.say("new-failed", error=error), code=1) from None
    shown = os.path.relpath(path)
    print(shown)
    topics = ", ".join(settings["TOPICS_BY_ID"])
    print(messages.say("new-next-step", topics=topics, path=shown), file=sys.stderr)


def _help_asked(value: str, task, options: dict) -> bool:
    """`import-docx --help`: invoke takes "--help" for the file while a positional argument is still
    unfilled, so the task answers it itself, with what `invoke --help import-docx` prints."""
    if value not in ("-h", "--help"):
        return False
    name = task.name.replace("_", "-")
    print(f"./portal {name} {' '.join(a.upper() for a in task.positional)} [--options]\n\n{task.body.__doc__}\n")
    for option, text in options.items():
        print(f"  {option.upper() if option in task.positional else '--' + option:<10} {text}")
    return True


def _importing():
    sys.path.insert(0, os.path.join(HERE, "plugins"))
    import importing.commands

    return importing.commands


def _site_settings():
    """The build's settings and the site data's problems, for a command that works on the content
    (import, the web editor's export); an error in the site data stops it first, with file:line."""
    editorial = _editorial()
    settings, problems = editorial.load_settings(os.path.join(HERE, "pelicanconf.py"))
    if any(p.level == "error" for p in problems):
        raise Exit(editorial.format_report(problems), code=1)
    return settings, problems


# --section has a default so that `import-docx --help` answers (invoke asks for every positional
# argument first); an empty section is refused with the list of sections.
IMPORT_DOCX_HELP = {"file": "the Word file (.docx)", "section": "section id from content/data/sections.yaml"}


@task(positional=["file"], help=dict(IMPORT_DOCX_HELP))
def import_docx(c, file, section=""):
    """Import a Word file as an article, then check it: invoke import-docx bai.docx --section tin-tuc-su-kien"""
    if _help_asked(file, import_docx, IMPORT_DOCX_HELP):
        return
    settings, problems = _site_settings()
    report, failed = _importing().import_docx(settings, problems, file, section)
    if failed:
        raise Exit(report, code=1)
    print(report)


IMPORT_HTML_HELP = {
    "src": "folder of pages saved from the old portal (HTML files with their pictures and attachments)",
    "section": "section id from content/data/sections.yaml",
    "map": "file of saved page and old address, one pair a line (when the pages do not say their address)",
    "profile": "the portal's profile (plugins/importing/profiles/), when the importer cannot find the article by itself",
}


@task(positional=["src"], help=dict(IMPORT_HTML_HELP))  # a copy: invoke empties the dict it is given
def import_html(c, src, section="", map="", profile=""):
    """Import saved pages of an old portal as articles, with redirects from their old addresses: invoke import-html trang-cu/ --section tin-tuc-su-kien"""
    if _help_asked(src, import_html, IMPORT_HTML_HELP):
        return
    settings, problems = _site_settings()
    report, failed = _importing().import_html(settings, problems, src, section, map, profile)
    if failed:
        raise Exit(report, code=1)
    print(report)


@task(
    iterable=["file"],
    help={
        "content": "content folder to check (default: content)",
        "file": "check only this file and what it uses (repeatable; ./portal check FILE... passes them)",
        "changed": "check only the files under the content folder that git sees as changed, staged or new",
    },
)
def check(c, content="content", file=None, changed=False):
    """Check the content without building: every error and warning, with file:line.

    ./portal check FILE... checks those files (and the pictures, tables and documents they use);
    ./portal check --changed the files changed since the last commit."""
    editorial = _editorial()
    content = os.path.join(HERE, content)
    files = [os.path.abspath(path) for path in file or []]
    if changed:
        try:
            files += editorial.changed_files(HERE, content)
        except editorial.NotARepositoryError as error:
            raise Exit(str(error), code=2) from None
        if not files:
            print(messages.say("check-no-changes", content=os.path.relpath(content, HERE)))
            return
    missing = [path for path in files if not os.path.isfile(path)]
    if missing:
        raise Exit("\n".join(messages.say("check-no-such-file", path=os.path.relpath(path)) for path in missing), code=2)
    settings, problems = editorial.load_settings(os.path.join(HERE, "pelicanconf.py"), content)
    problems = editorial.run_checks(settings, problems, files=files or None)
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
        raise Exit(messages.say("publish-where"), code=2)
    keep = int(keep)
    if keep < 1:
        raise Exit(messages.say("publish-keep-too-few", keep=keep), code=2)
    from pelican.settings import read_settings

    production = read_settings(os.path.join(HERE, settings))
    siteurl = production.get("SITEURL", "")
    # The strict plugin runs publishing's link check at the end of every build, on the same folder.
    checked = "strict" in (production.get("PLUGINS") or [])
    # Never dest.resolve(): dest is the link to the live release (publishing.destination).
    local = publishing.destination(dest) if dest else Path(HERE) / ".publish" / "site"
    consequence = messages.say("consequence-nothing-published")

    def build(folder):
        with _locked(BUILD_LOCK, messages.say("lock-publish-build", dest=local)):
            _build_into(settings, folder, content, None, consequence)

    try:
        with _stoppable(), _locked(publishing.lock_file(local), messages.say("lock-publish", dest=local)):
            publishing.remove_leftovers(local)
            if not dest:  # .publish/ only stages what is uploaded: nothing in it is served
                publishing.prune_releases(local, 1)
            release = publishing.prepare_release(build, local, siteurl, checked=checked)
            try:
                if dest:
                    publishing.switch(local, release, keep)
                    print(messages.say("published-dest", release=release.name, dest=local))
                if rsync:
                    publishing.publish_rsync(release, rsync, keep)
                    print(messages.say("published-rsync", release=release.name, target=rsync))
                if gh_pages:
                    commit = publishing.publish_gh_pages(release, HERE, push=push or None)
                    if push:
                        print(messages.say("published-gh-pages-pushed", commit=commit[:12], remote=push))
                    else:
                        print(messages.say("published-gh-pages", commit=commit[:12]))
            finally:
                publishing.remove_unused(local, release)  # unless dest now serves it
    except publishing.PublishError as error:
        raise Exit(messages.say("publish-refused", error=error), code=1) from None
    except OSError as error:
        raise Exit(_os_failure(error, messages.say("consequence-publish-stopped", consequence=consequence)), code=1) from None
    except subprocess.CalledProcessError as error:
        raise Exit(messages.say("publish-command-failed", command=" ".join(map(str, error.cmd)), code=error.returncode), code=1) from None
    except Interrupted as stop:
        raise _stopped(stop, consequence) from None
