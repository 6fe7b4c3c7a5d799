"""The search index built beside the build, on the second core.

A process forked when the build starts (``IndexWorker``, before Pelican has read anything, so the
fork is cheap) receives every article and page as Pelican reads it (title, Summary and the final
body HTML, plugins/bodies) and analyses it at once: most of the index's work overlaps with Pelican
reading the files. When every generator is done, the parent sends the list of documents in ref
order (published articles newest first, pages, registered documents) with what is known only then
(address, section, keywords); the worker lays out and writes output/search/ while Pelican writes
the pages. The parent joins it at the end of the build; a worker that failed fails the build.

With Pelican's content cache on (CACHE_CONTENT), the worker keeps its analysis in
CACHE_PATH/search-analysis.pickle (keyed by the abbreviations and the analysing code), and a rebuild
(LOAD_CONTENT_CACHE) analyses only the articles whose title, Summary or body changed.

Protocol, one Pipe from parent to worker: ("items", [(source, title, summary_html, body_html), ...])
in batches of content objects (each once, as it is read), then
("build", documents, sections, options). A closed pipe without "build" (the
build stopped early) makes the worker exit quietly.
"""

from __future__ import annotations

import ctypes
import hashlib
import json
import logging
import multiprocessing
import os
import pickle
import queue
import shutil
import signal
import threading
import time

import vntext

from .analysis import analyze_counts
from .layout import FIELDS, Vocabulary, build_files, index_compact
from .text import excerpt, html_text
from .writer import write_index

__all__ = ["IndexWorker", "can_fork", "write_site_index"]

log = logging.getLogger(__name__)
BATCH = 64  # items a message


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def write_site_index(output: str, lunr_js: str, meta: str, files: dict[str, str]) -> None:
    """output/search/ and theme/js/lunr.min.js."""
    write_index(os.path.join(output, "search"), meta, files)
    target = os.path.join(output, "theme", "js", "lunr.min.js")
    os.makedirs(os.path.dirname(target), exist_ok=True)
    shutil.copyfile(lunr_js, target)


class IndexWorker:
    """The parent's side: ``add`` never waits for the worker (a thread feeds the pipe from a queue,
    so reading articles from the content cache, faster than they can be analysed, is not slowed)."""

    def __init__(self, abbreviations, lunr_js: str, cache: str | None = None, load_cache: bool = False):
        """``cache``: a file to keep the analysis in for the next build (with Pelican's content
        cache on); ``load_cache``: start from the analysis kept there."""
        context = multiprocessing.get_context("fork")
        receiver, self._sender = context.Pipe(duplex=False)
        self._sent: set[str] = set()
        self._batch: list[tuple[str, str, str, str]] = []
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

    def add(self, source: str, title: str, summary_html: str, body_html: str) -> None:
        # In batches: one message (and one wake-up of the feeding thread) per BATCH items, so the
        # thread takes little time from the build's own.
        self._batch.append((source, title, summary_html, body_html))
        self._sent.add(source)
        if len(self._batch) >= BATCH:
            self._queue.put(("items", self._batch))
            self._batch = []

    @property
    def sent(self) -> set[str]:
        return set(self._sent)

    def build(self, documents, sections, options: dict) -> None:
        if self._batch:
            self._queue.put(("items", self._batch))
            self._batch = []
        self._queue.put(("build", documents, sections, options))
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


def _digest(*texts: str) -> bytes:
    hasher = hashlib.blake2b(digest_size=16)
    for text in texts:
        hasher.update(text.encode("utf-8", "surrogatepass"))
        hasher.update(b"\0")
    return hasher.digest()


def _cache_key(abbreviations) -> bytes:
    """What the stored analysis depends on: the abbreviations and the code that analyses."""
    here = os.path.dirname(os.path.abspath(__file__))
    sources = [os.path.join(here, name) for name in ("analysis.py", "layout.py", "text.py", "worker.py")]
    sources.append(os.path.abspath(vntext.__file__))
    parts = [repr(sorted(abbreviations.table.items()))]
    for path in sources:
        with open(path, encoding="utf-8") as handle:
            parts.append(handle.read())
    return _digest(*parts)


