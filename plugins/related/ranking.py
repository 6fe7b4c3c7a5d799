"""Ranking related articles over plain data: no Pelican here, so it can be tested and benchmarked alone.

    rank_related(docs, count=5, *, pins=None, excludes=None, queries=(), weights=None, stats=None)
        -> dict[id, list[id]]

``docs`` is an iterable of ``(id, text, section, topics, tags, date)`` tuples, the articles that may
be listed (a generator is fine, and keeps only one text alive at a time). ``id`` is any hashable
that sorts with the others (the portal passes slugs); ``text`` is plain text (title, summary, then
the body without markup); ``section`` a section id or None; ``topics`` and ``tags`` iterables of ids
(tag slugs, not Tag objects); ``date`` a date, datetime, day number or None. ``queries`` has the
same shape: documents that get a list but never appear in one (drafts, hidden articles). ``pins``
maps an id to the ids an editor put first, in order; ``excludes`` maps an id to ids never to list
for it; both are trusted here (the Pelican adapter checks them and reports file:line). The result
maps every id of ``docs`` and ``queries`` to at most ``max(count, len(pins))`` ids: the pins, then
the best others. ``weights`` (a Weights) tunes it; ``stats``, a Counter when given, receives
operation counts (postings visited, candidates scored) for the scaling tests.

How it scores, in one pass over the texts, one over the counted terms, and a small query per article:

1. Terms are folded syllables (vntext.syllables) and pairs of adjacent syllables, so "một cửa" and
   "mot cua" match and "một" alone weighs little. Only the first ``text_chars`` characters are read:
   title (given twice by the portal), summary and lead say what an article is about, and the cost
   per article does not grow with its length. Each term gets a BM25 weight; terms found in one
   document (they link nothing) or in too many (``max_df_ratio`` of the archive, or more than
   ``max_postings`` documents) are dropped as common.
2. Each document keeps its ``terms_per_doc`` heaviest terms as a unit vector, and the inverted index
   holds, per term, the documents that kept it. An article's candidates are the documents in the
   postings of its own terms, with accumulated dot products (cosine similarity): never a loop over
   all pairs. The longest postings lists are dropped until visiting the rest costs at most
   ``work_per_doc`` per article on average (lists of ``min_postings`` or fewer always stay), so
   the work grows linearly with the archive whatever its vocabulary.
3. Shared tags and shared cited document numbers (vntext.document_numbers: 2410/UBND-KSTT, ...) add
   a fixed amount each, through their own postings lists (cut the same way).
4. The ``shortlist`` best candidates get the section and topic boosts and are multiplied by a
   gentle preference for nearby dates (up to +``date``, halving every ``date_half_life_days``); the
   top ``count`` are kept with heapq. Ties go to the newer document, then the smaller id; documents
   are put in id order first, so the result depends neither on hash seeds nor on input order.
"""

from __future__ import annotations

import gc
import heapq
import math
from array import array
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from itertools import count as counter
from operator import itemgetter, mul

import vntext

__all__ = ["Weights", "rank_related", "document_terms", "paused_gc"]


@dataclass(frozen=True)
class Weights:
    """Tuning of the ranker; RELATED_WEIGHTS in the settings overrides any of these by name."""

    text_chars: int = 600  # the start of a text that is compared: title, summary, start of the lead
    terms_per_doc: int = 40  # the heaviest terms a document is indexed and queried by
    max_df_ratio: float = 0.4  # a term in more than this share of the archive is a common word
    max_postings: int = 1000  # ... and so is a term in more documents than this
    work_per_doc: int = 200  # postings visited per document on average, at most: sets a lower cut ...
    min_postings: int = 32  # ... that never drops a term found in this many documents or fewer
    k1: float = 1.2  # BM25 term-frequency saturation
    b: float = 0.75  # BM25 length normalisation
    shortlist: int = 12  # best content matches re-ranked with section, topic and date boosts
    section: float = 0.06  # same section
    topics: float = 0.06  # times the Jaccard overlap of the topics
    tag: float = 0.08  # per shared tag
    document: float = 0.12  # per shared cited document number
    date: float = 0.10  # at most this much more for the same day ...
    date_half_life_days: float = 365.0  # ... half of it a year apart


Doc = tuple  # (id, text, section, topics, tags, date)


def document_terms(text: str) -> Counter:
    """The terms of a text with their counts: folded syllables and pairs of adjacent syllables (as
    tuples): 'Một cửa, một cửa liên thông' -> {'mot': 2, 'cua': 2, ('mot', 'cua'): 2, ('cua', 'mot'): 1,
    'lien': 1, 'thong': 1, ('cua', 'lien'): 1, ('lien', 'thong'): 1}.

    Pairs run across punctuation too: splitting at every comma costs more than the few stray pairs,
    which are rare and fall below the document-frequency floor."""
    words = vntext.syllables(text)
    terms: Counter[str | tuple[str, str]] = Counter(words)
    terms.update(zip(words, words[1:]))  # C-level: no Python loop per term
    return terms


