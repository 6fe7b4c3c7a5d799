"""How the build hands the search index its items: to a process beside the build, on the second
core, or to the build's own process. Both run builder.IndexBuilder on the same messages.

A process forked when the build starts (``IndexWorker``, before Pelican has read anything, so the
fork is cheap) receives every article and page as Pelican reads it (title, Summary and the final
body HTML, plugins/bodies) and analyses it at once: most of the index's work overlaps with Pelican
reading the files. When every generator is done, the parent sends the list of documents in ref
order (published articles newest first, pages, registered documents) with what is known only then
(address, section, keywords); the worker lays out and writes output/search/ while Pelican writes
the pages. The parent joins it at the end of the build; a worker that failed fails the build.
``InProcessIndex`` answers the same calls in the build's process (SEARCH_IN_PARALLEL off, or no
fork on this system).

With Pelican's content cache on (CACHE_CONTENT), the builder keeps its analysis in
CACHE_PATH/search-analysis.pickle (keyed by the abbreviations and the analysing code), and a rebuild
(LOAD_CONTENT_CACHE) analyses only the articles whose title, Summary or body changed.

Protocol, one Pipe from parent to worker: ("items", [SearchItem, ...]) in batches of content
objects (each once, as it is read: plugins/bodies), then ("build", documents, sections, options). A closed pipe without "build" (the
build stopped early) makes the worker exit quietly.
"""

from __future__ import annotations

import ctypes
import logging
import multiprocessing
import os
import queue
import signal
import threading
from collections.abc import Callable

from .builder import IndexBuilder, SearchItem

__all__ = ["InProcessIndex", "IndexWorker", "can_fork"]

BATCH = 64  # items a message


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


class _IndexClient:
    """The build's side of the protocol: ``add`` while Pelican reads (each item once), ``build`` when
    every generator is done, ``join`` at the end of the build (0: the index is written)."""

    def __init__(self):
        self._sent: set[str] = set()
        self._batch: list[SearchItem] = []

    def _deliver(self, message) -> None:
        raise NotImplementedError

    def add(self, source: str, title: str, summary_html: str, body_html: str) -> None:
        # In batches: one message (and one wake-up of the feeding thread) per BATCH items, so the
        # thread takes little time from the build's own.
        self._batch.append(SearchItem(source, title, summary_html, body_html))
        self._sent.add(source)
        if len(self._batch) >= BATCH:
            self._deliver(("items", self._batch))
            self._batch = []

    @property
    def sent(self) -> set[str]:
        return set(self._sent)

    def build(self, documents, sections, options: dict) -> None:
        if self._batch:
            self._deliver(("items", self._batch))
            self._batch = []
        self._deliver(("build", documents, sections, options))


class InProcessIndex(_IndexClient):
    """The builder in the build's own process: each message answered as it is sent."""

    def __init__(self, abbreviations, lunr_js: str, cache: str | None = None, load_cache: bool = False):
        super().__init__()
        self._builder = IndexBuilder(abbreviations, cache, load_cache)
        self._lunr_js = str(lunr_js)

    def _deliver(self, message) -> None:
        _answer(self._builder, message, self._lunr_js)

    def join(self) -> int:
        return 0

    def cancel(self) -> None:
        pass


class IndexWorker(_IndexClient):
    """The builder in a forked process. ``add`` never waits for it (a thread feeds the pipe from a
    queue, so reading articles from the content cache, faster than they can be analysed, is not slowed)."""

    def __init__(self, abbreviations, lunr_js: str, cache: str | None = None, load_cache: bool = False):
        """``cache``: a file to keep the analysis in for the next build (with Pelican's content
        cache on); ``load_cache``: start from the analysis kept there."""
        super().__init__()
        context = multiprocessing.get_context("fork")
        receiver, self._sender = context.Pipe(duplex=False)
        self._process = context.Process(
            target=_serve, args=(receiver, self._sender, abbreviations, str(lunr_js), cache, load_cache, os.getpid()), name="search-index", daemon=True
        )
        self._process.start()
        receiver.close()
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._pump = threading.Thread(target=self._feed, name="search-index-feed", daemon=True)
        self._pump.start()

    def _feed(self) -> None:
        try:
            while (message := self._queue.get()) is not None:
                self._sender.send(message)
        except (BrokenPipeError, OSError):
            pass  # the worker is gone; join() reports its exit status
        finally:
            self._sender.close()

    def _deliver(self, message) -> None:
        self._queue.put(message)

    def build(self, documents, sections, options: dict) -> None:
        super().build(documents, sections, options)
        self._queue.put(None)

    def join(self) -> int | None:
        self._pump.join()
        self._process.join()
        return self._process.exitcode

    def cancel(self) -> None:
        """The build stopped: no index (the worker sees the pipe close and exits)."""
        self._queue.put(None)
        self._pump.join(timeout=10)
        self._process.join(timeout=10)
        if self._process.is_alive():
            self._process.terminate()


_prctl: Callable[..., int] | None
try:  # looked up before the fork, not in the forked worker
    _prctl = ctypes.CDLL(None, use_errno=True).prctl
except (OSError, AttributeError):
    _prctl = None


def _end_with_parent(parent: int) -> None:
    """The kernel sends this worker SIGTERM when Pelican ends, also when Pelican is killed (its daemon
    flag only helps on a clean exit): a worker busy analysing must not outlive the build it serves."""
    if _prctl is None:
        return
    _prctl(1, signal.SIGTERM, 0, 0, 0)  # PR_SET_PDEATHSIG (Linux)
    if os.getppid() != parent:  # Pelican ended before prctl took effect
        os._exit(1)


def _answer(builder: IndexBuilder, message, lunr_js: str) -> bool:
    """One message of the protocol; True once the index is written."""
    if message[0] == "items":
        builder.add(message[1])
        return False
    _kind, documents, sections, options = message
    builder.write(documents, sections, options, lunr_js)
    return True


def _serve(receiver, sender, abbreviations, lunr_js: str, cache: str | None, load_cache: bool, parent: int) -> None:
    _end_with_parent(parent)
    sender.close()  # the child's copy: only the parent writes, so its exit ends the loop below
    logging.getLogger().handlers.clear()  # the parent's error counter must not count for the child
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    logging.getLogger().addHandler(handler)
    builder = IndexBuilder(abbreviations, cache, load_cache)
    while True:
        try:
            message = receiver.recv()
        except EOFError:
            return  # the build stopped before asking for the index
        if _answer(builder, message, lunr_js):
            return
