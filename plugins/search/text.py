"""Plain text of rendered HTML for the index: words only, phrase breaks where blocks end."""

from __future__ import annotations

from html.parser import HTMLParser

__all__ = ["html_text", "excerpt", "passage_text", "PASSAGE_CHARS"]

# Elements whose start or end ends a phrase: two syllables on either side do not stand together.
_BLOCKS = {
    "p",
    "div",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "tr",
    "td",
    "th",
    "caption",
    "thead",
    "tbody",
    "tfoot",
    "blockquote",
    "pre",
    "figure",
    "figcaption",
    "section",
    "article",
    "aside",
    "header",
    "footer",
    "br",
    "hr",
    "details",
    "summary",
    "address",
}
# Elements whose content is not text a reader sees.
_SKIPPED = {"script", "style", "template", "noscript", "svg", "math", "button", "nav"}


class _TextParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in _SKIPPED:
            self.skipping += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")
        elif tag == "img":
            alt = dict(attrs).get("alt")
            if alt and not self.skipping:
                self.parts.append(f"\n{alt}\n")

    def handle_endtag(self, tag):
        if tag in _SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def html_text(markup: str) -> str:
    """'<p>Một <b>cửa</b></p><p>Hai</p>' -> 'Một cửa\\nHai': block ends become line breaks (phrase
    boundaries for the tokenizer), inline tags vanish, entities are decoded, scripts are dropped."""
    if not markup:
        return ""
    parser = _TextParser()
    parser.feed(markup)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line)


def excerpt(text: str, limit: int = 320) -> str:
    """The first ``limit`` characters of a text on one line, cut at a word, with "…" when cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > limit // 2 else limit].rstrip(" ,;:") + "…"


# How much of a body results take their passage from: a long body's tail is dropped (its passage
# then falls back to the excerpt), so that the ten passage files a query fetches stay small.
PASSAGE_CHARS = 8_000


def passage_text(text: str, limit: int = PASSAGE_CHARS) -> str:
    """The body text search.js takes a result's passage from: its lines (paragraphs, list items,
    cells), whole, until ``limit`` characters."""
    if len(text) <= limit:
        return text
    cut = text.rfind("\n", 0, limit)
    return text[:cut] if cut > 0 else excerpt(text, limit)
