"""The portal's HTML policy (docs/security.md), one copy for every plugin that renders editors' HTML.

``clean`` keeps plain formatting (the tags and attributes below) and removes scripts, event handlers,
javascript: and data: links, styles other than text alignment, frames, forms and embedded objects;
``dangerous_lines`` names the source lines that held what it removes, for the editor's warning.
The sanitiser is nh3 (the Ammonia HTML sanitiser), not a hand-written filter.

This package is a library, not a Pelican plugin: it has no ``register``.
"""

from __future__ import annotations

import re

import nh3

__all__ = ["ATTRIBUTES", "DANGER_RE", "SCHEMES", "TAGS", "clean", "dangerous_lines"]

TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "col",
    "colgroup",
    "dd",
    "del",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "small",
    "span",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "u",
    "ul",
}
ATTRIBUTES = {
    "*": {"class", "id", "title", "lang"},
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan", "style"},
    "th": {"colspan", "rowspan", "scope", "style"},
    "ol": {"start", "type"},
    "time": {"datetime"},
    "abbr": {"title"},
}
SCHEMES = {"http", "https", "mailto", "tel"}
# What an editor is told about: anything that could run code or load something foreign.
DANGER_RE = re.compile(
    r"<\s*(script|style|iframe|object|embed|form|input|button|link|meta|base|svg|math)\b"
    r"|\son[a-z]+\s*="
    r"|(?:javascript|vbscript|data)\s*:",
    re.IGNORECASE,
)


_CLEANER = nh3.Cleaner(
    tags=TAGS,
    attributes=ATTRIBUTES,
    url_schemes=SCHEMES,
    link_rel=None,
    strip_comments=True,
    filter_style_properties={"text-align"},
    clean_content_tags={"script", "style"},
)


def clean(html: str) -> str:
    """The allowed subset of the HTML; everything else removed (text of removed tags is kept)."""
    return _CLEANER.clean(html)


def dangerous_lines(source_text: str) -> list[tuple[int, str]]:
    """(line, what) for each source line that holds something the sanitiser will remove."""
    found = []
    for number, line in enumerate(source_text.splitlines(), start=1):
        match = DANGER_RE.search(line)
        if match:
            found.append((number, match.group(0).strip()))
    return found
