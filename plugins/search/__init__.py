"""Site search: a lunr index built at build time, split so a browser fetches only what a query needs.

At the end of the build (finalized) it reads every published article and page (title, Summary, the
text of the rendered body, section, topics, tags, year), analyses them with the Vietnamese pipeline
of analysis.py, and writes output/search/ (layout.py says what is in it), then copies lunr.js from
node_modules (npm, pinned in package.json) to theme/js/. The browser side is theme/static/js/search.js
(the same module `invoke search` runs under Node) and search-page.js; the page is the direct template
search.html at SEARCH_URL.

Settings: SEARCH_ABBREVIATIONS (data/abbreviations.yaml under PATH, checked at the start of the build
with file:line), SEARCH_SHARD_BYTES (12000), SEARCH_DOCS_PER_FILE (16), SEARCH_LUNR_JS (the lunr.min.js
to copy), SEARCH_REPORT (a file to write the build's time to, for `invoke bench --search`),
SEARCH_IN_PARALLEL (True: a process forked when the build starts analyses each article as Pelican
reads it and writes the index while Pelican writes the pages; worker.py).
"""

from __future__ import annotations

import json
import logging
import os
import time
from pathlib import Path

from pelican import signals
from pelican.generators import ArticlesGenerator, PagesGenerator
from sourcefiles import stop_build

import bodies

from .abbreviations import load_abbreviations, parse_abbreviations
from .analysis import Abbreviations, analyze, tokenize
from .documents import search_documents, section_rows
from .layout import SearchDocument, build_files
from .worker import IndexWorker, can_fork, write_site_index
from .writer import write_index

__all__ = [
    "Abbreviations", "SearchDocument", "analyze", "build_files", "load_abbreviations", "parse_abbreviations",
    "search_documents", "tokenize", "write_index", "register",
]

log = logging.getLogger(__name__)
PROJECT = Path(__file__).resolve().parents[2]
LUNR_JS = PROJECT / "node_modules" / "lunr" / "lunr.min.js"

_state: dict = {}


def on_initialized(pelican) -> None:
    settings = pelican.settings
    if _state.get("worker") is not None:  # a build in this process (livereload) stopped early
        _state["worker"].cancel()
    _state.clear()
    path = os.path.join(settings["PATH"], settings.get("SEARCH_ABBREVIATIONS", "data/abbreviations.yaml"))
    abbreviations, problems = load_abbreviations(path)
    lunr_js = Path(settings.get("SEARCH_LUNR_JS") or LUNR_JS)
    if not lunr_js.is_file():
        log.error("%s is missing: run `npm ci` (./portal does it) to install lunr for the site search", lunr_js)
        raise SystemExit(1)
    stop_build(problems, log)
    _state.update(abbreviations=abbreviations, lunr_js=lunr_js, articles=[], pages=[])
    if settings.get("SEARCH_IN_PARALLEL", True) and can_fork():
        # Forked now, while the process is small; it analyses each article as Pelican reads it.
        cache = os.path.join(settings.get("CACHE_PATH", "cache"), "search-analysis.pickle") if settings.get("CACHE_CONTENT") else None
        _state["worker"] = IndexWorker(abbreviations, lunr_js, cache, bool(settings.get("LOAD_CONTENT_CACHE")))


def stream_content(content) -> None:
    """The body step (plugins/bodies), after every step that rewrites: the final body, as readers get
    it, goes to the worker, once. Links inside it are not resolved yet, which changes addresses, never text."""
    worker = _state.get("worker")
    if worker is None:
        return
    summary = content.metadata.get("summary")
    worker.add(content.source_path, str(content.title), str(summary) if summary else "", content._content or "")


def on_all_generators_finalized(generators) -> None:
    for generator in generators:
        if isinstance(generator, ArticlesGenerator):
            _state.setdefault("articles", []).extend(generator.articles)  # published only
        elif isinstance(generator, PagesGenerator):
            _state.setdefault("pages", []).extend(generator.pages)
    worker = _state.get("worker")
    if worker is None:
        return
    # Every article and page went to the worker as it was read (plugins/bodies: also with the
    # content cache on): nothing to send again.
    settings = generators[0].settings
    documents = search_documents(_state["articles"], _state["pages"], settings, frozenset(worker.sent))
    worker.build(documents, section_rows(settings.get("SECTIONS", [])), _options(settings))


def _options(settings: dict) -> dict:
    return {
        "shard_bytes": int(settings.get("SEARCH_SHARD_BYTES", 12_000)),
        "docs_per_file": int(settings.get("SEARCH_DOCS_PER_FILE", 16)),
        "output": settings["OUTPUT_PATH"],
        "report": settings.get("SEARCH_REPORT"),
    }


def build_index(settings: dict) -> None:
    """Analyse every published article and page and write output/search/ and lunr.min.js (the
    serial path: SEARCH_IN_PARALLEL off, or no fork on this system)."""
    started = time.perf_counter()
    documents = search_documents(_state["articles"], _state["pages"], settings)
    options = _options(settings)
    meta, files = build_files(
        documents, _state["abbreviations"], section_rows(settings.get("SECTIONS", [])),
        shard_bytes=options["shard_bytes"], docs_per_file=options["docs_per_file"],
    )
    write_site_index(options["output"], str(_state["lunr_js"]), meta, files)
    seconds = time.perf_counter() - started
    log.info("Search index: %d documents, %d files in %.1f s", len(documents), len(files) + 1, seconds)
    if options["report"]:  # for invoke bench --search
        with open(options["report"], "w", encoding="utf-8") as handle:
            json.dump({"documents": len(documents), "files": len(files) + 1, "seconds": seconds, "tail_seconds": seconds}, handle)


def on_finalized(pelican) -> None:
    if "abbreviations" not in _state:
        return
    worker = _state.pop("worker", None)
    if worker is None:
        build_index(pelican.settings)
        return
    exitcode = worker.join()
    if exitcode != 0:
        log.error("The search index could not be built (worker exit status %s); see the messages above", exitcode)


def register() -> None:
    signals.initialized.connect(on_initialized)
    bodies.add_step(__name__, stream_content)
    signals.all_generators_finalized.connect(on_all_generators_finalized)
    signals.finalized.connect(on_finalized)