@contextmanager
def paused_gc():
    """Pause Python's cyclic garbage collector. Ranking makes millions of small objects, none in a
    cycle, and every collection walks all live objects, which in a build means every article and
    its content: at 10,000 articles that was a third of the ranking time."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def _day(value) -> int:
    if value is None:
        return 0
    if isinstance(value, int):
        return value
    if isinstance(value, date):  # datetime is a date
        return value.toordinal()
    raise TypeError(f"not a date: {value!r}")


def _work_cut(lengths: Iterable[int], budget: int) -> int:
    """The largest postings length L such that visiting every list no longer than L from each of its
    documents (the sum of their squared lengths) stays within ``budget``; 0 when none fits."""
    spent = 0
    cut = 0
    for length, lists in sorted(Counter(lengths).items()):
        spent += lists * length * length
        if spent > budget:
            break
        cut = length
    return cut


def rank_related(
    docs: Iterable[Doc],
    count: int = 5,
    *,
    pins: Mapping[Hashable, Sequence[Hashable]] | None = None,
    excludes: Mapping[Hashable, Iterable[Hashable]] | None = None,
    queries: Iterable[Doc] = (),
    weights: Weights | None = None,
    stats: Counter | None = None,
) -> dict[Hashable, list[Hashable]]:
    """Related documents for every document of ``docs`` and ``queries``; see the module docstring."""
    with paused_gc():
        return _rank(docs, count, pins or {}, excludes or {}, queries, weights or Weights(), stats if stats is not None else Counter())


def _rank(docs, count, pins, excludes, queries, weights, stats) -> dict[Hashable, list[Hashable]]:
    # Pass 1, one document at a time (a caller may pass a generator, so that no more than one full
    # text is alive): count the terms of its first text_chars characters, keep them as two small
    # arrays (term numbers, counts), find the document numbers it cites in the whole text.
    vocabulary: defaultdict = defaultdict(counter().__next__)
    number_of = vocabulary.__getitem__
    limit = weights.text_chars

    def read(doc) -> tuple:
        doc_id, text, section, doc_topics, doc_tags, when = doc
        text = text or ""
        terms = document_terms(text[:limit])
        return (
            doc_id,
            section,
            frozenset(doc_topics or ()),
            tuple(sorted(set(doc_tags or ()))),  # sorted: bonuses are added in one order, whatever the hash seed
            _day(when),
            tuple(sorted(vntext.document_numbers(text))),
            array("i", map(number_of, terms)),
            array("i", terms.values()),
            terms.total(),
        )

    # Canonical order, by id: the result never depends on the order the caller lists documents in.
    listable = sorted(map(read, docs), key=itemgetter(0))
    records = listable + sorted(map(read, queries), key=itemgetter(0))
    size = len(listable)
    ids = [record[0] for record in records]
    if len(set(ids)) != len(ids):
        raise ValueError("document ids must be unique")
    sections = [record[1] for record in records]
    topics = [record[2] for record in records]
    tags = [record[3] for record in records]
    days = [record[4] for record in records]
    numbers = [record[5] for record in records]
    term_lists = [record[6] for record in records]
    count_lists = [record[7] for record in records]
    lengths = [record[8] for record in records]
    del listable, records
    frequency: Counter = Counter()
    for numbered in term_lists[:size]:
        frequency.update(numbered)
    stats["terms_seen"] += len(vocabulary)
    known = len(vocabulary)
    del vocabulary

    # Document frequency floor 2 (a term in one document links nothing) and ceiling (common words).
    cut = min(max(2, int(weights.max_df_ratio * size)), weights.max_postings)
    idf = [0.0] * known
    for term, df in frequency.items():
        if 2 <= df <= cut:
            idf[term] = math.log(1.0 + (size - df + 0.5) / (df + 0.5))
    stats["terms_usable"] += sum(1 for value in idf if value)
    del frequency

    # Pass 2: each document's heaviest terms by BM25, as a unit vector. All per-term work is done by
    # map() and sorted() in C; Python only loops over the kept terms.
    k1, b = weights.k1, weights.b
    average = (sum(lengths[:size]) / size) if size else 1.0
    # A vector is two arrays, term numbers and weights: compact, and quick to walk.
    vectors: list[tuple[array, array]] = []
    for index in range(len(ids)):
        numbered, counts = term_lists[index], count_lists[index]
        saturation = k1 * (1.0 - b + b * lengths[index] / (average or 1.0))
        top = max(counts, default=0)
        tf_part = [0.0] + [tf * (k1 + 1.0) / (tf + saturation) for tf in range(1, top + 1)]
        scores = list(map(mul, map(idf.__getitem__, numbered), map(tf_part.__getitem__, counts)))
        # Stable sort: equal weights keep first-appearance order.
        best = [j for j in sorted(range(len(scores)), key=scores.__getitem__, reverse=True)[: weights.terms_per_doc] if scores[j] > 0.0]
        norm = math.sqrt(math.fsum(scores[j] * scores[j] for j in best)) or 1.0
        vectors.append((array("i", map(numbered.__getitem__, best)), array("d", (scores[j] / norm for j in best))))
        term_lists[index] = count_lists[index] = None
    del term_lists, count_lists

    # Postings: per term, the listable documents that kept it and their weights, as two arrays.
    post_docs: dict[int, array] = {}
    post_weights: dict[int, array] = {}
    for index in range(size):
        for term, weight in zip(*vectors[index]):
            others = post_docs.get(term)
            if others is None:
                post_docs[term] = array("i", (index,))
                post_weights[term] = array("d", (weight,))
            else:
                others.append(index)
                post_weights[term].append(weight)
    tag_postings: dict[Hashable, list[int]] = {}
    number_postings: dict[Hashable, list[int]] = {}
    for values, target in ((tags, tag_postings), (numbers, number_postings)):
        for index in range(size):
            for item in values[index]:
                target.setdefault(item, []).append(index)
    # Bound the work: drop the longest lists until visiting what is left from every document costs
    # at most work_per_doc per document on average. Frequent terms are weak evidence anyway.
    every_list = [*post_docs.values(), *tag_postings.values(), *number_postings.values()]
    longest = min(cut, max(weights.min_postings, _work_cut(map(len, every_list), weights.work_per_doc * max(size, 1))))
    tables: tuple[dict, ...] = (post_docs, tag_postings, number_postings)
    for table in tables:
        for key in [key for key, plist in table.items() if len(plist) > longest]:
            del table[key]
    postings = {term: (others, post_weights[term]) for term, others in post_docs.items()}
    del post_docs, post_weights
    stats["longest_postings"] = longest
    stats["postings"] += sum(len(docs) for docs, _ in postings.values())

    position = {doc_id: index for index, doc_id in enumerate(ids[:size])}
    result: dict[Hashable, list[Hashable]] = {}
    for index, doc_id in enumerate(ids):
        pinned = [p for p in pins.get(doc_id, ()) if p != doc_id]
        wanted = max(0, count - len(pinned))
        found = []
        if wanted:
            skip = {position[p] for p in (*excludes.get(doc_id, ()), *pinned) if p in position}
            skip.add(index)
            found = _best(index, wanted, skip, vectors, postings, tag_postings, number_postings, sections, topics, tags, numbers, days, weights, stats)
        result[doc_id] = pinned + [ids[other] for other in found]
    return result


def _best(index, wanted, skip, vectors, postings, tag_postings, number_postings, sections, topics, tags, numbers, days, weights, stats) -> list[int]:
    """Indexes of the ``wanted`` best listable documents for document ``index``, none in ``skip``."""
    accumulated: dict[int, float] = {}
    get = accumulated.get
    visited = 0
    for term, query_weight in zip(*vectors[index]):
        found = postings.get(term)
        if found is None:
            continue
        others, weights_of = found
        visited += len(others)
        for other, weight in zip(others, weights_of):
            accumulated[other] = get(other, 0.0) + query_weight * weight
    for values, postings_of, bonus in ((tags, tag_postings, weights.tag), (numbers, number_postings, weights.document)):
        for item in values[index]:
            others = postings_of.get(item, ())
            visited += len(others)
            for other in others:
                accumulated[other] = get(other, 0.0) + bonus
    for other in skip:
        accumulated.pop(other, None)
    stats["postings_visited"] += visited
    stats["candidates"] += len(accumulated)

    candidates: Iterable[int] = accumulated
    if len(accumulated) > weights.shortlist:
        # A stable sort in C: equal scores keep the canonical order they were found in.
        candidates = sorted(accumulated, key=accumulated.__getitem__, reverse=True)[: weights.shortlist]
    section, my_topics, day = sections[index], topics[index], days[index]
    half_life = weights.date_half_life_days
    ranked = []
    for other in candidates:
        score = accumulated[other]
        if section is not None and sections[other] == section:
            score += weights.section
        if my_topics and topics[other]:
            shared = len(my_topics & topics[other])
            if shared:
                score += weights.topics * shared / len(my_topics | topics[other])
        if day and days[other]:
            score *= 1.0 + weights.date * 0.5 ** (abs(days[other] - day) / half_life)
        # Rounded so that float noise never decides between equal scores; then the newer document,
        # then the smaller id (indexes follow sorted ids).
        ranked.append((round(score, 9), days[other], -other))
    return [-item[2] for item in heapq.nlargest(wanted, ranked)]
