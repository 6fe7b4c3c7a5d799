"""The Vietnamese analysis the search index is built with; theme/static/js/vntext.js and search.js
mirror it for queries, and tests/test_search_pipeline.py holds the two sides equal.

Text becomes terms in two steps, as in lunr:

1. ``tokenize``: NFC, lower case, then runs of Latin letters (Vietnamese included), combining marks
   and digits. Numbers keep their separators ("13.989", "97,5"); document numbers
   ("2410/UBND-KSTT", "107/2020/NĐ-CP", "39-NQ/TW") give their parts and then the whole number;
   punctuation that ends a phrase gives a boundary token ".".
2. The pipeline, four functions registered in lunr.py and lunr.js under the same labels:
   ``vn-normalize`` (tone placement hoá -> hóa, numbers 13.989 -> 13989 and 97.5 -> 97,5, leading
   zeros, document numbers folded), ``vn-phrases`` (drops boundaries; adds the folded pair of each
   two syllables that stand together, "hanh chinh", and the abbreviation of a phrase an editor listed
   in content/data/abbreviations.yaml, "thủ tục hành chính" -> "tthc"), ``vn-trimmer`` (strips what is
   not a letter or digit from both ends, for any Unicode letter the tokenizer lets through) and
   ``vn-fold`` (the folded term, đ -> d, then the exact lower-case term when it differs: an accented
   query ranks exact matches first). No stemmer, no stop words.

``analyze`` is the same pipeline as one loop with every per-word step memoized: the build runs it
over the whole archive, where lunr.py's per-token Pipeline.run would dominate the build. A test
holds ``analyze`` equal to ``lunr_pipeline().run``.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

import vntext

BOUNDARY = "."
# Letters and digits a term is made of: ASCII, Latin-1 letters, Latin Extended-A/B, Latin Extended
# Additional (the precomposed Vietnamese letters) and the combining marks NFD text carries. Other
# scripts separate terms (as vntext.phrases does); lunr.js mirrors this class exactly.
_LETTERS = "a-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff\u0300-\u036f"
_TERM_CHARS = f"0-9{_LETTERS}"
# A document number: number, optional year, then kind and issuer (2410/ubnd-kstt, 107/2020/nđ-cp,
# 06/qđ-ttg), or the Party form 39-nq/tw; not a date (12/7/2021) nor a ratio (35/63).
_KIND = "[a-zđ][a-zđ0-9]*"
_COMPOUND = (
    rf"(?<![{_TERM_CHARS}/.-])"
    rf"(?:[0-9]{{1,5}}[a-z]?(?:/(?:19|20)[0-9]{{2}})?/{_KIND}(?:-{_KIND})*|[0-9]{{1,5}}[a-z]?-[a-zđ]{{1,6}}/{_KIND})"
    rf"(?![{_TERM_CHARS}/])"
)
_STOPS = '.,;:!?()\\[\\]{}"|\u201c\u201d\u00ab\u00bb\u2026\u2013\u2014\n'
_TOKEN_RE = re.compile(rf"(?P<compound>{_COMPOUND})|(?P<number>[0-9]+(?:[.,][0-9]+)+)|(?P<word>[{_TERM_CHARS}]+)|(?P<stop>[{_STOPS}]+)")
_COMPOUND_SPLIT_RE = re.compile("[/-]")
_THOUSANDS_RE = re.compile(r"^[0-9]{1,3}(?:\.[0-9]{3})+(?:,[0-9]+)?$")
_LEADING_ZEROS_RE = re.compile(r"^0+(?=[0-9])")
_TRIM_RE = re.compile(rf"^[^{_TERM_CHARS}]+|[^{_TERM_CHARS}]+$")

__all__ = [
    "BOUNDARY",
    "tokenize",
    "normalize_term",
    "fold_term",
    "is_word",
    "analyze",
    "analyze_counts",
    "Abbreviations",
    "lunr_pipeline",
    "PIPELINE",
    "SEARCH_PIPELINE",
]


_FLAT_TOKEN_RE = re.compile(
    _TOKEN_RE.pattern.replace("(?P<compound>", "(?:").replace("(?P<number>", "(?:").replace("(?P<word>", "(?:").replace("(?P<stop>", "(?:")
)
_STOP_CHARS = frozenset('.,;:!?()[]{}"|\u201c\u201d\u00ab\u00bb\u2026\u2013\u2014\n')


def tokenize(text: str) -> list[str]:
    """Words, numbers, document numbers (after their parts) and "." where a phrase ends."""
    text = unicodedata.normalize("NFC", text).lower()
    # One findall at C speed, then whole-list steps: what a match is shows in its first character
    # (a phrase's end) or its "/" (a document number, the only kind of match that holds one).
    found = _FLAT_TOKEN_RE.findall(text)
    marked = [BOUNDARY if match[0] in _STOP_CHARS else match for match in found]
    # One boundary for a run of them, none at the start.
    tokens = [token for token, before in zip(marked, [BOUNDARY, *marked]) if token != BOUNDARY or before != BOUNDARY]
    if "/" not in text:
        return tokens
    expanded: list[str] = []
    for token in tokens:
        if "/" in token:
            expanded.extend(part for part in _COMPOUND_SPLIT_RE.split(token) if part)
        expanded.append(token)
    return expanded


def _number_form(term: str) -> str:
    if _THOUSANDS_RE.match(term):  # 13.989 and 1.124,5: dots group thousands
        term = term.replace(".", "")
    term = term.replace(".", ",")  # 97,5 and 97.5 are one number (so normalizing twice changes nothing)
    if term.isdigit() and term.isascii():
        term = _LEADING_ZEROS_RE.sub("", term)  # 06 and 6, 03/CT-UBND and 3/CT-UBND
    return term


_normalized: dict[str, str] = {}
_folded: dict[str, str] = {}


def normalize_term(token: str) -> str:
    """The form a term is indexed and searched in: vntext.normalize, lower case, numbers unified;
    a document number folded ("03/qđ-ttg" -> "3/qd-ttg")."""
    found = _normalized.get(token)
    if found is None:
        found = vntext.normalize(token.lower()).lower()
        if "/" in found:
            found = _LEADING_ZEROS_RE.sub("", vntext.fold(found).lower())
        elif "0" <= found[:1] <= "9":
            found = _number_form(found)
        if len(_normalized) < 500_000:
            _normalized[token] = found
    return found


def fold_term(term: str) -> str:
    """vntext.fold, lower-cased, of a normalized term (memoized: an archive has few distinct terms)."""
    found = _folded.get(term)
    if found is None:
        found = vntext.fold(term).lower()
        if len(_folded) < 500_000:
            _folded[term] = found
    return found


def _trim(term: str) -> str:
    return _TRIM_RE.sub("", term)


def is_word(token: str) -> bool:
    return token != BOUNDARY and "/" not in token


class Abbreviations:
    """Abbreviations and the phrases they stand for, as folded syllables: {"tthc": [["thu", "tuc",
    "hanh", "chinh"]], ...}. ``phrase_at`` finds the abbreviations whose phrase starts at a word."""

    def __init__(self, table: dict[str, list[list[str]]] | None = None):
        self.table = dict(table or {})
        self._by_first: dict[str, list[tuple[str, list[str]]]] = {}
        self.longest = max((len(p) for phrases in self.table.values() for p in phrases), default=0)
        for short, phrases in self.table.items():
            for phrase in phrases:
                self._by_first.setdefault(phrase[0], []).append((short, phrase))

    @classmethod
    def from_pairs(cls, pairs: list[tuple[str, list[str]]]) -> Abbreviations:
        """From (abbreviation, [phrase, ...]) as an editor writes them: 'TTHC', ['thủ tục hành chính']."""
        table: dict[str, list[list[str]]] = {}
        for short, phrases in pairs:
            key = fold_term(normalize_term(short))
            for phrase in phrases:
                words = [fold_term(normalize_term(t)) for t in tokenize(phrase) if is_word(t)]
                if words and words not in table.setdefault(key, []):
                    table[key].append(words)
        return cls(table)

    def starting(self, folded_word: str):
        return self._by_first.get(folded_word, ())

    def phrase_at(self, folded_words: list[str], start: int) -> list[str]:
        """Abbreviations whose phrase is folded_words[start:start + n], in table order."""
        found = []
        for short, phrase in self.starting(folded_words[start]):
            if folded_words[start : start + len(phrase)] == phrase and short not in found:
                found.append(short)
        return found


# --- The pipeline as lunr functions (lunr.py here, lunr.js in the browser) -----------------------


def _following_words(tokens, index: int, count: int) -> list[str]:
    """Folded words from tokens[index] on, across phrase boundaries (an abbreviated phrase may hold
    commas: "cán bộ, công chức, viên chức"), at most ``count``."""
    words = []
    for token in tokens[index:]:
        text = str(token)
        if text == BOUNDARY:
            continue
        if not is_word(text):
            continue
        words.append(fold_term(text))
        if len(words) == count:
            break
    return words


def _make_pipeline(abbreviations: Abbreviations):
    from lunr.token import Token

    longest = abbreviations.longest

    def vn_normalize(token, i, tokens):
        return token.update(lambda s, m: normalize_term(s))

    def vn_phrases(token, i, tokens):
        text = str(token)
        if text == BOUNDARY:
            return None
        if not is_word(text):
            return token
        out = [token]
        following = tokens[i + 1] if i + 1 < len(tokens) else None
        if following is not None and is_word(str(following)):
            pair = f"{fold_term(text)} {fold_term(str(following))}"
            out.append(token.clone(lambda s, m: pair))
        if abbreviations.starting(fold_term(text)):
            for short in abbreviations.phrase_at(_following_words(tokens, i, longest), 0):
                out.append(Token(short, dict(token.metadata)))
        return out

    def vn_trimmer(token, i, tokens):
        token.update(lambda s, m: _trim(s))
        return token if str(token) else None

    def vn_fold(token, i, tokens):
        text = str(token)
        folded = fold_term(text)
        if folded == text:
            return token
        return [token.clone(lambda s, m: folded), token]

    return [("vn-normalize", vn_normalize), ("vn-phrases", vn_phrases), ("vn-trimmer", vn_trimmer), ("vn-fold", vn_fold)]


# Labels of the index pipeline, in order, and of the search pipeline stored in the index (a query's
# terms are already analysed by search.js; these two are idempotent on them).
PIPELINE = ["vn-normalize", "vn-phrases", "vn-trimmer", "vn-fold"]
SEARCH_PIPELINE = ["vn-normalize", "vn-trimmer"]


def lunr_pipeline(abbreviations: Abbreviations | None = None, search: bool = False):
    """A lunr.py Pipeline of the registered functions (registering them under their labels)."""
    from lunr.pipeline import Pipeline

    functions = dict(_make_pipeline(abbreviations or Abbreviations()))
    for label, fn in functions.items():
        fn.label = label
        Pipeline.registered_functions[label] = fn
    return Pipeline.load(SEARCH_PIPELINE if search else PIPELINE)


def analyze(text: str, abbreviations: Abbreviations | None = None) -> list[str]:
    """tokenize + the four pipeline functions, in one pass: the terms lunr.py would index."""
    abbreviations = abbreviations or Abbreviations()
    tokens = [normalize_term(t) for t in tokenize(text)]
    longest = abbreviations.longest
    folded_at = [fold_term(t) if is_word(t) else None for t in tokens]
    words = [w for w in folded_at if w is not None]
    out: list[str] = []
    append = out.append
    count = len(tokens)
    ordinal = 0  # how many words came before tokens[i]
    for i, token in enumerate(tokens):
        folded = folded_at[i]
        if folded is None:
            if token != BOUNDARY:
                append(token)  # a document number, folded already
            continue
        append(folded)
        if folded != token:
            append(token)
        if i + 1 < count and folded_at[i + 1] is not None:
            append(f"{folded} {folded_at[i + 1]}")
        if abbreviations.starting(folded):
            out.extend(abbreviations.phrase_at(words[ordinal : ordinal + longest], 0))
        ordinal += 1
    return out


class _Memo(dict):
    """A dict that computes a missing value once: lookups stay at C speed in list(map(...))."""

    def __init__(self, compute):
        super().__init__()
        self._compute = compute

    def __missing__(self, key):
        value = self[key] = self._compute(key)
        return value


_NOT_A_WORD = "\x00"  # stands for a boundary or a document number among the folded words
_NORMALIZED = _Memo(normalize_term)
_FOLDED_WORD = _Memo(lambda term: fold_term(term) if is_word(term) else _NOT_A_WORD)


def analyze_counts(text: str, abbreviations: Abbreviations | None = None) -> Counter:
    """``Counter(analyze(text, abbreviations))``, computed with whole-list operations: the index
    needs each term's frequency, not the order of the terms (tests hold the two equal)."""
    abbreviations = abbreviations or Abbreviations()
    tokens = tokenize(text)
    if len(_NORMALIZED) > 500_000 or len(_FOLDED_WORD) > 500_000:
        _NORMALIZED.clear()
        _FOLDED_WORD.clear()
    normalized = list(map(_NORMALIZED.__getitem__, tokens))
    folded = list(map(_FOLDED_WORD.__getitem__, normalized))
    counts = Counter(folded)  # the folded form of every word
    counts.pop(_NOT_A_WORD, None)
    # The exact form of a word when it differs from the folded one, and document numbers as they are.
    for term, count in Counter(normalized).items():
        if term == BOUNDARY:
            continue
        form = _FOLDED_WORD[term]
        if form == _NOT_A_WORD or form != term:
            counts[term] += count
    # The folded pair of each two words that stand together (no boundary or number between them).
    pairs = Counter(map(" ".join, zip(folded, folded[1:])))
    for pair, count in pairs.items():
        if _NOT_A_WORD not in pair:
            counts[pair] += count
    # Abbreviations of the phrases an editor listed, across boundaries as analyze() finds them.
    if abbreviations.longest:
        words = [word for word in folded if word != _NOT_A_WORD]
        starts = abbreviations._by_first
        if not starts.keys().isdisjoint(words):
            longest = abbreviations.longest
            for at, word in enumerate(words):
                if word in starts:
                    counts.update(abbreviations.phrase_at(words[at : at + longest], 0))
    return counts
