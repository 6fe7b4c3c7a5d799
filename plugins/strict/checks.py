"""Content checks that need no build: every article and page's front matter against the site data.

Pure functions from files and settings to a list of Problems, so the build (this plugin) and an
editor's `invoke check` report the same things with the same words.
"""

from __future__ import annotations

import functools
import os
import re
from datetime import datetime

import vntext
from sitedata.model import generated_prefixes
from sourcefiles import Problem, display_path, markdown_files, read_front_matter, read_text

ARTICLE_KEYS = {
    "title", "date", "modified", "category", "topics", "tags", "slug", "author", "authors", "summary",
    "image", "imagealt", "imagecaption", "featured", "attachments", "status", "lang", "template",
    "related", "relatedexclude",
}
PAGE_KEYS = {"title", "slug", "summary", "status", "lang", "template", "date", "modified", "author", "image", "imagealt", "imagecaption"}
STATUSES = {"published", "draft", "hidden"}
YES_NO = {"yes": True, "no": False, "true": True, "false": False, "có": True, "không": False}
LANGS = {"vi", "en"}
_DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$")
_SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DATE_HINT = "use YYYY-MM-DD HH:MM, e.g. 2024-03-20 16:00"
TITLE_MAX = 150
# Markdown links and pictures: [text](target "title") and ![alt](target).
_LINK_RE = re.compile(r"(!?)\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")


def parse_date(text: str) -> datetime | None:
    """The one date form the portal accepts; None when it is not a real date."""
    match = _DATE_RE.match(text.strip())
    if not match:
        return None
    parts = [int(p) if p else 0 for p in match.groups()]
    try:
        return datetime(*parts)
    except ValueError:
        return None


def split_list(value: str | None) -> list[str]:
    return [item.strip() for item in (value or "").split(",") if item.strip()]


def theme_templates(settings: dict) -> set[str]:
    """Names a Template: line may give: the theme's page templates (partials start with "_")."""
    folder = os.path.join(settings.get("THEME") or "theme", "templates")
    return _templates_in(os.path.abspath(folder))


@functools.lru_cache(maxsize=8)
def _templates_in(folder: str) -> frozenset[str]:
    try:
        names = os.listdir(folder)
    except OSError:
        return frozenset()
    return frozenset(name[: -len(".html")] for name in names if name.endswith(".html") and not name.startswith("_"))


def _check_common(meta, shown, problems, allowed_keys, settings):
    for key, line in meta.lines.items():
        if key not in allowed_keys:
            known = ", ".join(sorted(k.capitalize() for k in allowed_keys))
            problems.append(Problem(shown, line, f'unknown key "{key}"; is it misspelt? Known keys: {known}', "warning"))
    title = meta.get("title")
    if not title:
        problems.append(Problem(shown, meta.line("title") if "title" in meta.values else 1, 'missing "Title: ..." (the headline readers see)'))
    else:
        if len(title) > TITLE_MAX:
            problems.append(Problem(shown, meta.line("title"), f"the title has {len(title)} characters; keep it under {TITLE_MAX} so it fits in lists and search results", "warning"))
        old = mixed_tone_words(title)
        if old:
            fixed = ", ".join(f"{w} -> {vntext.normalize(w)}" for w in old)
            problems.append(Problem(shown, meta.line("title"), f"the title writes tone marks in the old placement ({fixed}); the portal writes the new one", "warning"))
    slug = meta.get("slug")
    if slug is not None and not _SLUG_RE.match(slug):
        problems.append(Problem(shown, meta.line("slug"), f'Slug "{slug}" must be lower-case ASCII words joined by hyphens, e.g. "{vntext.slugify(slug) or "ke-hoach-cchc-2024"}"'))
    elif slug is not None and len(slug) > vntext.SLUG_MAX:
        problems.append(Problem(shown, meta.line("slug"), f"Slug has {len(slug)} characters; keep it under {vntext.SLUG_MAX} (it becomes a folder name, and file systems refuse long ones)"))
    elif slug is None and title and not vntext.slugify(title):
        problems.append(Problem(shown, meta.line("title"), f'the title "{title}" has no letters or digits to make an address from; add a line "Slug: ..." (lower-case words joined by hyphens, e.g. Slug: hoi-nghi-cchc-2024)'))
    template = meta.get("template")
    if template is not None and template not in theme_templates(settings):
        known = ", ".join(sorted(theme_templates(settings)))
        problems.append(Problem(shown, meta.line("template"), f'Template "{template}" is not a template of the theme; remove the line or use one of: {known}'))
    status = meta.get("status")
    if status is not None and status.lower() not in STATUSES:
        problems.append(Problem(shown, meta.line("status"), f'Status "{status}" is not one of published, draft, hidden'))
    lang = meta.get("lang")
    if lang is not None and lang not in LANGS:
        problems.append(Problem(shown, meta.line("lang"), f'Lang "{lang}" is not one of {", ".join(sorted(LANGS))}'))
    for key in ("date", "modified"):
        value = meta.get(key)
        if value is not None and parse_date(value) is None:
            problems.append(Problem(shown, meta.line(key), f'{key.capitalize()} "{value}" is not a date ({DATE_HINT})'))
    return slug or (vntext.slugify(title) if title else None)


