"""The legacy-portal front door: a folder of saved pages -> for each page, the article in it -> the shared pipeline.

Finding the article in a page of an unknown portal is done here, on beautifulsoup4, rather than with
a readability library: the portals are few kinds (SharePoint, Liferay, Oracle WebCenter, table
layouts, PHP CMSs) whose furniture has Vietnamese names ("Các tin khác", "Tin mới nhất", "Lượt truy
cập") that no English-trained extractor knows, the date must be read in Vietnamese forms before the
furniture that holds it is dropped, and the pictures must be resolved against the saved folder with
our own containment rules, not fetched from the web. The method is readability's: drop what is
furniture by its class, id or heading; score each block of text by its length and commas; the
container with the best score, discounted by the share of its text that is links, is the article.
Where a portal's markup defeats that, a profile (profiles/<name>.yaml: CSS selectors as data) says
where the title, date, lead, body, author and tags are, and what else to drop.

Nothing outside the saved folder is read: a picture or attachment whose address leads out of it
(``../``, an absolute path, a symbolic link to elsewhere) is left out with a note.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

import yaml
from bs4 import BeautifulSoup, Comment, Tag

import vntext
from sourcefiles import inside

from .body import Draft, Note, build_draft, one_line

PAGE_EXTENSIONS = (".html", ".htm", ".aspx", ".asp", ".php", ".jsp", ".shtml", ".xhtml")
PROFILES = Path(__file__).resolve().parent / "profiles"
MIN_BODY = 80  # characters of text: less is a list page, a login page or an error page, not an article

_JUNK_RE = re.compile(
    r"(?:^|[\s_-])(?:menu|nav|navbar|navigation|breadcrumbs?|share|sharing|social|print|in-?bai|footer|header-top|banner|sidebar|"
    r"side-?bar|counter|visitors?|thong-?ke|luot-?truy-?cap|comments?|binh-?luan|related|other-?news|tin-?khac|tinkhac|"
    r"tin-?moi|tin-?lien-?quan|login|search|tim-?kiem|toolbar|ribbon|advert|ads|quang-?cao|lien-?ket|weblinks?|s4-ribbonrow|"
    r"ms-breadcrumb|portlet-navigation|taglib-social|pager|pagination)(?:$|[\s_-])",
    re.I,
)
# Headings of the furniture boxes, folded: "Các tin khác", "Tin mới nhất", ...
_FURNITURE_TITLES = {
    "cac tin khac",
    "tin khac",
    "tin moi nhat",
    "tin moi",
    "tin lien quan",
    "tin cung chuyen muc",
    "cac tin da dua",
    "tin da dua",
    "xem nhieu nhat",
    "tin doc nhieu",
    "thong ke truy cap",
    "luot truy cap",
    "dang truy cap",
    "lien ket website",
    "lien ket web",
    "binh luan",
    "y kien ban doc",
    "chia se",
}
# Small lines of furniture inside the article's box: print, share, counters, "back to top".
_FURNITURE_LINE_RE = re.compile(
    r"^(?:in bai(?: viet)?|in trang|gui email|gui bai viet|chia se|luu bai|quay lai|ve dau trang|len dau trang|tro ve|print|"
    r"(?:so )?luot (?:xem|truy cap|doc)\s*:?\s*[\d.,]*|da xem\s*:?\s*[\d.,]*|(?:tong )?(?:so )?luot truy cap\s*:?\s*[\d.,]*|"
    r"dang truy cap\s*:?\s*[\d.,]*|font size.*|co chu.*|\W*)$",
    re.I,
)
_TITLE_CLASS_RE = re.compile(r"title|tieu-?de|headline|heading", re.I)
_DATE_CLASS_RE = re.compile(r"date|time|ngay|publish|posted|created|thoi-?gian", re.I)
_LEAD_CLASS_RE = re.compile(r"sapo|lead|summary|description|intro|tom-?tat|trich-?dan|abstract", re.I)
_AUTHOR_CLASS_RE = re.compile(r"author|tac-?gia|nguon|source|byline|signature", re.I)
_SAVED_FROM_RE = re.compile(r"saved from url=\(\d+\)(\S+)", re.I)


@dataclass
class Page:
    """What was found in one saved page, for the report."""

    path: str  # relative to the saved folder
    draft: Draft | None = None
    problem: str = ""  # why no article was found (a message)
    confidence: str = ""  # "high", "medium", "low"
    old_url: str = ""
    old_url_from: str = ""
    notes: list[Note] = field(default_factory=list)


def load_profiles(folder: Path = PROFILES) -> dict[str, dict]:
    """The per-site profiles, by name: our own files (a broken one is a developer's error, raised)."""
    profiles = {}
    for path in sorted(folder.glob("*.yaml")):
        profile = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        profiles[profile.get("name") or path.stem] = profile
    return profiles


def saved_pages(src: str) -> tuple[list[str], list[str]]:
    """The saved pages under ``src`` (relative paths, in a stable order), and the symbolic links
    found where pages would be (never followed, listed so that nothing is skipped silently)."""
    pages: list[str] = []
    links: list[str] = []
    for root, dirs, files in os.walk(src):  # os.walk does not enter linked folders
        for name in sorted(dirs):
            if os.path.islink(os.path.join(root, name)):
                links.append(os.path.relpath(os.path.join(root, name), src))
        dirs.sort()
        for name in sorted(files):
            full = os.path.join(root, name)
            if not name.lower().endswith(PAGE_EXTENSIONS):
                continue
            (links if os.path.islink(full) else pages).append(os.path.relpath(full, src))
    return pages, sorted(links)


def read_map(path: str) -> dict[str, str]:
    """A --map file: one saved page and its old address a line ("tin/123.html https://..."), '#' comments."""
    found = {}
    with open(path, encoding="utf-8-sig") as handle:
        for line in handle:
            line = line.strip()
            if line.startswith("#"):
                continue
            parts = re.split(r"[\t,;]+|\s+", line, maxsplit=1)
            if len(parts) == 2 and parts[0] and parts[1].strip():
                found[parts[0].replace("\\", "/").lstrip("./")] = parts[1].strip()
    return found


def _classes(element: Tag) -> str:
    return " ".join([*(element.get("class") or []), str(element.get("id") or "")])


def _text(element: Tag) -> str:
    return " ".join(element.get_text(" ").split())


def _folded(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", vntext.fold(vntext.normalize(text)).lower()).split())


def _select_one(soup: Tag, selector: str | None) -> Tag | None:
    if not selector:
        return None
    try:
        return soup.select_one(selector)
    except Exception:  # soupsieve's SelectorSyntaxError: a profile's typo, named in the report
        return None


def choose_profile(soup: BeautifulSoup, profiles: dict[str, dict], wanted: str = "") -> dict | None:
    if wanted:
        return profiles.get(wanted)
    for profile in profiles.values():
        if profile.get("detect") and _select_one(soup, profile["detect"]) is not None:
            return profile
    return None


def _old_url(soup: BeautifulSoup, raw: str, mapped: str) -> tuple[str, str]:
    if mapped:
        return mapped, "--map"
    canonical = soup.find("link", rel="canonical")
    if canonical is not None and str(canonical.get("href") or "").startswith(("http://", "https://")):
        return str(canonical["href"]).strip(), "canonical"
    og = soup.find("meta", property="og:url")
    if og is not None and str(og.get("content") or "").startswith(("http://", "https://")):
        return str(og["content"]).strip(), "og:url"
    saved = _SAVED_FROM_RE.search(raw[:2000])  # what Internet Explorer and Chrome's "Save as" write
    if saved:
        return saved.group(1).strip(), "saved from"
    return "", ""


def _title(soup: BeautifulSoup, profile: dict | None) -> tuple[Tag | None, str, str]:
    chosen = _select_one(soup, (profile or {}).get("title"))
    if chosen is not None and _text(chosen):
        return chosen, _text(chosen), "profile"
    page_title = _text(soup.title) if soup.title else ""
    og = soup.find("meta", property="og:title")
    og_title = " ".join(str(og.get("content") or "").split()) if og is not None else ""
    for heading in soup.find_all(["h1", "h2", "h3", "h4"]):
        text = _text(heading)
        if len(text) >= 10 and ((og_title and _folded(text) == _folded(og_title)) or (page_title and _folded(text) in _folded(page_title))):
            return heading, text, heading.name
    if og_title:
        return None, og_title, "og:title"
    # Table layouts name their headline by a class (tieude, title): the last such element, or heading,
    # before the first long paragraph.
    order = {id(e): n for n, e in enumerate(soup.find_all(True))}
    first_long = next((e for e in soup.find_all(["p", "td", "div"]) if len(_own_text(e)) >= 100), None)
    if first_long is not None:
        before = [
            e
            for e in soup.find_all(True)
            if (e.name in ("h1", "h2", "h3", "h4") or _TITLE_CLASS_RE.search(_classes(e)))
            and 10 <= len(_text(e)) <= 250
            and order[id(e)] < order[id(first_long)]
            and not e.find(["p", "table", "div"])
        ]
        if before:
            return before[-1], _text(before[-1]), "before text"
    first_h1 = soup.find("h1")
    if first_h1 is not None and _text(first_h1):
        return first_h1, _text(first_h1), "h1"
    if page_title:
        return None, re.split(r"\s+[|–-]\s+", page_title)[0], "title"
    return None, "", ""


def _date(soup: BeautifulSoup, profile: dict | None, title: Tag | None) -> tuple[str, str]:
    chosen = _select_one(soup, (profile or {}).get("date"))
    if chosen is not None and vntext.find_datetime(_text(chosen)):
        return _text(chosen), "profile"
    for name in ("article:published_time", "datePublished"):
        meta = soup.find("meta", attrs={"property": name}) or soup.find("meta", attrs={"itemprop": name})
        if meta is not None and meta.get("content"):
            try:
                moment = datetime.fromisoformat(str(meta["content"]).strip().replace("Z", "+00:00"))
            except ValueError:
                continue
            if moment.tzinfo is not None:  # the portal's Date is local time
                moment = moment.astimezone(ZoneInfo("Asia/Ho_Chi_Minh"))
            return vntext.format_datetime(moment, weekday=False), "meta"
    for element in soup.find_all(True):
        if _DATE_CLASS_RE.search(_classes(element)) and len(_text(element)) <= 120 and vntext.find_datetime(_text(element)):
            return _text(element), "class"
    if title is not None:
        for count, string in enumerate(title.find_all_next(string=True)):
            if count > 40:
                break
            text = " ".join(str(string).split())
            if text and len(text) <= 120 and vntext.find_datetime(text):
                return text, "after title"
    return "", ""


def _furniture(soup: BeautifulSoup, keep: list[Tag | None]) -> None:
    """Drop the portal's furniture: boxes named so by class or id, boxes under a furniture heading,
    and small furniture lines; never a box holding what ``keep`` holds (the title, the body)."""
    total = len(_text(soup)) or 1

    def holds_kept(element: Tag) -> bool:
        return any(k is element or element in k.parents for k in keep if k is not None)

    for element in soup.find_all(True):
        if element.parent is None or element.name in ("html", "body"):
            continue
        if _JUNK_RE.search(_classes(element)) and not holds_kept(element) and len(_text(element)) < total * 0.6:
            element.decompose()
    longest = max(len(title) for title in _FURNITURE_TITLES) + 8  # a heading's own words, accents and a colon
    for element in soup.find_all(["h1", "h2", "h3", "h4", "h5", "h6", "strong", "b", "span", "div", "p", "td", "li", "a"]):
        if element.parent is None:
            continue
        heading = _text(element)
        if len(heading) > longest or _folded(heading).rstrip(" :") not in _FURNITURE_TITLES:
            continue
        # The box is the largest element that starts with the heading: the heading and its list.
        box = element
        while box.parent is not None and box.parent.name not in ("body", "html") and _text(box.parent).startswith(heading):
            box = box.parent
        if holds_kept(box) or len(_text(box)) > total * 0.6:
            for sibling in list(element.find_next_siblings()):
                sibling.decompose()
            element.decompose()
        else:
            box.decompose()
    for element in soup.find_all(["p", "div", "span", "a", "li", "td"]):
        if element.parent is not None and not element.find("img") and len(_text(element)) <= 40 and _FURNITURE_LINE_RE.match(_folded(_text(element))):
            if _text(element) or not element.find(True):
                element.decompose()


def _own_text(element: Tag) -> str:
    """The text of an element without that of the blocks inside it."""
    parts = []
    for child in element.children:
        if isinstance(child, Tag):
            if child.name in ("p", "div", "table", "ul", "ol", "td", "tr", "tbody", "h1", "h2", "h3", "h4", "h5", "h6"):
                continue
            parts.append(child.get_text(" "))
        elif not isinstance(child, Comment):
            parts.append(str(child))
    return " ".join(" ".join(parts).split())


def _link_density(element: Tag) -> float:
    text = len(_text(element)) or 1
    return sum(len(_text(a)) for a in element.find_all("a")) / text


def densest_block(soup: BeautifulSoup) -> Tag | None:
    """The container of the article's text, as readability finds it (see the module's docstring)."""
    scores: dict[int, float] = {}
    elements: dict[int, Tag] = {}
    for element in soup.find_all(["p", "li", "pre", "blockquote", "td", "div", "font", "span"]):
        text = _own_text(element)
        if len(text) < 25:
            continue
        score = 1 + text.count(",") + min(len(text) // 100, 3)
        target = element if element.name in ("td", "div") else element.parent
        for weight, holder in ((1.0, target), (0.5, target.parent if target is not None else None)):
            if holder is not None and isinstance(holder, Tag) and holder.name not in ("html", "[document]"):
                scores[id(holder)] = scores.get(id(holder), 0) + score * weight
                elements[id(holder)] = holder
    if not scores:
        return None
    best = max(scores, key=lambda key: scores[key] * (1 - min(_link_density(elements[key]), 1)))
    return elements[best]


def read_page(src: str, relative: str, profiles: dict[str, dict], profile_name: str = "", mapped: str = "") -> Page:
    """The article in one saved page, or the reason there is none."""
    page = Page(relative)
    full = os.path.join(src, relative)
    try:
        with open(full, "rb") as handle:
            raw_bytes = handle.read()
    except OSError as error:
        page.problem = error.strerror or str(error)
        return page
    soup = BeautifulSoup(raw_bytes, "html.parser")  # the page's own charset (meta), else detected
    raw = str(soup)
    profile = choose_profile(soup, profiles, profile_name)
    page.old_url, page.old_url_from = _old_url(soup, raw, mapped)
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    for element in soup.find_all(["script", "style", "noscript", "nav", "footer", "form", "iframe", "header", "aside"]):
        element.decompose()
    for selector in (profile or {}).get("remove") or []:
        for element in soup.select(selector):
            element.decompose()

    title_element, title, title_from = _title(soup, profile)
    date_text, date_from = _date(soup, profile, title_element)
    lead: Tag | None = _select_one(soup, (profile or {}).get("lead"))
    author: Tag | None = _select_one(soup, (profile or {}).get("author"))
    tags = [one_line(_text(a)) for a in soup.select((profile or {}).get("tags") or "a[rel~=tag], .tags a, .tag a, .asset-tags a, .keywords a")]
    body: Tag | None = _select_one(soup, (profile or {}).get("body"))
    body_from = "profile" if body is not None else ""
    if lead is None:
        lead = next((e for e in soup.find_all(["p", "div", "h2", "h3", "h4", "strong"]) if _LEAD_CLASS_RE.search(_classes(e)) and len(_text(e)) >= 30), None)
    if author is None:
        author = next((e for e in soup.find_all(True) if _AUTHOR_CLASS_RE.search(_classes(e)) and 0 < len(_text(e)) <= 60), None)
    summary = _text(lead) if lead is not None else ""
    author_text = _text(author) if author is not None else ""

    if body is None:
        _furniture(soup, [title_element, lead])
        body = densest_block(soup)
        body_from = "densest block"
    if body is None or len(_text(body)) < MIN_BODY or _link_density(body) > 0.5:
        page.problem = "no-article"  # too little text, or mostly links: a list of articles
        return page
    if body.name in ("td", "th", "tr", "tbody"):
        body.name = "div"  # a table layout's cell: its content is the article, not a table
    # What has a key of its own leaves the body: the title, lead and author elements, the date line.
    for own in (title_element, lead, author):
        if own is not None and own is not body and body in own.parents:
            own.decompose()
    if date_text and date_from in ("profile", "class", "after title"):
        for string in list(body.find_all(string=True)):
            holder = string.parent
            if " ".join(str(string).split()) == date_text and holder is not None:
                if len(_text(holder)) <= len(date_text) + 20:
                    holder.decompose()
                else:
                    string.extract()

    page_dir = os.path.dirname(full)
    notes: list[Note] = []

    def fetch(address: str) -> tuple[bytes, str] | None:
        return fetch_saved(src, page_dir, address, page.old_url, notes)

    found = {"title": title_from, "date": date_from, "body": body_from}
    if summary:
        found["summary"] = "profile" if (profile or {}).get("lead") else "class"
    if author_text:
        found["author"] = "profile" if (profile or {}).get("author") else "class"
    page.draft = build_draft(
        body,
        fetch,
        title=title,
        date_text=date_text,
        summary=summary,
        author=author_text,
        tags=tags,
        source=page.old_url or relative,
        base_url=page.old_url,
        found={k: v for k, v in found.items() if v},
    )
    page.draft.notes[:0] = notes
    if profile is not None:
        page.draft.found["profile"] = str(profile.get("name") or "")
    page.confidence = confidence(page.draft, body_from == "profile")
    if not page.draft.title:
        page.problem = "no-title"
    return page


def confidence(draft: Draft, by_profile: bool) -> str:
    """How sure the extraction is: a title from the page's own markup, a date, enough text, little of it links."""
    points = sum(
        [
            draft.found.get("title") in ("profile", "h1", "h2", "h3", "h4", "og:title"),
            draft.date is not None,
            len(draft.body) >= 400,
            by_profile or draft.found.get("body") == "densest block" and draft.body.count("](") <= max(2, len(draft.body) // 400),
        ]
    )
    return "high" if points == 4 or (by_profile and points >= 3) else "medium" if points == 3 else "low"


def fetch_saved(src: str, page_dir: str, address: str, old_url: str, notes: list[Note]) -> tuple[bytes, str] | None:
    """The bytes of a picture or attachment saved with the page, and its name; None (with a note when
    it leads outside the saved folder) when it is not there. An absolute address of the old site is
    looked for where crawlers save it (<src>/<host>/<path> or <src>/<path>)."""
    parts = urlsplit(address.strip())
    path = unquote(parts.path).replace("\\", "/")
    if not path:
        return None
    candidates = []
    if parts.scheme in ("http", "https") or address.startswith("//"):
        old = urlsplit(old_url)
        if old.netloc and parts.netloc and parts.netloc.lower() != old.netloc.lower():
            return None  # another site's file: not saved here, and not ours to copy
        candidates += [os.path.join(src, parts.netloc, path.lstrip("/")), os.path.join(src, path.lstrip("/"))]
    elif parts.scheme:
        return None
    elif path.startswith("/"):
        candidates += [os.path.join(src, path.lstrip("/"))]
    else:
        candidates.append(os.path.join(page_dir, path))
    for candidate in candidates:
        normal = os.path.normpath(candidate)
        if not inside(src, normal):
            notes.append(Note("import-outside", {"src": address[:120]}))
            return None
        if os.path.isfile(normal):
            with open(normal, "rb") as handle:
                return handle.read(), os.path.basename(normal)
    return None
