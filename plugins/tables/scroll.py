"""Tables an editor writes in an article's Markdown, put in a labelled box that scrolls sideways.

A table wider than a phone scrolls inside its box instead of widening the page (site.css draws a
shadow at the edge that has more to see). Keyboard users can scroll a box only when it can take
focus, and a screen reader announces a focusable region by its name, so the box is a named region
with a tab stop, written at build time: it works without JavaScript. The name is the table's caption,
else the heading the table stands under, else "Bảng" ("Table" on an English page). The result
tables ([[bang:...]]) have their own box (_data_table.html) and are embedded after this runs.
"""

from __future__ import annotations

import html
import re

__all__ = ["wrap_tables", "table_label"]

# Markdown tables and the sanitiser's output: never nested, no attributes an editor can set but
# class, id, title and lang (plugins/htmlclean).
_TABLE_RE = re.compile(r"<table\b[^>]*>.*?</table>", re.S | re.I)
_CAPTION_RE = re.compile(r"<caption\b[^>]*>(.*?)</caption>", re.S | re.I)
_HEADING_RE = re.compile(r"<h([2-6])\b[^>]*>(.*?)</h\1>", re.S | re.I)
_TAG_RE = re.compile(r"<[^>]+>")
DEFAULT_LABEL = {"vi": "Bảng", "en": "Table"}


def _text(fragment: str) -> str:
    return " ".join(html.unescape(_TAG_RE.sub("", fragment)).split())


def table_label(body: str, start: int, table: str, lang: str = "vi") -> str:
    """The name of the table at ``body[start:]``: its caption, the last heading before it, or a default."""
    caption = _CAPTION_RE.search(table)
    if caption and _text(caption.group(1)):
        return _text(caption.group(1))
    headings = list(_HEADING_RE.finditer(body, 0, start))
    if headings and _text(headings[-1].group(2)):
        return _text(headings[-1].group(2))
    return DEFAULT_LABEL.get(lang, DEFAULT_LABEL["vi"])


def wrap_tables(body: str, lang: str = "vi") -> str:
    """Every table of an editor's body in a focusable, named scroll box."""
    if "<table" not in body:
        return body
    parts, position = [], 0
    for match in _TABLE_RE.finditer(body):
        label = table_label(body, match.start(), match.group(0), lang)
        parts.append(body[position : match.start()])
        parts.append(f'<div class="table-scroll" role="region" aria-label="{html.escape(label)}" tabindex="0">{match.group(0)}</div>')
        position = match.end()
    parts.append(body[position:])
    return "".join(parts)
