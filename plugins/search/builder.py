"""The one way the search index is built, whichever process runs it.

An article, page or registered document reaches the index as a ``SearchItem``: its title, Summary
HTML and body HTML as the build has them. ``item_texts`` and ``analyse_texts`` turn one into what the
index needs (the analysed title, lead and body, the excerpt shown in results when the body has no
passage that matches, and the body's text that passages are taken from); the keywords
(section, topics, tags, year, cited numbers) are known only when every generator is done and are
analysed then. ``IndexBuilder`` keeps the analysis of every item it is given and, asked for the
index, lays out and writes output/search/.

worker.py runs an IndexBuilder in a forked process, fed through a pipe while Pelican reads the
articles, or in the build's own process (SEARCH_IN_PARALLEL off, or no fork on the system): the
messages and the code that answers them are the same, so the two give the same files
(tests/test_search_index.py builds the sample site both ways and compares them byte for byte).

With Pelican's content cache on (CACHE_CONTENT), the builder keeps its analysis in
CACHE_PATH/search-analysis.pickle (keyed by the abbreviations and the analysing code), and a rebuild
(LOAD_CONTENT_CACHE) analyses only the items whose title, Summary or body changed.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import pickle
import time
import zlib
from collections import Counter
from typing import NamedTuple

import vntext

from .analysis import Abbreviations, analyze_counts
from .layout import SearchDocument, TermIndex, Vocabulary, build_files, index_compact
from .text import excerpt, html_text, passage_text
from .writer import write_site_index

__all__ = ["IndexBuilder", "SearchItem", "analyse_texts", "index_documents", "item_texts"]

log = logging.getLogger(__name__)


class SearchItem(NamedTuple):
    """What the index reads of an article, page or registered document."""

    source: str  # its source file: the key its analysis is kept under
    title: str
    summary_html: str
    body_html: str
    # Shown in results when the item has neither Summary nor body text (a registered document
    # without a body shows its excerpt, trích yếu).
    excerpt_default: str = ""


def item_texts(item: SearchItem) -> tuple[str, str, str]:
    """The plain text of the title, lead and body fields."""
    lead = html_text(item.summary_html) if item.summary_html else ""
    return item.title, lead, html_text(item.body_html)


def analyse_texts(texts: tuple[str, str, str], abbreviations: Abbreviations, excerpt_default: str = "") -> tuple[list[Counter], str, str]:
    """(term counts of the title, lead and body, the excerpt, the body text results take their
    passages from): what the index needs of an item."""
    _title, lead, body = texts
    return [analyze_counts(text, abbreviations) for text in texts], excerpt(lead or body or excerpt_default), passage_text(body)


def _digest(*texts: str) -> bytes:
    hasher = hashlib.blake2b(digest_size=16)
    for text in texts:
        hasher.update(text.encode("utf-8", "surrogatepass"))
        hasher.update(b"\0")
    return hasher.digest()


def _cache_key(abbreviations: Abbreviations) -> bytes:
    """What the stored analysis depends on: the abbreviations and the code that analyses."""
    here = os.path.dirname(os.path.abspath(__file__))
    sources = [os.path.join(here, name) for name in ("analysis.py", "builder.py", "layout.py", "text.py")]
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


class IndexBuilder:
    """The analysis of every item given, then the index of the documents asked for."""

    def __init__(self, abbreviations: Abbreviations, cache: str | None = None, load_cache: bool = False):
        """``cache``: a file to keep the analysis in for the next build (with Pelican's content
        cache on); ``load_cache``: start from the analysis kept there."""
        started = time.perf_counter()
        self.abbreviations = abbreviations
        self.cache = cache
        self._key = _cache_key(abbreviations) if cache else b""
        # source -> (compact title/lead/body counts, excerpt, digest of the item, digest of its texts,
        # its passage text compressed: thousands of bodies are kept until the end of the build).
        # An item whose title, Summary and body are those of the last build is not analysed again.
        self.vocabulary, self.analysed = _load_cache(cache, self._key) if cache and load_cache else (Vocabulary(), {})
        self._seen: set[str] = set()
        self.working = time.perf_counter() - started  # seconds spent on items before the index was asked for

    def add(self, items) -> None:
        started = time.perf_counter()
        analysed, vocabulary = self.analysed, self.vocabulary
        for item in items:
            source = item.source
            self._seen.add(source)
            sent = _digest(*item[1:])
            known = analysed.get(source)
            if known is not None and known[2] == sent:
                continue  # the same as last time (this build or the last one)
            texts = item_texts(item)
            digest = _digest(*texts, item.excerpt_default)
            if known is not None and known[3] == digest:  # another body, the same text (a link added)
                analysed[source] = (known[0], known[1], sent, digest, known[4])
                continue
            fields, shown, passages = analyse_texts(texts, self.abbreviations, item.excerpt_default)
            analysed[source] = ([vocabulary.compact(counts) for counts in fields], shown, sent, digest, zlib.compress(passages.encode("utf-8"), 1))
        self.working += time.perf_counter() - started

    def index(self, documents: list[SearchDocument]) -> TermIndex:
        """The TermIndex of documents in ref order (each analysed already, or carrying its item);
        sets each document's excerpt."""
        self.add([document.item for document in documents if document.item is not None])
        vocabulary = self.vocabulary
        compact = []
        for document in documents:
            fields, document.excerpt, _sent, _digest, passages = self.analysed[document.source]
            document.passages = zlib.decompress(passages).decode("utf-8")
            compact.append([*fields, vocabulary.compact(analyze_counts(document.keywords, self.abbreviations))])
        return index_compact(compact, vocabulary)

    def files(self, documents: list[SearchDocument], sections: list[tuple[str, str, int]], **layout) -> tuple[str, dict[str, str]]:
        """(meta.json text, {path under base: JSON text}); ``layout``: build_files' sizes."""
        return build_files(documents, self.abbreviations, sections, index=self.index(documents), **layout)

    def write(self, documents: list[SearchDocument], sections, options: dict, lunr_js: str) -> None:
        """Write output/search/ and lunr.min.js; keep the analysis for the next build."""
        started, working = time.perf_counter(), self.working
        meta, files = self.files(documents, sections, shard_bytes=options["shard_bytes"], docs_per_file=options["docs_per_file"])
        write_site_index(options["output"], lunr_js, meta, files)
        tail = time.perf_counter() - started
        log.info("Search index: %d documents, %d files; %.1f s while reading, %.1f s at the end", len(documents), len(files) + 1, working, tail)
        if options.get("report"):  # for invoke bench --search
            with open(options["report"], "w", encoding="utf-8") as handle:
                json.dump({"documents": len(documents), "files": len(files) + 1, "seconds": working + tail, "tail_seconds": tail}, handle)
        if self.cache:
            kept = {source: self.analysed[source] for source in self._seen if source in self.analysed}
            _save_cache(self.cache, self._key, self.vocabulary, kept)


def index_documents(documents: list[SearchDocument], abbreviations: Abbreviations) -> TermIndex:
    """The TermIndex of documents that carry their items (no build around them: tests, benchmarks)."""
    return IndexBuilder(abbreviations).index(documents)
