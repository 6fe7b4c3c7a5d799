"""The shared pipeline: an HTML fragment (from a Word file or a saved page) -> a Draft of an article.

Pure: nothing is read from or written to disk here. Pictures and attachments are fetched through the
``fetch`` callable the front door gives (it alone knows where files may come from); where they will
live under content/ is decided when the draft is written (article.py), so the body keeps a token in
their place until then.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup, Comment, NavigableString, Tag
from markdownify import markdownify

import messages
import vntext

# What Word and the portals leave in text that no reader should get: soft hyphens and zero-width
# characters (invisible, but they split words for search), no-break and narrow spaces (they stop
# lines from wrapping on a phone) and curly quotes (the portal's Markdown writes straight ones; Word's
# AutoFormat curls them, and in a document number or a URL they break it).
_INVISIBLE_RE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
_SPACES_RE = re.compile("[\u00a0\u2007\u202f\u3000\t]")
_QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2018": "'", "\u2019": "'", "\u201a": "'"})
_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")

# Elements whose content is never article text.
_DROPPED = ("script", "style", "noscript", "iframe", "form", "button", "input", "select", "textarea", "object", "embed", "svg", "link", "meta", "head")
# Wrappers that carry only Word's or a CMS's styling: their text stays, the element goes.
_UNWRAPPED = ("span", "font", "o:p", "u", "center", "small", "big", "abbr", "ins", "section", "article", "main")
_BLOCKS = ("p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "td", "th", "blockquote", "figure", "table", "ul", "ol")
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_KEPT_ATTRIBUTES = {"a": {"href"}, "img": {"src", "alt"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}}
ATTACHMENT_EXTENSIONS = (".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".odt", ".ods", ".zip", ".rar")
CAPTION_MAX = 250  # characters: a longer line under a picture is text, not its caption
SIGNATURE_MAX = 60
DATE_LINE_MAX = 90
# A picture's "alt" that Word or a CMS made up, which describes nothing.
_MADE_UP_ALT_RE = re.compile(r"^(?:image|picture|img|anh|hinh|ảnh|hình|photo|dsc|untitled)[\s_-]*\d*(?:\.\w+)?$|\.(?:jpe?g|png|gif|webp|bmp)$", re.I)
# The author's or source line at the end: "T.N", "Minh Anh - Sở Nội vụ", "Nguồn: Báo Tiền Giang".
_SOURCE_PREFIX_RE = re.compile(r"^(?:nguồn|theo|tin, ảnh|tin và ảnh|tin/ảnh|bài, ảnh|tác giả)\s*[:\-–]\s*", re.I)
_INITIALS_RE = re.compile(r"^(?:[A-ZĐÀ-Ỹ]\.){1,4}[A-ZĐÀ-Ỹ]?\.?$")
PICTURE_TOKEN = "IMPORTPICTURE{}X"
FILE_TOKEN = "IMPORTFILE{}X"
_PICTURE_TOKEN_RE = re.compile(r"^IMPORTPICTURE(\d+)X$", re.M)
_FILE_TOKEN_RE = re.compile(r"IMPORTFILE(\d+)X")

Fetch = Callable[[str], "tuple[bytes, str] | None"]


@dataclass
class Note:
    """Something the editor should know about an import: a catalogue key and its values."""

    key: str
    values: dict = field(default_factory=dict)
    level: str = "warning"

    def text(self) -> str:
        return messages.say(self.key, **self.values)


@dataclass
class Asset:
    """A picture or an attachment to copy under content/: its bytes and the name it came with."""

    data: bytes
    name: str
    kind: str  # "images" or "files"
    origin: str  # the address it was found at (src or href)
    alt: str = ""
    caption: str = ""
    path: str = ""  # under content/ once placed: images/2020/anh.jpg


@dataclass
class Draft:
    """An article found in a document, not yet written."""

    title: str
    date: datetime | None
    has_time: bool
    summary: str
    body: str  # Markdown; pictures and attachments as tokens until placed
    author: str = ""
    tags: list[str] = field(default_factory=list)
    image: Asset | None = None
    pictures: list[Asset] = field(default_factory=list)
    attachments: list[Asset] = field(default_factory=list)
    source: str = ""  # the old address or the file it came from (front matter ImportedFrom)
    # An old address names one page; a Word file's name ("thong-cao.docx") may name many documents.
    source_unique: bool = True
    notes: list[Note] = field(default_factory=list)
    found: dict[str, str] = field(default_factory=dict)  # what was found, and how: for the report

    def markdown(self) -> str:
        """The body with the placed pictures and attachments' addresses in place of their tokens."""

        def picture(match: re.Match) -> str:
            asset = self.pictures[int(match.group(1))]
            line = f"![{_escape_alt(asset.alt)}](/{asset.path})"
            return line + (f"\n*{_escape_emphasis(asset.caption)}*" if asset.caption else "")

        text = _PICTURE_TOKEN_RE.sub(picture, self.body)
        return _FILE_TOKEN_RE.sub(lambda m: "/" + self.attachments[int(m.group(1))].path, text)


