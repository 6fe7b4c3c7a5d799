"""Strict build: content errors stop the build with file:line before anything is written.

Front matter is checked against the site data before Pelican reads a file (see checks.py); any error
Pelican itself logs while building (a template error, an unreadable file) also fails the build at the
end, so a build with errors never exits 0. Warnings are printed and do not fail the build.
"""

from __future__ import annotations

import logging

from pelican import signals
from sourcefiles import stop_build

from .checks import check_content, parse_date

__all__ = ["check_content", "parse_date", "register"]

log = logging.getLogger(__name__)


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


def on_article_generator_init(generator) -> None:
    stop_build(check_content(generator.settings), log)


def on_finalized(pelican) -> None:
    if _counter.records:
        count = len(_counter.records)
        _counter.records.clear()
        log.error("Build failed: %d error(s) logged above.", count)
        raise SystemExit(1)


def register() -> None:
    signals.initialized.connect(on_initialized)
    signals.article_generator_init.connect(on_article_generator_init)
    signals.finalized.connect(on_finalized)
