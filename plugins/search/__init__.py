"""Site search: a lunr index built at build time, split so a browser fetches only what a query needs.

It reads every published article and page (title, Summary, the text of the rendered body as Pelican
reads it; section, topics, tags, year once every generator is done) and the registered documents,
analyses them with the Vietnamese pipeline of analysis.py (builder.py: one way, in a worker process or
in the build's), and writes output/search/ (layout.py says what is in it), then copies lunr.js from
node_modules (npm, pinned in package.json) to theme/js/. The browser side is theme/static/js/search.js
(the same module `invoke search` runs under Node) and search-page.js; the page is the direct template
search.html at SEARCH_URL.

Settings: SEARCH_ABBREVIATIONS (data/abbreviations.yaml under PATH, checked at the start of the build
with file:line), SEARCH_SHARD_BYTES (12000), SEARCH_DOCS_PER_FILE (16), SEARCH_LUNR_JS (the lunr.min.js
to copy), SEARCH_REPORT (a file to write the build's time to, for `invoke bench --search`),
SEARCH_IN_PARALLEL (True: a process forked when the build starts analyses each article as Pelican
reads it and writes the index while Pelican writes the pages; False, or no fork on this system: the
build's own process does the same work; worker.py, builder.py).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import bodies
from pelican import signals
from pelican.generators import ArticlesGenerator, PagesGenerator

from sourcefiles import stop_build

from .abbreviations import load_abbreviations, parse_abbreviations
from .analysis import Abbreviations, analyze, tokenize
from .builder import IndexBuilder, SearchItem
from .documents import search_documents, section_rows
from .layout import SearchDocument, build_files
from .worker import IndexWorker, InProcessIndex, can_fork
from .writer import write_index

__all__ = [
    "Abbreviations",
    "IndexBuilder",
    "SearchDocument",
    "SearchItem",
    "analyze",
    "build_files",
    "load_abbreviations",
    "parse_abbreviations",
    "search_documents",
    "tokenize",
    "write_index",
    "check",
    "register",
]

log = logging.getLogger(__name__)
PROJECT = Path(__file__).resolve().parents[2]
LUNR_JS = PROJECT / "node_modules" / "lunr" / "lunr.min.js"

_state: dict = {}


def _abbreviations_path(settings: dict) -> str:
    return os.path.join(settings["PATH"], settings.get("SEARCH_ABBREVIATIONS", "data/abbreviations.yaml"))


def check(settings: dict, editor: bool = False) -> list:
    """Problems in the abbreviations file, which the build reads (and stops on) first thing
    (``editor`` adds nothing)."""
    return load_abbreviations(_abbreviations_path(settings))[1]


def on_initialized(pelican) -> None:
    settings = pelican.settings
    if _state.get("worker") is not None:  # a build in this process (livereload) stopped early
        _state["worker"].cancel()
    _state.clear()
    abbreviations, problems = load_abbreviations(_abbreviations_path(settings))
    lunr_js = Path(settings.get("SEARCH_LUNR_JS") or LUNR_JS)
    if not lunr_js.is_file():
        log.error("%s is missing: run `npm ci` (./portal does it) to install lunr for the site search", lunr_js)
        raise SystemExit(1)
    stop_build(problems, log)
    _state.update(abbreviations=abbreviations, lunr_js=lunr_js, articles=[], pages=[])
    cache = os.path.join(settings.get("CACHE_PATH", "cache"), "search-analysis.pickle") if settings.get("CACHE_CONTENT") else None
    # The worker is forked now, while the process is small. Either way each article is analysed as
    # Pelican reads it, by the same code (builder.py), so the two give the same index.
    transport = IndexWorker if settings.get("SEARCH_IN_PARALLEL", True) and can_fork() else InProcessIndex
    _state["worker"] = transport(abbreviations, str(lunr_js), cache, bool(settings.get("LOAD_CONTENT_CACHE")))


def stream_content(content) -> None:
    """The body step (plugins/bodies), after every step that rewrites: the final body, as readers get
    it, goes to the worker, once. Links inside it are not resolved yet, which changes addresses, never text."""
    worker = _state.get("worker")
    if worker is None:
        return
    summary = content.metadata.get("summary")
    worker.add(content.source_path, str(content.title), str(summary) if summary else "", content._content or "")


def on_all_generators_finalized(generators) -> None:
    _state["documents"] = generators[0].context.get("DOCUMENTS", []) if generators else []  # plugins/documents
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
    documents = search_documents(_state["articles"], _state["pages"], settings, frozenset(worker.sent), _state["documents"])
    worker.build(documents, section_rows(settings.get("SECTIONS", [])), _options(settings))


def _options(settings: dict) -> dict:
    return {
        "shard_bytes": int(settings.get("SEARCH_SHARD_BYTES", 12_000)),
        "docs_per_file": int(settings.get("SEARCH_DOCS_PER_FILE", 16)),
        "output": settings["OUTPUT_PATH"],
        "report": settings.get("SEARCH_REPORT"),
    }


def on_finalized(pelican) -> None:
    if "abbreviations" not in _state:
        return
    worker = _state.pop("worker", None)
    if worker is None:
        return
    exitcode = worker.join()
    if exitcode != 0:
        log.error("The search index could not be built (worker exit status %s); see the messages above", exitcode)


def register() -> None:
    signals.initialized.connect(on_initialized)
    bodies.add_step(__name__, stream_content)
    signals.all_generators_finalized.connect(on_all_generators_finalized)
    signals.finalized.connect(on_finalized)
