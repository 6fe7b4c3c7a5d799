"""The search index: lunr's BM25 weights, split into small files a browser fetches per query.

lunr scores a document by the dot product of the query vector with the document's field vectors,
divided by the query vector's length. Only the entries of the query's own terms count, so a browser
that loads the postings of those terms, each with the weight lunr.py gives it (global idf, global
average field lengths, field boosts, rounded to three decimals as lunr.py does), rebuilds a partial
lunr index that scores every document exactly as the whole index would. tests/test_search_index.py
holds the weights equal to lunr.py's Builder on the sample site.

Files, under ``search/`` in the output (all JSON):

- ``meta.json``: fields, pipeline labels, abbreviations, the first term of every postings and
  dictionary file, sections and each document's section and year (for filters and their counts),
  and ``base``, the folder of the files below, named by their hash (cached forever, replaced whole).
- ``<base>/p/N.json``: postings, ``[[term, title, lead, body, keywords], ...]`` in term order
  (folded form, then the term); a field is 0 or ``[ref delta, weight x 1000, ...]``. A term with
  long postings gets a file of its own, small terms share one up to SEARCH_SHARD_BYTES.
- ``<base>/d/N.json``: dictionary, ``[[term, document frequency], ...]`` of single terms (no
  syllable pairs), for completing the word being typed and for typos.
- ``<base>/s/N.json``: documents for display, ``[[url, title, date, section index], ...]``,
  SEARCH_DOCS_PER_FILE a file, numbered by ref (refs are newest article first, then pages).
- ``<base>/t/REF.json``: one document's ``[excerpt, body text]``, fetched only for the results shown:
  search.js takes the passage around the query's words from the body text (the lead, or the
  document's excerpt, when the words are not in the body).
"""

from __future__ import annotations

import hashlib
import json
import math
from array import array
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .analysis import SEARCH_PIPELINE, Abbreviations, fold_term

if TYPE_CHECKING:
    from .builder import SearchItem

__all__ = ["FIELDS", "SearchDocument", "TermIndex", "Vocabulary", "index_compact", "lunr_weight", "build_files"]

# Field name and boost, as lunr.py's Builder.field(name, boost).
FIELDS = (("title", 6), ("lead", 2), ("body", 1), ("keywords", 3))
_FIELD_COUNT = len(FIELDS)
K1, B = 1.2, 0.75  # lunr's defaults
FORMAT = 2  # 2: display records without the excerpt; t/REF.json holds it and the body text


@dataclass
class SearchDocument:
    """A document of the index: what is shown of it, its keywords, and where its analysis is."""

    url: str
    title: str
    date: str  # YYYY-MM-DD, "" for a page
    section: str  # section id, "" for a page
    keywords: str  # the keywords field's text, one keyword a line
    source: str  # the key of its analysed title, Summary and body (builder.py): its source file
    item: SearchItem | None = None  # its texts, when they were not sent to the builder before
    excerpt: str = ""  # set by the builder
    passages: str = ""  # the body text the passage shown is taken from (set by the builder)


@dataclass
class TermIndex:
    """Term frequencies of every document and field, as lunr.py's Builder.add collects them."""

    count: int = 0
    # term -> flat array of (ref * number of fields + field number, term frequency)
    postings: dict[str, array] = field(default_factory=dict)
    lengths: list[array] = field(default_factory=lambda: [array("i") for _ in FIELDS])


class Vocabulary:
    """Every term once, numbered: a document's term counts as two arrays (term numbers, counts),
    small to keep for thousands of documents until their order is known."""

    def __init__(self):
        self.numbers: dict[str, int] = {}
        self.terms: list[str] = []

    def compact(self, counts: Counter) -> tuple[array, array]:
        numbers, terms = self.numbers, self.terms
        ids = array("i")
        for term in counts:
            number = numbers.get(term)
            if number is None:
                number = numbers[term] = len(terms)
                terms.append(term)
            ids.append(number)
        return ids, array("i", counts.values())


def index_compact(documents: list[list[tuple[array, array]]], vocabulary: Vocabulary) -> TermIndex:
    """The TermIndex of documents given in ref order as compact counts, one (ids, counts) a field."""
    index = TermIndex()
    by_number: list[array | None] = [None] * len(vocabulary.terms)
    for ref, fields in enumerate(documents):
        for number, (ids, counts) in enumerate(fields):
            index.lengths[number].append(sum(counts))
            key = ref * _FIELD_COUNT + number
            for term, tf in zip(ids, counts):
                found = by_number[term]
                if found is None:
                    found = by_number[term] = array("i")
                found.extend((key, tf))
        index.count += 1
    terms = vocabulary.terms
    index.postings = {terms[number]: found for number, found in enumerate(by_number) if found is not None}
    return index


def lunr_weight(idf: float, tf: int, length: int, average: float, boost: float) -> float:
    """lunr.py's Builder._create_field_vectors, operation for operation (the same float result)."""
    score = idf * ((K1 + 1) * tf) / (K1 * (1 - B + B * (length / average)) + tf)
    score *= boost
    score *= 1  # document boost
    return round(score, 3)


def _idf(documents_with_term: int, count: int) -> float:
    x = (count - documents_with_term + 0.5) / (documents_with_term + 0.5)
    return math.log(1 + abs(x))


def _averages(index: TermIndex) -> list[float]:
    return [sum(lengths) / index.count if index.count else 0.0 for lengths in index.lengths]