def _load_cache(path: str | None, key: bytes) -> tuple[Vocabulary, dict]:
    vocabulary = Vocabulary()
    if path:
        try:
            with open(path, "rb") as handle:
                stored = pickle.load(handle)
            if stored.get("key") == key:
                vocabulary.terms = stored["terms"]
                vocabulary.numbers = {term: number for number, term in enumerate(vocabulary.terms)}
                return vocabulary, stored["analysed"]
        except (OSError, pickle.PickleError, EOFError, AttributeError, KeyError, TypeError, ValueError):
            pass  # no usable analysis from the last build: analyse everything
    return vocabulary, {}


def _save_cache(path: str, key: bytes, vocabulary: Vocabulary, analysed: dict) -> None:
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    temporary = f"{path}.{os.getpid()}.tmp"
    with open(temporary, "wb") as handle:
        pickle.dump({"key": key, "terms": vocabulary.terms, "analysed": analysed}, handle, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(temporary, path)


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


def _serve(receiver, sender, abbreviations, lunr_js: str, cache: str | None, load_cache: bool, parent: int) -> None:
    _end_with_parent(parent)
    sender.close()  # the child's copy: only the parent writes, so its exit ends the loop below
    logging.getLogger().handlers.clear()  # the parent's error counter must not count for the child
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    logging.getLogger().addHandler(handler)
    started = time.perf_counter()
    key = _cache_key(abbreviations) if cache else b""
    # With Pelican's content cache on, the analysis of the last build is kept beside it: an article
    # whose title, Summary and body are unchanged is not analysed again.
    vocabulary, analysed = _load_cache(cache, key) if cache and load_cache else (Vocabulary(), {})
    # source -> (compact title/lead/body counts, excerpt, digest of what was sent, digest of the texts)
    seen: set[str] = set()
    working = time.perf_counter() - started
    while True:
        try:
            message = receiver.recv()
        except EOFError:
            return  # the build stopped before asking for the index
        started = time.perf_counter()
        if message[0] == "items":
            for source, title, summary_html, body_html in message[1]:
                seen.add(source)
                sent = _digest(title, summary_html, body_html)
                known = analysed.get(source)
                if known is not None and known[2] == sent:
                    continue  # the same as last time (this build or the last one)
                lead = html_text(summary_html) if summary_html else ""
                body = html_text(body_html)
                texts = _digest(title, lead, body)
                if known is not None and known[3] == texts:  # another body, the same text (a link added)
                    analysed[source] = (known[0], known[1], sent, texts)
                    continue
                fields = [vocabulary.compact(analyze_counts(text, abbreviations)) for text in (title, lead, body)]
                analysed[source] = (fields, excerpt(lead or body), sent, texts)
            working += time.perf_counter() - started
            continue
        _kind, documents, sections, options = message
        compact = []
        for document in documents:
            found = analysed.get(document.source) if document.source else None
            if found is None:  # not streamed (a registered document): its texts came with it
                compact.append([vocabulary.compact(analyze_counts(document.texts.get(n, ""), abbreviations)) for n, _b in FIELDS])
                continue
            fields, document.excerpt = found[0], found[1]
            compact.append([*fields, vocabulary.compact(analyze_counts(document.texts.get("keywords", ""), abbreviations))])
        index = index_compact(compact, vocabulary)
        meta, files = build_files(
            documents, abbreviations, sections, shard_bytes=options["shard_bytes"], docs_per_file=options["docs_per_file"], index=index
        )
        write_site_index(options["output"], lunr_js, meta, files)
        tail = time.perf_counter() - started
        log.info("Search index: %d documents, %d files; %.1f s while reading, %.1f s at the end", len(documents), len(files) + 1, working, tail)
        if options.get("report"):  # for invoke bench --search
            with open(options["report"], "w", encoding="utf-8") as handle:
                json.dump({"documents": len(documents), "files": len(files) + 1, "seconds": working + tail, "tail_seconds": tail}, handle)
        if cache:
            _save_cache(cache, key, vocabulary, {source: analysed[source] for source in seen if source in analysed})
        return