def mixed_tone_words(text: str) -> list[str]:
    """Words written with the other tone placement (hoá, Uỷ), in order, once each."""
    found = []
    for word in re.findall(r"\w+", text):
        if vntext.has_mixed_tone_placement(word) and word not in found:
            found.append(word)
    return found


def _check_file(content_path, shown, line, key, value, problems, what):
    relative = value.lstrip("/")
    if relative.startswith("{static}"):
        relative = relative[len("{static}"):].lstrip("/")
    if not os.path.isfile(os.path.join(content_path, relative)):
        problems.append(Problem(shown, line, f'{key} "{value}": {what} not found under {display_path(content_path)}/; add the file or fix the path'))


def check_article(path: str, settings: dict, meta=None) -> tuple[list[Problem], str | None]:
    """Problems in one article's front matter, and its effective slug."""
    meta = meta or read_front_matter(path)
    shown = display_path(path)
    problems = list(meta.problems)
    if meta.unreadable:
        return problems, None
    content_path = settings["PATH"]
    slug = _check_common(meta, shown, problems, ARTICLE_KEYS, settings)
    sections = settings["SECTIONS_BY_ID"]
    topics = settings["TOPICS_BY_ID"]

    date = None
    if meta.get("date") is None:
        problems.append(Problem(shown, 1, f'missing "Date: ..." ({DATE_HINT})'))
    else:
        date = parse_date(meta.get("date"))
    modified = parse_date(meta.get("modified") or "")
    if date and modified and modified < date:
        problems.append(Problem(shown, meta.line("modified"), f"Modified {meta.get('modified')} is before Date {meta.get('date')}", "warning"))

    # articles/<section>/<year>/<file>.md: the folder is the section.
    parts = os.path.relpath(path, os.path.join(content_path, "articles")).split(os.sep)
    folder_section = parts[0] if len(parts) > 1 else None
    category = meta.get("category")
    known = ", ".join(sorted(sections))
    if folder_section is None:
        problems.append(Problem(shown, 0, f"an article must be in a section folder: content/articles/<section>/<year>/ (sections: {known})"))
    elif folder_section not in sections:
        problems.append(Problem(shown, 0, f'folder "{folder_section}" is not a section in content/data/sections.yaml; move the file into one of: {known}'))
    if category is not None and category not in sections:
        problems.append(Problem(shown, meta.line("category"), f'Category "{category}" is not a section in content/data/sections.yaml; use one of: {known}'))
    elif category is not None and folder_section in sections and category != folder_section:
        problems.append(Problem(shown, meta.line("category"), f'Category "{category}" differs from the folder "{folder_section}"; move the file or fix the Category'))
    if date and len(parts) > 2 and parts[1].isdigit() and int(parts[1]) != date.year:
        problems.append(Problem(shown, meta.line("date"), f"the file is in the {parts[1]} folder but dated {date.year}; move it to {parts[0]}/{date.year}/", "warning"))

    for topic in split_list(meta.get("topics")):
        if topic not in topics:
            problems.append(Problem(shown, meta.line("topics"), f'topic "{topic}" is not in content/data/topics.yaml; use one of: {", ".join(topics)}'))

    image = meta.get("image")
    if image:
        _check_file(content_path, shown, meta.line("image"), "Image", image, problems, "picture")
        if not meta.get("imagealt"):
            problems.append(Problem(shown, meta.line("image"), 'a picture needs "ImageAlt: ..." describing it for readers who cannot see it'))
        if not meta.get("imagecaption"):
            problems.append(Problem(shown, meta.line("image"), 'picture without "ImageCaption: ..."; readers expect a caption', "warning"))
    limit_mb = settings.get("ATTACHMENT_MAX_MB", 20)
    for attachment in split_list(meta.get("attachments")):
        _check_file(content_path, shown, meta.line("attachments"), "Attachment", attachment, problems, "file")
        full = os.path.join(content_path, attachment.lstrip("/"))
        if os.path.isfile(full) and os.path.getsize(full) > limit_mb * 1024 * 1024:
            size = vntext.format_number(os.path.getsize(full) / 1024 / 1024, 1)
            problems.append(Problem(shown, meta.line("attachments"), f'Attachment "{attachment}" is {size} MB, over the {limit_mb} MB limit; compress it or publish a smaller version', "warning"))
    now = settings.get("CHECK_NOW") or datetime.now(_local_zone(settings)).replace(tzinfo=None)
    if date and date > now:
        problems.append(Problem(shown, meta.line("date"), f"Date {meta.get('date')} is in the future; the article will be listed as if already published", "warning"))

    featured = meta.get("featured")
    if featured is not None and featured.lower() not in YES_NO:
        problems.append(Problem(shown, meta.line("featured"), f'Featured "{featured}" must be yes or no'))
    if not meta.get("summary"):
        problems.append(Problem(shown, 1, 'no "Summary: ..."; the lead paragraph is taken from the text', "warning"))
    # Tags whose page would get no address (a tag of only punctuation or emoji): the sections plugin's check.
    from sections import check_tags

    problems += check_tags(meta, shown, settings)
    return problems, slug