def field_norms(index: TermIndex, averages: list[float]) -> list[list[float]]:
    """lunr's length normalisation of every field of every document, ``K1 * (1 - B + B * (length /
    average))``: computed once per build rather than once per posting (the same float operations as
    ``lunr_weight``, so the same weights). A field empty in every document (average 0) holds no
    term, so its norm is never used: it is given the value of an empty field."""
    return [[K1 * (1 - B + B * (length / average)) if average else K1 * (1 - B) for length in lengths] for lengths, average in zip(index.lengths, averages)]


_K1_PLUS_1 = K1 + 1


def term_fields(index: TermIndex, term: str, averages: list[float], norms: list[list[float]] | None = None) -> list[list[int]]:
    """[title, lead, body, keywords] of one term: [ref delta, weight x 1000, ...] each.

    The weight is ``lunr_weight`` with the length normalisation taken from ``norms`` (field_norms);
    tests hold the two equal."""
    if norms is None:
        norms = field_norms(index, averages)
    flat = index.postings[term]
    # lunr counts a document once per field it has the term in.
    idf = _idf(len(flat) // 2, index.count)
    fields: list[list[int]] = [[] for _ in FIELDS]
    appends = [f.append for f in fields]
    last = [0] * _FIELD_COUNT
    boosts = [boost for _name, boost in FIELDS]
    for key, tf in zip(flat[::2], flat[1::2]):  # every posting of the index: kept lean
        ref, number = divmod(key, _FIELD_COUNT)
        score = idf * (_K1_PLUS_1 * tf) / (norms[number][ref] + tf) * boosts[number]
        # round(round(score, 3) * 1000) as lunr.py rounds, without its slow decimal rounding unless
        # score * 1000 lies within a hair of a half, where the two could differ.
        scaled = score * 1000
        weight = int(scaled + 0.5)
        if abs(abs(scaled - weight) - 0.5) < 1e-6:
            weight = round(round(score, 3) * 1000)
        append = appends[number]
        append(ref - last[number])
        append(weight)
        last[number] = ref
    return fields


def sort_key(term: str) -> tuple[str, str]:
    """Folded form first, so "hanh", "hành", "hạnh" and the pair "hanh chinh" sit side by side."""
    return (fold_term(term), term)


def _dump(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _shards(entries, target: int):
    """Group (key, text) in order into JSON lists of at most ``target`` characters (one entry may be more)."""
    current: list[tuple[str, str]] = []
    size = 1  # "[" and "]", and a comma before every entry but the first
    for key, text in entries:
        if current and size + len(text) + 1 > target:
            yield current
            current, size = [], 1
        current.append((key, text))
        size += len(text) + 1
    if current:
        yield current


def build_files(
    documents: list[SearchDocument],
    abbreviations: Abbreviations,
    sections: list[tuple[str, str, int]],
    shard_bytes: int = 12_000,
    dictionary_bytes: int = 6_000,
    docs_per_file: int = 16,
    *,
    index: TermIndex,
) -> tuple[str, dict[str, str]]:
    """(meta.json text, {path under base: JSON text}). ``sections``: (id, title, parent index or -1);
    ``index``: the documents' TermIndex, in their order (builder.py, which also sets their excerpts)."""
    averages = _averages(index)
    norms = field_norms(index, averages)
    files: dict[str, str] = {}
    terms = sorted(index.postings, key=sort_key)

    posting_starts = []
    entries = ((term, _dump([term, *[f or 0 for f in term_fields(index, term, averages, norms)]])) for term in terms)
    for number, shard in enumerate(_shards(entries, shard_bytes)):
        posting_starts.append(shard[0][0])
        files[f"p/{number}.json"] = "[" + ",".join(text for _key, text in shard) + "]"

    dictionary_starts = []
    words = ((term, _dump([term, len(index.postings[term]) // 2])) for term in terms if " " not in term)
    for number, shard in enumerate(_shards(words, dictionary_bytes)):
        dictionary_starts.append(shard[0][0])
        files[f"d/{number}.json"] = "[" + ",".join(text for _key, text in shard) + "]"

    section_numbers = {section_id: number for number, (section_id, _t, _p) in enumerate(sections)}
    for start in range(0, len(documents), docs_per_file):
        rows = [[d.url, d.title, d.date, section_numbers.get(d.section, -1)] for d in documents[start : start + docs_per_file]]
        files[f"s/{start // docs_per_file}.json"] = _dump(rows)
    for ref, document in enumerate(documents):
        files[f"t/{ref}.json"] = _dump([document.excerpt, document.passages])

    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(path.encode() + b"\0" + files[path].encode())
    years: list[list[int]] = []
    for document in documents:
        year = int(document.date[:4]) if document.date else 0
        if years and years[-1][0] == year:
            years[-1][1] += 1
        else:
            years.append([year, 1])
    meta = {
        "format": FORMAT,
        "base": digest.hexdigest()[:12] + "/",
        "count": len(documents),
        "fields": [name for name, _boost in FIELDS],
        "pipeline": SEARCH_PIPELINE,
        "abbreviations": abbreviations.table,
        "postings": posting_starts,
        "dictionary": dictionary_starts,
        "docsPerFile": docs_per_file,
        "sections": [list(s) for s in sections],
        # One character a document: its section's number in 0-9a-zA-Z-_ (base 64), "~" for none.
        "docSections": "".join(_section_char(section_numbers.get(d.section)) for d in documents),
        "years": years,  # [year, how many documents] in ref order; 0 for pages
    }
    return _dump(meta), files


_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_"


def _section_char(number: int | None) -> str:
    if number is None:
        return "~"
    if number >= len(_DIGITS):
        raise ValueError(f"the search index holds at most {len(_DIGITS)} sections")
    return _DIGITS[number]
