"""Vietnamese text handling shared by every plugin, the content checks and the search index.

One place for: Unicode NFC, tone-mark placement (Uỷ -> Ủy, hoá -> hóa), diacritic folding with
đ -> d, ASCII slugs, Vietnamese dates (Thứ Hai, 20/03/2017 16:00) and numbers (1.124; 97,5%).
The browser's folding (theme/static/js/vntext.js) mirrors ``fold`` and ``normalize``; a test holds
the two equal.

This package is a library, not a Pelican plugin: it has no ``register``.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from decimal import ROUND_HALF_EVEN, Decimal, localcontext

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


def slugify(text: str) -> str:
    """ASCII slug: 'Đẩy mạnh cải cách thủ tục hành chính' -> 'day-manh-cai-cach-thu-tuc-hanh-chinh'."""
    ascii_text = fold(normalize(text)).lower()
    # Anything still outside ASCII (other scripts, symbols) becomes a separator.
    return _SLUG_JUNK_RE.sub("-", ascii_text).strip("-")


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
    groups = []
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