def clean_text(text: str) -> str:
    """Text as the portal keeps it: Word's leftovers out, NFC, one tone placement (vntext)."""
    text = _INVISIBLE_RE.sub("", text)
    text = _CONTROL_RE.sub(" ", _SPACES_RE.sub(" ", text)).translate(_QUOTES)
    return vntext.normalize(text)


def one_line(text: str) -> str:
    return " ".join(clean_text(text).split())


def _escape_alt(text: str) -> str:
    return text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")


def _escape_emphasis(text: str) -> str:
    return text.replace("\\", "\\\\").replace("*", "\\*").replace("_", "\\_")


def _text(element: Tag) -> str:
    return " ".join(element.get_text(" ").split())


def _leaf_blocks(root: Tag) -> list[Tag]:
    """Blocks holding text directly (no block inside), in document order: the paragraphs as read."""
    return [b for b in root.find_all(_BLOCKS) if not b.find(_BLOCKS) and b.name not in ("table", "ul", "ol")]


def _is_picture_only(block: Tag) -> bool:
    return block.find("img") is not None and not _text(block)


def _emphasised(block: Tag) -> bool:
    """The whole text of the block is italic (how portals and Word write a caption)."""
    text = _text(block)
    italic = " ".join(_text(e) for e in block.find_all(["em", "i"]) if e.find_parent(["em", "i"]) is None)
    return bool(text) and " ".join(italic.split()) == text


def _looks_like_caption(block: Tag) -> bool:
    text = _text(block)
    if not text or len(text) > CAPTION_MAX or block.find("img"):
        return False
    if len(" ".join(_text(a) for a in block.find_all("a"))) * 2 > len(text):
        return False  # a line of links ("tải về", the next article) is no caption
    classes = " ".join(block.get("class") or []).lower()
    style = str(block.get("style") or "").replace(" ", "").lower()
    marked = "caption" in classes or "chuthich" in classes or "chu-thich" in classes or "text-align:center" in style or block.get("align") == "center"
    return marked or _emphasised(block) or len(text) <= 160


def _next_block(element: Tag) -> Tag | None:
    sibling = element.find_next_sibling()
    while sibling is not None and isinstance(sibling, Tag) and not _text(sibling) and not sibling.find("img"):
        sibling = sibling.find_next_sibling()
    return sibling if isinstance(sibling, Tag) else None


def _picture_box(img: Tag) -> tuple[Tag, Tag | None, str]:
    """The element that holds a picture (it is replaced by the picture), the element holding its
    caption (removed) and the caption's text."""
    figure = img.find_parent("figure")
    if figure is not None:
        caption = figure.find("figcaption")
        return figure, None, _text(caption) if caption else ""
    table = img.find_parent("table")
    if table is not None and len(table.find_all("tr")) <= 3 and len(table.find_all("img")) == 1 and len(_text(table)) <= CAPTION_MAX:
        # A picture in a one-column table, its caption in the row below: how table layouts and
        # SharePoint's rich text editor frame a picture.
        return table, None, _text(table)
    block = img.find_parent(_BLOCKS)
    if block is None or not _is_picture_only(block) or len(block.find_all("img")) != 1:
        return img, None, ""
    inner = [c for c in block.find_all(True) if c.name != "img" and c.find("img") is None]
    below = _next_block(block)
    if below is not None and below.name in ("p", "div") and not inner and _looks_like_caption(below):
        return block, below, _text(below)
    return block, None, ""