def _local_zone(settings):
    from zoneinfo import ZoneInfo

    return ZoneInfo(settings.get("TIMEZONE") or "Asia/Ho_Chi_Minh")


def check_links(path: str, body_start: int, text: str, known_urls: set[str], content_path: str) -> list[Problem]:
    """Internal links and pictures in the Markdown body that lead nowhere (warnings, with lines)."""
    problems = []
    shown = display_path(path)
    lines = text.splitlines()
    for number in range(body_start, len(lines) + 1):
        for bang, target in _LINK_RE.findall(lines[number - 1]):
            if target.startswith(("http://", "https://", "mailto:", "tel:", "#", "//")):
                continue
            target = target.split("#")[0].split("?")[0]
            if target.startswith("{static}") or target.startswith("{attach}"):
                target = "/" + target.split("}", 1)[1].lstrip("/")
            elif target.startswith("{filename}"):
                relative = target[len("{filename}"):].lstrip("/")
                if not os.path.isfile(os.path.join(content_path, relative)) and not os.path.isfile(os.path.join(os.path.dirname(path), relative)):
                    problems.append(Problem(shown, number, f'link to "{target}": no such file; check the path', "warning"))
                continue
            if not target.startswith("/"):
                problems.append(Problem(shown, number, f'link "{target}" is relative; write site addresses from the root, e.g. /2024/03/ten-bai/', "warning"))
                continue
            what = "picture" if bang else "page"
            if os.path.isfile(os.path.join(content_path, target.lstrip("/"))):
                continue
            normal = target if target.endswith("/") or "." in target.rsplit("/", 1)[-1] else target + "/"
            if normal not in known_urls:
                problems.append(Problem(shown, number, f'{what} "{target}" does not exist on the site; check the address (articles are at /YYYY/MM/slug/)', "warning"))
    return problems


