"""Vietnamese text handling shared by every plugin, the content checks and the search index.

One place for: Unicode NFC, tone-mark placement (Uỷ -> Ủy, hoá -> hóa), diacritic folding with
đ -> d, words typed with a Telex or VNI keyboard left in English mode (hanhf -> hành, so61 -> số), ASCII slugs, Vietnamese dates (Thứ Hai, 20/03/2017 16:00) and numbers (1.124; 97,5%).
The browser's folding (theme/static/js/vntext.js) mirrors ``fold`` and ``normalize``; a test holds
the two equal.

This package is a library, not a Pelican plugin: it has no ``register``.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from datetime import date, datetime
from decimal import ROUND_HALF_EVEN, Decimal, localcontext
from typing import NamedTuple

__all__ = [
    "normalize",
    "normalize_tones",
    "fold",
    "slugify",
    "weekday_name",
    "format_date",
    "format_datetime",
    "format_month",
    "format_number",
    "format_percent",
    "has_mixed_tone_placement",
    "syllables",
    "document_numbers",
    "find_document_numbers",
    "normalize_document_number",
    "DateMatch",
    "find_datetime",
    "keyboard_readings",
]

# Combining marks that carry a Vietnamese tone (thanh điệu). The other marks Vietnamese uses
# (circumflex U+0302, breve U+0306, horn U+031B) belong to the vowel and never move.
_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"
_TONE_RE = re.compile(f"[{_TONE_MARKS}]")
# Words are runs of letters (and the combining marks NFD makes of them).
_WORD_RE = re.compile(r"(?:[^\W\d_]|[\u0300-\u036f])+")
# A syllable whose whole vowel is oa, oe or uy with nothing after it is where the two spellings
# differ: hoá/hóa, khoẻ/khỏe, thuỷ/thủy. With a final consonant (hoàn, thuyết) both put the tone
# on the second vowel, and after "q" the u is part of the consonant (quý), so those never move.
_OPEN_GLIDE_RE = re.compile(r"^([^aeiouy]*)(o[ae]|uy)$", re.IGNORECASE)


def _place_tone(word_nfd: str) -> str:
    tones = _TONE_RE.findall(word_nfd)
    if len(tones) != 1:
        return word_nfd
    bare = _TONE_RE.sub("", word_nfd)
    match = _OPEN_GLIDE_RE.match(bare)
    if not match or match.group(1).lower().endswith("q"):
        return word_nfd
    head = match.group(1)
    return head + match.group(2)[0] + tones[0] + match.group(2)[1]


def normalize_tones(text: str) -> str:
    """Put tone marks where the portal writes them: hoá -> hóa, Uỷ -> Ủy, thuỷ -> thủy."""
    decomposed = unicodedata.normalize("NFD", text)
    placed = _WORD_RE.sub(lambda m: _place_tone(m.group(0)), decomposed)
    return unicodedata.normalize("NFC", placed)


def normalize(text: str) -> str:
    """NFC with one tone-mark placement: the form every comparison and index starts from."""
    return normalize_tones(unicodedata.normalize("NFC", text))


def fold(text: str) -> str:
    """Remove every diacritic and map đ/Đ to d/D (đ has no decomposition, so NFD alone misses it).

    Case is kept; callers lower-case where they need to.
    """
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped.replace("đ", "d").replace("Đ", "D"))


_SLUG_JUNK_RE = re.compile(r"[^a-z0-9]+")
SLUG_MAX = 200  # characters; the longest title of the sample content gives 183


def slugify(text: str) -> str:
    """ASCII slug: 'Đẩy mạnh cải cách thủ tục hành chính' -> 'day-manh-cai-cach-thu-tuc-hanh-chinh'."""
    ascii_text = fold(normalize(text)).lower()
    # Anything still outside ASCII (other scripts, symbols) becomes a separator.
    slug = _SLUG_JUNK_RE.sub("-", ascii_text).strip("-")
    if len(slug) > SLUG_MAX:
        # A slug is a folder name in the output, and file systems refuse names over 255 bytes:
        # cut at the last whole word that fits.
        slug = slug[: SLUG_MAX + 1].rsplit("-", 1)[0] if "-" in slug[: SLUG_MAX + 1] else slug[:SLUG_MAX]
    return slug


def has_mixed_tone_placement(text: str) -> bool:
    """True when the text writes a syllable in the other tone placement (hoá, Uỷ) than ours."""
    nfc = unicodedata.normalize("NFC", text)
    return normalize_tones(nfc) != nfc


_WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật")


def weekday_name(day: date) -> str:
    """'Thứ Hai' ... 'Chủ Nhật'."""
    return _WEEKDAYS[day.weekday()]


def format_date(day: date) -> str:
    """20/03/2017"""
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


def format_datetime(moment: datetime, weekday: bool = True) -> str:
    """'Thứ Hai, 20/03/2017 16:00' (or '20/03/2017 16:00' without the weekday)."""
    text = f"{format_date(moment)} {moment.hour:02d}:{moment.minute:02d}"
    return f"{weekday_name(moment)}, {text}" if weekday else text


def format_month(year: int, month: int) -> str:
    """'Tháng 3/2017', the heading of a month archive."""
    return f"Tháng {month}/{year}"


def format_number(value: int | float | Decimal | str, decimals: int = 0) -> str:
    """Vietnamese digits: '.' groups thousands, ',' marks decimals: 1124 -> '1.124', 97.5 -> '97,5'.

    Rounds half to even on the decimal value (so 0.125 with 2 decimals is '0,12').
    """
    number = Decimal(str(value))
    quantum = Decimal(1).scaleb(-decimals)
    # Enough precision for any digit count: quantize fails past the default 28 digits.
    with localcontext() as context:
        context.prec = max(28, number.adjusted() + decimals + 2)
        number = number.quantize(quantum, rounding=ROUND_HALF_EVEN)
    sign = "-" if number < 0 else ""
    digits = f"{abs(number):.{decimals}f}"
    whole, _, fraction = digits.partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    text = ".".join(groups)
    if fraction:
        text += "," + fraction
    if text.strip("0.,") == "":
        sign = ""
    return sign + text


def format_percent(value: int | float | Decimal | str, decimals: int = 1) -> str:
    """97.5 -> '97,5%' (the value is already in percent). Trailing ',0' is dropped: 100 -> '100%'."""
    text = format_number(value, decimals)
    if "," in text:
        text = text.rstrip("0").rstrip(",")
    return text + "%"


# --- Words for matching: folded syllables, document numbers -----------------------------------
#
# The related-news ranker (and anything else that compares texts) works on folded, lower-case
# syllables: "Ủy ban", "Uỷ Ban" and "uy ban" are the same two syllables. It reads the whole archive
# on every build, so ``syllables`` does not walk characters in Python as ``fold`` does: NFD, drop the
# combining marks by encoding to ASCII (C speed), then ASCII punctuation separates syllables. Before
# that, everything that is neither ASCII nor a Latin letter or mark (curly quotes, dashes, no-break
# spaces, symbols such as ², other scripts) becomes a space, so "2016–2020" stays two syllables.
_NOT_LATIN_RE = re.compile("[^\x00-\x7f\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0300-\u036f\u1e00-\u1eff]+")
_ASCII_SEPARATORS = str.maketrans({chr(c): " " for c in range(128) if not (chr(c).isalnum() and chr(c) != "_")})


def syllables(text: str) -> list[str]:
    """The folded, lower-case syllables of a text, in order:
    'Đề án 06, số hoá; Uỷ ban' -> ['de', 'an', '06', 'so', 'hoa', 'uy', 'ban'].

    A syllable is a run of ASCII letters and digits after folding (đ -> d, marks dropped). For
    Vietnamese text these are the runs of [a-z0-9] in ``fold(normalize(text)).lower()`` (the tests
    hold the two equal); letters of other scripts and symbols separate syllables.
    """
    text = _NOT_LATIN_RE.sub(" ", text)
    folded = unicodedata.normalize("NFD", text).lower().replace("đ", "d").encode("ascii", "ignore").decode("ascii")
    return folded.translate(_ASCII_SEPARATORS).split()


def document_numbers(text: str) -> set[str]:
    """Normalised numbers of the documents a text cites: upper-case ASCII, no leading zeros.

    'Công văn số 2410/UBND-KSTT' -> {'2410/UBND-KSTT'}; '107/2020/NĐ-CP' -> {'107/2020/ND-CP'};
    'Chỉ thị số 03/CT-UBND' -> {'3/CT-UBND'}; 'Nghị quyết 39-NQ/TW' -> {'39-NQ/TW'};
    'Quyết định 06/QĐ-TTg' -> {'6/QD-TTG'}; 'văn bản 2410/UBND - KSTT' -> {'2410/UBND-KSTT'}. Dates
    (31/12/2022) and ratios (35/63) are not numbers of documents. Detection and the normal form are
    those of ``find_document_numbers`` and ``normalize_document_number`` below: one way to normalise.
    """
    return {key for _start, _end, _raw, key in find_document_numbers(text)}


# --- Document numbers: detection and the one normal form (issue 9) ------------------------------
#
# How people write the number of a document ("số hiệu văn bản") in news, and what they mean by it:
#   2410/UBND-KSTT, 2410/UBND - KSTT, 2410 / UBND–KSTT     -> 2410/UBND-KSTT   (a công văn)
#   107/2020/NĐ-CP, 107/2020/ND-CP, 107/2020/Nđ-CP          -> 107/2020/ND-CP   (number/year/kind-issuer)
#   06/QĐ-TTg, 6/QD-TTg, Kế hoạch số 125 /KH-UBND           -> 6/QD-TTG, 125/KH-UBND
#   39-NQ/TW, 39–NQ/TW                                       -> 39-NQ/TW         (the Party's form)
# The normal form is upper-case ASCII (đ/Đ -> D), without spaces or leading zeros, with "-" for every
# dash and "/" for every slash. It is what the registry (plugins/documents), the related-news ranker
# and the search index compare; ``normalize_document_number`` is the only place that makes it.
#
# Detection is linear in the length of the text: one pass of a compiled pattern finds where numbers
# can be (a slash, then a capital), and the number's pattern is matched only at the few digits just
# before each such place (find_document_numbers says why). What it must not take: dates (31/12/2022), ratios and ranks (18/18, 35/63), scores (85,03/100), quarters
# (quý I/2019), COVID-19, times, phone numbers and the paths of URLs. The codes after the slash make
# the difference: the first one has at least two capitals (QĐ, KH, UBND, TTg, QH14), so "5/ngày" and
# "3/An" are not numbers; a code may end in one small letter (TTg), so an ordinary capitalised word
# ("Trung", "Sở") never joins as a code. What stands just before a match is checked in Python: a
# letter, digit or URL character there (x2410/UBND, 85,03/100, /van-ban/2410/UBND, ?so=2410/UBND)
# means the match is part of something else. Only the first dash inside the codes may have spaces
# around it (3765/QĐ - UBND, 2410/UBND - KSTT); after a joined code a spaced dash separates the number
# from what follows ("Kế hoạch 125/KH-UBND - UBND tỉnh" cites 125/KH-UBND).

_DOC_SLASHES = "/\u2044\u2215\uff0f"  # slash, fraction slash, division slash, fullwidth solidus
_DOC_DASHES = "\\-\u2010\u2011\u2012\u2013\u2014\u2212"  # hyphen-minus, hyphens, figure/en/em dash, minus
_DOC_SPACE = "[ \t\u00a0\u202f]*"
_DOC_GAP = f"{_DOC_SPACE}(?:\\n{_DOC_SPACE})?"  # spaces around a separator, at most one line break
_DOC_SLASH = f"{_DOC_GAP}[{_DOC_SLASHES}]{_DOC_GAP}"
_DOC_JOIN = f"{_DOC_GAP}[{_DOC_DASHES}]{_DOC_GAP}"
_DOC_TIGHT_JOIN = f"[{_DOC_DASHES}]"
_DOC_FIRST_CODE = "[A-ZĐ](?:[A-ZĐ0-9]+[a-zđ]?|đ)"  # QĐ, KH, UBND, TTg, QH14, Nđ
_DOC_CODE = "[A-ZĐ][A-ZĐ0-9]*[a-zđ]?"  # CP, KSTT, TTg, TW
_DOC_NUMBER_FIND_RE = re.compile(
    r"(?:"
    # number[/year]/codes: 2410/UBND-KSTT, 107/2020/NĐ-CP, 653/2019/UBTVQH14, 30c/NQ-CP
    rf"(?P<number>\d{{1,5}}[A-Za-z]?)(?:{_DOC_SLASH}(?P<year>(?:19|20)\d\d))?{_DOC_SLASH}"
    rf"(?P<codes>{_DOC_FIRST_CODE}(?:{_DOC_JOIN}{_DOC_CODE}(?:{_DOC_TIGHT_JOIN}{_DOC_CODE}){{0,3}})?)"
    # the Party's number-kind/issuer: 39-NQ/TW, 05-CT/TU
    rf"|(?P<party_number>\d{{1,5}}[A-Za-z]?){_DOC_JOIN}(?P<party_kind>[A-ZĐ]{{1,6}}){_DOC_SLASH}"
    rf"(?P<party_issuer>{_DOC_CODE}(?:{_DOC_TIGHT_JOIN}{_DOC_CODE}){{0,3}})"
    r")"
    rf"(?![\w\u0300-\u036f]|[{_DOC_SLASHES}{_DOC_DASHES}]\w)"
)
# Before a match: a letter, digit or mark (glued to a word), a number's punctuation (85,03/100) or a
# URL's (/van-ban/2410/UBND, ?so=2410/UBND, a-2410/UBND).
_DOC_GLUE = frozenset(f"/.,-_=?&#%+~@\u2010\u2011\u2012\u2013\u2014\u2212{_DOC_SLASHES}")
_DOC_SEPARATOR_RE = re.compile(f"[{_DOC_SLASHES}]|[{_DOC_DASHES}]|\\s+")
_DOC_LEADING_ZEROS_RE = re.compile(r"^0+(?=\d)")
# Where a number can be: after a slash and a capital; starting at most this far before that slash,
# over characters a number is made of.
_DOC_ANCHOR_RE = re.compile(f"[{_DOC_SLASHES}]{_DOC_GAP}[A-ZĐ]")
_DOC_LOOK_BACK = 40
_DOC_BEFORE_SLASH = frozenset(
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZĐabcdefghijklmnopqrstuvwxyzđ \t\n\u00a0\u202f" + _DOC_SLASHES + _DOC_DASHES.replace("\\", "")
)


def _glued_before(text: str, start: int) -> bool:
    if start == 0:
        return False
    before = text[start - 1]
    if before.isalnum() or before in _DOC_GLUE or unicodedata.combining(before):
        return True
    # Inside a URL or an e-mail address written as text: the word it stands in has "://", "www." or "@".
    word_start = max(text.rfind(" ", 0, start), text.rfind("\n", 0, start), text.rfind("\t", 0, start)) + 1
    word = text[word_start:start]
    return "://" in word or word.lower().startswith("www.") or "@" in word


@functools.lru_cache(maxsize=8192)
def normalize_document_number(raw: str) -> str:
    """The one normal form of a document number: '2410/UBND - KSTT' -> '2410/UBND-KSTT',
    '107/2020/NĐ-CP' -> '107/2020/ND-CP', '06/QĐ-TTg' -> '6/QD-TTG', '39–NQ/TW' -> '39-NQ/TW'.

    ``raw`` is a number as people write it, alone (a match of ``find_document_numbers``, or the
    Number of a registered document). Idempotent: a normal form normalises to itself. Raises
    ValueError when ``raw`` is not a document number.
    """
    text = unicodedata.normalize("NFC", raw).strip()
    match = _DOC_NUMBER_FIND_RE.fullmatch(text)
    if match is None:
        # A normal form itself (upper-case ASCII) always matches; lower-case input is accepted as
        # what an editor typed in a hurry: '2410/ubnd-kstt'.
        match = _DOC_NUMBER_FIND_RE.fullmatch(fold(text).upper())
        if match is None:
            raise ValueError(f"not a document number: {raw!r}")
    if match.group("party_number"):
        number, kind, issuer = match.group("party_number", "party_kind", "party_issuer")
        parts = [number, "-", kind, "/", _DOC_SEPARATOR_RE.sub(_join_code, issuer)]
    else:
        number, year, codes = match.group("number", "year", "codes")
        parts = [number, f"/{year}" if year else "", "/", _DOC_SEPARATOR_RE.sub(_join_code, codes)]
    parts[0] = _DOC_LEADING_ZEROS_RE.sub("", parts[0])
    return fold("".join(parts)).upper()


def _join_code(separator: re.Match) -> str:
    # Inside the codes only dashes (and the spaces around them) separate: "UBND - KSTT" -> "UBND-KSTT".
    text = separator.group(0)
    return "" if text.isspace() else "-"


def find_document_numbers(text: str) -> list[tuple[int, int, str, str]]:
    """Every document number in a text, in order: (start, end, raw, normalized), where
    ``text[start:end] == raw`` and ``normalized == normalize_document_number(raw)``.

    'Theo Kế hoạch số 125 /KH-UBND và Nghị quyết 39-NQ/TW' ->
    [(17, 29, '125 /KH-UBND', '125/KH-UBND'), (44, 52, '39-NQ/TW', '39-NQ/TW')].
    Text is taken as it is (NFC or NFD alike).
    """
    # Linear, and fast on news full of digits: a regular expression that starts with a digit is
    # tried at every digit of the text (measured: 20 times slower than this on the sample archive).
    # Every number has a slash followed by a capital (2410/U, 39-NQ/T), which one pass of a pattern
    # that starts with a slash finds at C speed; the number is then matched from the starts of the
    # digit runs in the few characters before that slash.
    found: list[tuple[int, int, str, str]] = []
    done = 0  # end of the last number found: numbers never overlap
    for anchor in _DOC_ANCHOR_RE.finditer(text):
        slash = anchor.start()
        if slash < done:
            continue
        low = slash
        floor = max(done, slash - _DOC_LOOK_BACK)
        while low > floor and text[low - 1] in _DOC_BEFORE_SLASH:
            low -= 1
        for start in range(low, slash):
            if not ("0" <= text[start] <= "9") or (start > low and "0" <= text[start - 1] <= "9"):
                continue
            match = _DOC_NUMBER_FIND_RE.match(text, start)
            if match is None or match.end() <= slash or _glued_before(text, start):
                continue
            raw = match.group(0)
            found.append((start, match.end(), raw, normalize_document_number(raw)))
            done = match.end()
            break
    return found


# --- Dates as Vietnamese pages and documents write them (issue 16, issue 18) --------------------
#
# What legacy portals and Word files print, and what it means:
#   Thứ 2, Ngày 20/03/2017, 16:00            -> 2017-03-20 16:00   (weekday, day/month/year, time)
#   (Ngày đăng :28/10/2020 4:47:35 CH)        -> 2020-10-28 16:47   (CH "chiều" is PM, SA "sáng" is AM)
#   Tue, 28/03/2017 09:00 | GMT +7            -> 2017-03-28 09:00   (already local time)
#   Hà Nội, ngày 9 tháng 1 năm 2014           -> 2014-01-09         (the date line of a document)
#   21/12/2017, 21-12-2017, 21.12.2017        -> 2017-12-21
#   16:00 20/03/2017                          -> 2017-03-20 16:00   (time first)
# Day comes before month: these are Vietnamese dates, never American ones. A time is taken only
# when it stands right next to the date (within a few characters of punctuation, "lúc" or a
# weekday), so "Sáng 22/9, lúc 8:00 ..." inside a sentence does not mistake a later number for it.

_DATE_NUMERIC = r"(?<![\d/.-])(?P<day>\d{1,2})\s*(?P<sep>[/.-])\s*(?P<month>\d{1,2})\s*(?P=sep)\s*(?P<year>(?:19|20)\d\d)(?![\d/])"
_DATE_WORDS = r"ngày\s+(?P<wday>\d{1,2})\s+tháng\s+(?P<wmonth>\d{1,2})\s+năm\s+(?P<wyear>(?:19|20)\d\d)"
_DATE_RE = re.compile(f"{_DATE_NUMERIC}|{_DATE_WORDS}", re.IGNORECASE)
_TIME = r"(?P<hour>\d{1,2})\s*[:hg]\s*(?P<minute>\d{2})(?::(?P<second>\d{2}))?(?:\s*(?P<half>SA|CH|AM|PM)\b)?"
# What may stand between a date and its time: spaces, commas, a bar, "lúc", "-".
_TIME_AFTER_RE = re.compile(r"[\s,|\-–]*(?:lúc\s*)?" + _TIME, re.IGNORECASE)
_TIME_BEFORE_RE = re.compile(_TIME + r"(?:\s*(?:ngày|,|\||-|–))*\s*$", re.IGNORECASE)


class DateMatch(NamedTuple):
    """A date found in a text: the moment (00:00 without a time), whether a time was written, and
    where the date (and its time) stand in the text."""

    moment: datetime
    has_time: bool
    start: int
    end: int


def _hour(hour: int, half: str | None) -> int:
    half = (half or "").upper()
    if half in ("CH", "PM") and hour < 12:
        return hour + 12
    if half in ("SA", "AM") and hour == 12:
        return 0
    return hour


def find_datetime(text: str) -> DateMatch | None:
    """The first real date in ``text``, written in one of the Vietnamese forms above, with its time
    when one stands next to it; None when there is none (31/02/2020 is no date)."""
    text = unicodedata.normalize("NFC", text)
    for match in _DATE_RE.finditer(text):
        parts = match.group("day", "month", "year") if match.group("day") else match.group("wday", "wmonth", "wyear")
        day, month, year = (int(p) for p in parts)
        try:
            moment = datetime(year, month, day)
        except ValueError:
            continue
        start, end = match.span()
        clock = _TIME_AFTER_RE.match(text, end)
        if clock:
            end = clock.end()
        else:
            clock = _TIME_BEFORE_RE.search(text[max(0, start - 24) : start])
            if clock:
                start = max(0, start - 24) + clock.start()
        if clock:
            hour, minute = _hour(int(clock.group("hour")), clock.group("half")), int(clock.group("minute"))
            second = int(clock.group("second") or 0)
            if hour < 24 and minute < 60 and second < 60:
                return DateMatch(moment.replace(hour=hour, minute=minute, second=second), True, start, end)
        return DateMatch(moment, False, match.start(), match.end())
    return None


# --- Telex and VNI leftovers: a word typed with the Vietnamese keyboard off ----------------------
# A reader whose input method is off, or in the wrong mode, sends the keys themselves: "hanhf chinhs"
# (Telex) or "chu74 ky1 so61" (VNI). keyboard_readings gives the syllables those keys stand for; the
# search keeps one only when the index has it (theme/static/js/vntext.js mirrors this, tested equal).

_VOWELS = "aăâeêioôơuưy"
_TONE_COMBINING = {"s": "\u0301", "f": "\u0300", "r": "\u0309", "x": "\u0303", "j": "\u0323", "z": ""}
_VNI_TONES = {"1": "\u0301", "2": "\u0300", "3": "\u0309", "4": "\u0303", "5": "\u0323", "0": ""}
_CIRCUMFLEX = {"a": "â", "e": "ê", "o": "ô"}
_HORN = {"o": "ơ", "u": "ư"}
_KEYED_RE = re.compile(r"^[a-z0-9]+$")


def _place_typed_tone(letters: list[str], tone: str) -> str:
    """The syllable of ``letters`` with ``tone`` (a combining mark, or "") on the vowel that takes
    it: a vowel with a circumflex, breve or horn first (the last of them: ươ -> ơ); else the last
    vowel before a final consonant; else, in an open syllable, the first of two vowels (hóa, thủy)
    or the middle of three. "qu" and "gi" before a vowel are consonants."""
    word = "".join(letters)
    start = 0
    while start < len(word) and word[start] not in _VOWELS:
        start += 1
    if start < len(word) - 1 and ((word[start] == "u" and word[start - 1 : start] == "q") or (word[start] == "i" and word[start - 1 : start] == "g")):
        if word[start + 1] in _VOWELS:
            start += 1
    end = start
    while end < len(word) and word[end] in _VOWELS:
        end += 1
    if start == end or not tone:
        return normalize(word)
    cluster = range(start, end)
    marked = [i for i in cluster if word[i] in "ăâêôơư"]
    if marked:
        at = marked[-1]
    elif end < len(word):
        at = end - 1
    else:
        at = start + (1 if end - start == 3 else 0)
    return normalize(word[: at + 1] + tone + word[at + 1 :])


def _telex(word: str) -> str:
    letters: list[str] = []
    tone = None
    for ch in word:
        vowel_before = any(c in _VOWELS for c in letters)
        last = letters[-1] if letters else ""
        if ch in _TONE_COMBINING and vowel_before:
            tone = _TONE_COMBINING[ch]
        elif ch == "d" and last == "d":
            letters[-1] = "đ"
        elif ch in _CIRCUMFLEX and last == ch:
            letters[-1] = _CIRCUMFLEX[ch]
        elif ch == "w":
            vowels = [i for i, c in enumerate(letters) if c in "aou"]
            if not vowels:
                letters.append("ư")  # w alone is ư in Telex
                continue
            at = vowels[-1]
            if letters[at] == "o" and at > 0 and letters[at - 1] == "u":
                letters[at - 1 : at + 1] = ["ư", "ơ"]
            else:
                letters[at] = {"a": "ă", "o": "ơ", "u": "ư"}[letters[at]]
        else:
            letters.append(ch)
    return _place_typed_tone(letters, tone or "")


def _vni(word: str) -> str:
    letters: list[str] = []
    tone = None
    for ch in word:
        if not ch.isdigit():
            letters.append(ch)
            continue
        if not letters:
            return word
        if ch in _VNI_TONES:
            tone = _VNI_TONES[ch]
            continue
        found = None
        wanted = {"6": "aeo", "7": "ou", "8": "a", "9": "d"}[ch]
        for i in range(len(letters) - 1, -1, -1):
            if letters[i] in wanted:
                found = i
                break
        if found is None:
            return word
        if ch == "6":
            letters[found] = _CIRCUMFLEX[letters[found]]
        elif ch == "7":
            if letters[found] == "o" and found > 0 and letters[found - 1] == "u":
                letters[found - 1] = "ư"
            letters[found] = _HORN[letters[found]]
        elif ch == "8":
            letters[found] = "ă"
        else:
            letters[found] = "đ"
    return _place_typed_tone(letters, tone or "")


def keyboard_readings(word: str) -> list[str]:
    """What a word typed with the Vietnamese keyboard off may stand for: its Telex reading, then its
    VNI reading, each only when it differs from the word ('hanhf' -> ['hành'], 'so61' -> ['số'],
    'chu74' -> ['chữ'], 'ddieenj' -> ['điện']). Only lower-case ASCII letters and digits are read; a
    number, or a word the keys change into no syllable, gives nothing."""
    if not _KEYED_RE.match(word) or not any(c in _VOWELS or c == "w" for c in word):
        return []
    readings = []
    for reading in _with_open_horn([_telex(word), _vni(word)]):
        if reading != word and reading not in readings and not any(c.isdigit() for c in reading) and _one_syllable(reading):
            readings.append(reading)
    return readings


def _with_open_horn(readings: list[str]) -> list[str]:
    """Each reading, and after one with ươ the same with uơ: the horn key after "uo" gives ươ
    (trường), but thuở has the horn on the o alone."""
    out = []
    for reading in readings:
        out.append(reading)
        decomposed = unicodedata.normalize("NFD", reading)
        if "u\u031bo\u031b" in decomposed:
            out.append(unicodedata.normalize("NFC", decomposed.replace("u\u031bo\u031b", "uo\u031b")))
    return out


_SYLLABLE_RE = re.compile(f"^[bcdđghklmnpqrstvx]*[{_VOWELS}]+[cghkmnpt]*$")


def _one_syllable(reading: str) -> bool:
    """A consonant onset, vowels, a final consonant, at most one tone: what a syllable may look like."""
    bare = unicodedata.normalize("NFC", _TONE_RE.sub("", unicodedata.normalize("NFD", reading)))
    tones = _TONE_RE.findall(unicodedata.normalize("NFD", reading))
    return len(tones) <= 1 and bool(_SYLLABLE_RE.match(bare))