def _alt(img: Tag, caption: str) -> str:
    alt = one_line(str(img.get("alt") or img.get("title") or ""))
    if not alt or _MADE_UP_ALT_RE.search(alt) or alt == caption:
        return ""
    return alt


def _name_from(address: str, fallback: str) -> str:
    path = urlsplit(address).path
    return path.rsplit("/", 1)[-1] or fallback


def _signature(text: str) -> str:
    """The author's or source line, when the last paragraph is one: short, no sentence."""
    stripped = _SOURCE_PREFIX_RE.sub("", text).strip()
    if not stripped or len(text) > SIGNATURE_MAX or len(stripped.split()) > 8:
        return ""
    if _SOURCE_PREFIX_RE.match(text) or _INITIALS_RE.match(stripped.replace(" ", "")):
        return stripped
    if stripped[-1] in ".:;!?" or not stripped[0].isupper():
        return ""
    # "Minh Anh - Sở Nội vụ", "Thanh Tâm": every word capitalised but the agency's.
    words = stripped.replace("-", " ").replace("–", " ").split()
    return stripped if words and sum(w[0].isupper() for w in words) * 2 >= len(words) else ""


def build_draft(
    fragment: str | Tag,
    fetch: Fetch,
    *,
    title: str = "",
    date_text: str = "",
    summary: str = "",
    author: str = "",
    tags: list[str] | None = None,
    source: str = "",
    base_url: str = "",
    found: dict[str, str] | None = None,
) -> Draft:
    """The article in an HTML fragment: what the front door knows (``title``, ``date_text``, ...)
    is taken as given; what it does not is looked for in the fragment, and removed from the body
    once it has a key of its own (the title, the date line, the lead, the author's line, the lead
    picture). ``fetch(address)`` gives a picture's or attachment's bytes and name, or None."""
    soup = BeautifulSoup(str(fragment), "html.parser")
    notes: list[Note] = []
    found = dict(found or {})
    for element in soup.find_all(_DROPPED):
        element.decompose()
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    for node in list(soup.find_all(string=True)):
        if isinstance(node, NavigableString) and not isinstance(node, Comment):
            cleaned = clean_text(str(node))
            if cleaned != str(node):
                node.replace_with(cleaned)

    title = one_line(title)
    blocks = _leaf_blocks(soup)
    if title:
        for block in blocks[:3]:
            if _text(block) == title or _text(block).rstrip(".") == title:
                block.decompose()  # the portal repeats its headline in the article's box
                break
    else:
        heading = soup.find(_HEADINGS)
        first = next((b for b in blocks if _text(b)), None)
        if heading is not None and _text(heading):
            title, how = _text(heading), "heading"
            heading.decompose()
        elif first is not None and len(_text(first)) <= 200 and _text(first) == " ".join(_text(b) for b in first.find_all(["strong", "b"])):
            title, how = _text(first), "bold line"
            first.decompose()
        else:
            how = ""
        if title:
            found.setdefault("title", how)

    match = vntext.find_datetime(clean_text(date_text)) if date_text else None
    if match is None:
        blocks = [b for b in _leaf_blocks(soup) if _text(b)]
        for block in blocks[:3] + blocks[-2:]:
            text = _text(block)
            if len(text) <= DATE_LINE_MAX and block.parent is not None:
                match = vntext.find_datetime(text)
                if match is not None:
                    block.decompose()  # the document's date line becomes Date
                    found.setdefault("date", "text")
                    break
    else:
        found.setdefault("date", "given")

    if not author:
        blocks = [b for b in _leaf_blocks(soup) if _text(b)]
        if len(blocks) > 1 and blocks[-1].name in ("p", "div"):
            author = _signature(_text(blocks[-1]))
            if author:
                blocks[-1].decompose()
                found.setdefault("author", "last line")
    author = _SOURCE_PREFIX_RE.sub("", one_line(author))

    pictures: list[Asset] = []
    image: Asset | None = None
    for img in soup.find_all("img"):
        if img.parent is None:
            continue  # inside a box already replaced
        src = str(img.get("src") or "").strip()
        fetched = fetch(src) if src and not src.startswith("data:") else None
        box, caption_block, caption = _picture_box(img)
        caption = one_line(caption)
        if fetched is None:
            # Its caption goes with it: a caption under no picture reads as a stray line.
            notes.append(Note("import-picture-missing", {"src": src[:120] or "-"}))
            if caption_block is not None:
                caption_block.decompose()
            box.decompose()
            continue
        asset = Asset(fetched[0], fetched[1] or _name_from(src, "anh.jpg"), "images", src, _alt(img, caption), caption)
        if caption_block is not None:
            caption_block.decompose()
        marker = soup.new_tag("p")
        if image is None:
            image = asset  # the first picture is the lead picture: Image, ImageAlt, ImageCaption
        else:
            marker.string = PICTURE_TOKEN.format(len(pictures))
            pictures.append(asset)
        box.replace_with(marker)

    attachments: list[Asset] = []
    for link in soup.find_all("a"):
        href = str(link.get("href") or "").strip()
        lowered = urlsplit(href).path.lower()
        if lowered.endswith(ATTACHMENT_EXTENSIONS):
            fetched = fetch(href)
            if fetched is not None:
                link["href"] = FILE_TOKEN.format(len(attachments))
                attachments.append(Asset(fetched[0], fetched[1] or _name_from(href, "tep"), "files", href))
                continue
            notes.append(Note("import-file-missing", {"href": href[:120]}))
        if not href or href.startswith(("#", "javascript:", "mailto:javascript")):
            link.unwrap()
        elif base_url and not urlsplit(href).scheme:
            link["href"] = urljoin(base_url, href)
        elif not urlsplit(href).scheme and not href.startswith("/"):
            link.unwrap()  # a relative address of the old site, with no site to resolve it against

    for element in soup.find_all(True):
        kept = _KEPT_ATTRIBUTES.get(element.name, set())
        element.attrs = {k: v for k, v in element.attrs.items() if k in kept}
    for element in soup.find_all(_UNWRAPPED):
        element.unwrap()
    # Headings: the title is the page's h1, so the body's start at h2.
    if soup.find("h1") is not None:
        for heading in soup.find_all(_HEADINGS):
            heading.name = f"h{min(int(heading.name[1]) + 1, 6)}"
    for block in reversed(soup.find_all(["p", "div", "li", "blockquote", *_HEADINGS, "strong", "b", "em", "i"])):
        if not block.get_text(strip=True) and block.find(["img", "br", "table"]) is None:
            block.decompose()

    if not summary:
        lead = next((b for b in _leaf_blocks(soup) if b.name in ("p", "div") and _text(b) and not _text(b).startswith("IMPORT")), None)
        if lead is not None and lead.find_parent(["table", "ul", "ol"]) is None:
            summary = _text(lead)
            lead.decompose()
            found.setdefault("summary", "first paragraph")
    summary = one_line(summary)

    markdown = markdownify(str(soup), heading_style="ATX", bullets="-", strong_em_symbol="*", table_infer_header=True, escape_misc=False)
    lines = [line.rstrip() for line in markdown.splitlines()]
    body = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"
    if not body.strip():
        body = ""
    if image is not None and not image.alt:
        notes.append(Note("import-lead-picture-no-alt", {"name": image.name}))
    for asset in pictures:
        if not asset.alt:
            notes.append(Note("import-picture-no-alt", {"name": asset.name}))
    return Draft(
        title=title,
        date=match.moment if match else None,
        has_time=bool(match and match.has_time),
        summary=summary,
        body=body,
        author=author,
        tags=[one_line(t) for t in (tags or []) if one_line(t)],
        image=image,
        pictures=pictures,
        attachments=attachments,
        source=source,
        notes=notes,
        found=found,
    )
