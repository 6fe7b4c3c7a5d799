"""Document numbers cited in articles: found in rendered HTML (to link them) and in Markdown (to report them).

Both use vntext.find_document_numbers, one pass over the text. In HTML a number counts as cited
unless it is inside code (code, pre, kbd, samp) or inside markup (an attribute, a comment); it is
linked only where a link may go: not inside an existing link, a heading (whose anchor readers use),
code, or a URL (the detector leaves numbers inside addresses alone). Articles without a number cost
one scan; the tag walk runs only when the scan found something.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape

from markupsafe import Markup
from markupsafe import escape as escape_text

import vntext
from sourcefiles import markdown_lines

__all__ = ["Citation", "scan_html", "link_html", "cited_numbers", "markdown_citations", "year_ranges", "keep_whole_text", "keep_whole_html"]

_TAG_RE = re.compile(r"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<(/?)([A-Za-z][A-Za-z0-9-]*)\b(?:[^>\"']|\"[^\"]*\"|'[^']*')*>", re.S)
# Text inside these is not prose: a number there is not a citation.
_NOT_PROSE = {"code", "pre", "kbd", "samp", "script", "style", "textarea", "template"}
# A number inside these is cited but not linked: a link must not hold another, and a heading
# carries its own anchor.
_NO_LINK = {"a", "h1", "h2", "h3", "h4", "h5", "h6", "button", "label", "summary", "select", "option"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass(frozen=True)
class Citation:
    start: int
    end: int
    raw: str
    key: str  # normalised number
    linkable: bool


# A year range, 2021-2025 or 2021–2030: found from its dash (a pattern that starts with a digit is
# tried at every digit of a text full of them), four digits either side and no more.
_YEAR_RANGE_RE = re.compile(r"(?<=(?:19|20)\d\d)[-–](?=(?:19|20)\d\d)")


def year_ranges(text: str) -> list[tuple[int, int, str, str]]:
    """Every year range in a text, in order, as (start, end, raw, raw) like find_document_numbers."""
    found: list[tuple[int, int, str, str]] = []
    for dash in _YEAR_RANGE_RE.finditer(text):
        start, end = dash.start() - 4, dash.end() + 4
        if (start > 0 and (text[start - 1].isdigit() or text[start - 1] in "/-")) or (end < len(text) and (text[end].isdigit() or text[end] in "/")):
            continue  # part of a longer number or a date (12/2021-2025 is not a range)
        if found and start < found[-1][1]:
            continue
        found.append((start, end, text[start:end], text[start:end]))
    return found


def keep_whole_text(text: str) -> Markup:
    """Plain text (a title) escaped, its document numbers and year ranges in no-wrap spans: a line
    never breaks at their hyphen ("18-⏎NQ/TW", "2021-⏎2025")."""
    text = str(text or "")
    if "/" not in text and "-" not in text and "–" not in text:  # most titles: no number, no range
        return Markup(escape_text(text))
    spans = sorted(vntext.find_document_numbers(text) + year_ranges(text))
    if not spans:
        return Markup(escape_text(text))
    parts: list[str] = []
    position = 0
    for start, end, raw, _key in spans:
        if start < position:
            continue
        parts.append(str(escape_text(text[position:start])))
        parts.append(f'<span class="nowrap">{escape_text(raw)}</span>')
        position = end
    parts.append(str(escape_text(text[position:])))
    return Markup("".join(parts))


def scan_html(html: str) -> list[Citation]:
    """The document numbers cited in rendered HTML, in order, and whether each may become a link."""
    numbers = vntext.find_document_numbers(html) if html else []
    return _in_prose(html, numbers)


def _in_prose(html: str, numbers: list[tuple[int, int, str, str]]) -> list[Citation]:
    """Of the spans ``numbers`` found in ``html`` (in order), those in prose: not in markup or code."""
    if not numbers:
        return []
    citations: list[Citation] = []
    open_count: dict[str, int] = {}
    tags = _TAG_RE.finditer(html)
    tag = next(tags, None)
    for start, end, raw, key in numbers:
        inside_markup = False
        while tag is not None and tag.start() <= start:
            if tag.end() > start:  # the number is in an attribute or a comment
                inside_markup = True
                break
            closing, name = tag.group(1), (tag.group(2) or "").lower()
            if name and name not in _VOID and not tag.group(0).endswith("/>"):
                count = open_count.get(name, 0) + (-1 if closing else 1)
                open_count[name] = max(0, count)
            tag = next(tags, None)
        if inside_markup or any(open_count.get(name) for name in _NOT_PROSE):
            continue
        linkable = not any(open_count.get(name) for name in _NO_LINK)
        citations.append(Citation(start, end, raw, key, linkable))
    return citations


def cited_numbers(citations: list[Citation]) -> list[str]:
    """Normalised numbers in order of first citation, once each (year ranges, key "", are not cited)."""
    return list(dict.fromkeys(c.key for c in citations if c.key))


def link_html(html: str, url_of, skip: str | None = None, css_class: str = "doc-ref", keep_whole: bool = False) -> tuple[str, list[str]]:
    """Link the first linkable citation of each registered document; return the HTML and the cited numbers.

    ``url_of(key)`` gives the address of a registered number, None for an unregistered one; ``skip``
    is a number never linked (a document's own, on its own page). One link per document and page:
    repeating the link at every mention adds nothing for readers and a lot for screen-reader users.

    ``keep_whole``: every other number in prose, and every year range, goes in a no-wrap span (a link
    is kept whole by its class, site.css), so that a line never breaks at its hyphen
    ("61/2018/NĐ-⏎CP", "2021-⏎2025"); one walk over the tags for both.
    """
    numbers = vntext.find_document_numbers(html) if html else []
    if keep_whole and html and ("-" in html or "–" in html):
        # A range's key is "": it is kept whole, never cited nor linked.
        numbers = sorted(numbers + [(start, end, raw, "") for start, end, raw, _ in year_ranges(html)])
    citations = _in_prose(html, numbers)
    if not citations:
        return html, []
    parts, done, position = [], {skip}, 0
    for citation in citations:
        if citation.start < position:
            continue
        url = None
        if citation.key and citation.linkable and citation.key not in done:
            url = url_of(citation.key)
        if url is not None:
            done.add(citation.key)
            replacement = f'<a class="{css_class}" href="{escape(url)}">{citation.raw}</a>'
        elif keep_whole:
            replacement = f'<span class="nowrap">{citation.raw}</span>'
        else:
            continue
        parts.append(html[position : citation.start])
        parts.append(replacement)
        position = citation.end
    parts.append(html[position:])
    return "".join(parts), cited_numbers(citations)


def keep_whole_html(html: str) -> str:
    """Every document number and year range in the prose of rendered HTML in a no-wrap span, none
    linked (link_html with keep_whole, for text that cites nothing)."""
    return link_html(html, lambda _key: None, keep_whole=True)[0]


# --- Markdown source, for `invoke check` ---------------------------------------------------------------

_CODE_SPAN_RE = re.compile(r"(`+)(?:(?!\1).)+?\1")
_AUTOLINK_RE = re.compile(r"<(?:https?|mailto|ftp):[^>\s]*>")
_LINK_TARGET_RE = re.compile(r"\]\([^)\s]*(?:\s+\"[^\"]*\")?\)")
_HTML_TAG_RE = re.compile(r"<[^>\n]*>")


def _blank(match: re.Match) -> str:
    return " " * len(match.group(0))


def markdown_citations(text: str, body_line: int, title_line: int = 0, summary_line: int = 0) -> list[tuple[int, str, str]]:
    """(line, raw, normalised) of every number an article's Markdown cites, in order.

    Reads the Title and Summary lines (1-based, 0 for none) and the body from ``body_line``; code
    (fenced, indented, spans), link targets and HTML tags are blanked out first, keeping every line
    and column, so a number split over two lines is still found and reported at its first line.
    """
    lines = text.splitlines()
    kept: list[str] = []
    for number, line in enumerate(lines[: max(body_line - 1, 0)], start=1):
        keep = number in (title_line, summary_line)
        kept.append(line.split(":", 1)[1].rjust(len(line)) if keep and ":" in line else "")
    for _number, line, is_code in markdown_lines(text, body_line):
        if is_code:
            kept.append("")
            continue
        for pattern in (_CODE_SPAN_RE, _AUTOLINK_RE, _LINK_TARGET_RE, _HTML_TAG_RE):
            line = pattern.sub(_blank, line)
        kept.append(line)
    prose = "\n".join(kept)
    starts = [0]
    for line in kept:
        starts.append(starts[-1] + len(line) + 1)
    found = []
    line_index = 0
    for start, _end, raw, key in vntext.find_document_numbers(prose):
        while starts[line_index + 1] <= start:
            line_index += 1
        found.append((line_index + 1, raw, key))
    return found
