"""Strict build: content errors stop the build with file:line before anything is written.

Front matter, bodies' addresses and the content folder itself (no symbolic links, published names
that are addresses as they are) are checked against the site data before Pelican reads a file (see
checks.py); any error Pelican or a plugin logs while building (a template error, an unreadable file)
also fails the build at the end, and so does a link in the written site that leads nowhere (the
link check publishing runs before a release), so a build with errors never exits 0. Warnings are
printed and do not fail the build.
"""

from __future__ import annotations

import logging
from collections.abc import Set as AbstractSet

from pelican import signals

import messages
import publishing
from sourcefiles import stop_build

from .checks import check_content, parse_date, unsafe_static_files

__all__ = ["check", "check_content", "parse_date", "register"]

log = logging.getLogger(__name__)

BROKEN_SHOWN = 50  # broken links listed; a systematic break would otherwise print one line a page


class _ErrorCounter(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


_counter = _ErrorCounter()


def on_initialized(pelican) -> None:
    _counter.records.clear()
    root = logging.getLogger()
    if not root.handlers:
        # Pelican's plain log mode installs no handler and relies on Python's last-resort printer,
        # which stops printing once any handler (our counter) exists: print plainly ourselves.
        printer = logging.StreamHandler()
        printer.setLevel(logging.WARNING)
        printer.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
        root.addHandler(printer)
    if _counter not in root.handlers:
        root.addHandler(_counter)
    _check_after_run(pelican)


def _check_after_run(pelican) -> None:
    """Judge the build once Pelican's run has returned.

    Other plugins write files and may log errors in their own finalized handlers, and blinker gives
    no order between the receivers of one signal: only after run() has every file been written. The
    instance's run is wrapped once (pelican's main calls it on this same instance).
    """
    if getattr(pelican, "_strict_checked_run", False):
        return
    run = pelican.run

    def run_and_check():
        run()
        # QUICK_PAGE: a build of one article for `invoke livereload` to show its page at once; only that
        # page is taken from it, and the full build that follows checks every link of the site.
        finish(pelican.output_path, pelican.settings.get("SITEURL", ""), links=not pelican.settings.get("QUICK_PAGE"))

    pelican.run = run_and_check
    pelican._strict_checked_run = True


def finish(output_path: str, siteurl: str, links: bool = True) -> None:
    """Fail the build for errors logged while it ran, then (``links``) for links in the written site that lead nowhere."""
    if _counter.records:
        count = len(_counter.records)
        _counter.records.clear()
        log.error("%s", messages.say("build-failed-logged", count=count))
        raise SystemExit(1)
    if not links:
        return
    broken = publishing.check_site(output_path, siteurl)
    if broken:
        for line in broken[:BROKEN_SHOWN]:
            log.error("%s", line)
        if len(broken) > BROKEN_SHOWN:
            log.error("%s", messages.say("build-more-broken", count=len(broken) - BROKEN_SHOWN))
        _counter.records.clear()
        log.error("%s", messages.say("build-failed-links", count=len(broken)))
        raise SystemExit(1)


def check(settings: dict, editor: bool = False, files: AbstractSet[str] | None = None) -> list:
    """Front matter, bodies and the content tree (checks.check_content): what the build stops on when
    the article generator starts. ``editor`` (`invoke check`) adds warnings for internal links that
    lead nowhere, which the build leaves to its link check of the written site. ``files`` (absolute
    paths): only those files and what they use are judged (`./portal check FILE`)."""
    return check_content(settings, links=editor, files=files)


def on_article_generator_init(generator) -> None:
    stop_build(check(generator.settings), log)


def on_static_generator_finalized(generator) -> None:
    # The last guard before Pelican copies: a file outside content/ (a {static} address in a form
    # the checks do not read) is dropped and fails the build, never copied.
    files = [(static.source_path, static.save_as) for static in generator.staticfiles]
    problems = unsafe_static_files(generator.path, generator.output_path, files)
    if not problems:
        return
    refused = {source for source, _ in problems}
    generator.staticfiles[:] = [s for s in generator.staticfiles if s.source_path not in refused]
    for _, problem in problems:
        log.error("%s", problem)


def register() -> None:
    signals.initialized.connect(on_initialized)
    signals.article_generator_init.connect(on_article_generator_init)
    signals.static_generator_finalized.connect(on_static_generator_finalized)