def site_urls(settings: dict, articles: list[tuple[str, datetime | None, str]], pages: list[tuple[str, str]]) -> set[str]:
    """The addresses the build will write for these articles and pages, plus the generated lists."""
    urls = {"/"}
    for slug, date, lang in articles:
        if slug and date:
            urls.add("/" + settings["ARTICLE_URL"].format(slug=slug, date=date, lang=lang))
            urls.add("/" + settings["ARCHIVE_MONTH_URL"].format(date=date))
            urls.add("/" + settings["ARCHIVE_YEAR_URL"].format(date=date))
    for slug, lang in pages:
        key = "PAGE_URL" if lang == "vi" else "PAGE_LANG_URL"
        urls.add("/" + settings[key].format(slug=slug, lang=lang))
    for section in settings["SECTIONS_BY_ID"].values():
        urls.add("/" + section.url)
    for topic in settings["TOPICS_BY_ID"].values():
        urls.add("/" + topic.url)
    for key in ("ARCHIVES_URL", "TAGS_URL", "TOPICS_INDEX_URL"):
        if settings.get(key):
            urls.add("/" + settings[key])
    return urls


def check_page(path: str, settings: dict, meta=None) -> tuple[list[Problem], str | None]:
    meta = meta or read_front_matter(path)
    shown = display_path(path)
    problems = list(meta.problems)
    if meta.unreadable:
        return problems, None
    slug = _check_common(meta, shown, problems, PAGE_KEYS, settings)
    lang = meta.get("lang") or "vi"
    made = "" if meta.get("slug") else " (made from the title)"
    line = meta.line("slug") if meta.get("slug") else meta.line("title")
    if slug and lang == "vi" and slug in settings["SECTIONS_BY_ID"]:
        problems.append(Problem(shown, line, f'Slug "{slug}" is also a section id{made}; the page would replace the section page at /{slug}/; give the page another "Slug: ..."'))
    elif slug and lang == "vi" and (slug in generated_prefixes(settings) or slug.isdigit()):
        problems.append(Problem(shown, line, f'Slug "{slug}"{made} is an address the site uses for its own pages (/{slug}/); give the page another "Slug: ..."'))
    return problems, slug


def check_content(settings: dict, links: bool = False) -> list[Problem]:
    """Every problem in the articles and pages, errors and warnings, in file order.

    With ``links``, the Markdown bodies are read too and internal links and pictures that lead
    nowhere are reported (what `invoke check` does; the build leaves that to Pelican's own warnings).
    """
    problems: list[Problem] = []
    content_path = settings["PATH"]
    seen: dict[tuple, str] = {}
    articles, pages, metas = [], [], []

    def remember(kind, slug, lang, path, line):
        if not slug:
            return
        key = (kind, lang, slug)
        if key in seen:
            problems.append(Problem(display_path(path), line, f'slug "{slug}" is already used by {seen[key]}; two {kind}s cannot share an address, change one Slug or Title'))
        else:
            seen[key] = display_path(path)

    kinds = (("article", "ARTICLE_PATHS", ["articles"], check_article), ("page", "PAGE_PATHS", ["pages"], check_page))
    for kind, setting, default, check in kinds:
        for folder in settings.get(setting, default):
            for path in markdown_files(os.path.join(content_path, folder)):
                meta = read_front_matter(path)
                found, slug = check(path, settings, meta)
                problems += found
                lang = meta.get("lang") or "vi"
                remember(kind, slug, lang, path, meta.line("slug") if meta.get("slug") else meta.line("title"))
                if kind == "article":
                    articles.append((slug, parse_date(meta.get("date") or ""), lang))
                else:
                    pages.append((slug, lang))
                metas.append((path, meta))
    if links:
        known = site_urls(settings, articles, pages)
        for path, meta in metas:
            if meta.unreadable:
                continue
            problems += check_links(path, meta.body_line, read_text(path), known, content_path)
    return problems
