"""Content checks that need no build: every article and page's front matter against the site data.

Pure functions from files and settings to a list of Problems, so the build (this plugin) and an
editor's `invoke check` report the same things with the same words.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Set as AbstractSet
from datetime import datetime

from pelican.settings import DEFAULT_CONFIG
from pelican.utils import slugify
from sitefiles import split_title, title_problem

import messages
import vntext
from sourcefiles import (
    PLACEHOLDER_BODY,
    Problem,
    content_relative,
    display_path,
    generated_prefixes,
    inside,
    leads_outside,
    markdown_files,
    read_front_matter,
    read_source,
    read_text,
    split_list,
    yes_no,
)

ARTICLE_KEYS = {
    "title",
    "date",
    "modified",
    "category",
    "topics",
    "tags",
    "slug",
    "author",
    "authors",
    "summary",
    "image",
    "imagealt",
    "imagecaption",
    "featured",
    "attachments",
    "status",
    "lang",
    "template",
    "related",
    "relatedexclude",
    "importedfrom",  # where ./portal import-docx or import-html took the article from (plugins/importing)
}
# Front-matter keys as editors write them (the guide's spelling), for messages: ImageAlt, not "Imagealt".
KEY_NAMES = {key: key.capitalize() for key in ARTICLE_KEYS} | {"imagealt": "ImageAlt", "imagecaption": "ImageCaption", "relatedexclude": "RelatedExclude"}
# A front-matter file that does not exist, by key.
_MISSING_MESSAGES = {"Image": "image-missing", "Attachment": "attachment-missing"}
_BODY_MISSING = {"picture": "body-picture-missing", "link": "body-link-missing"}
_SLUG_TAKEN = {"article": "slug-taken-article", "page": "slug-taken-page"}
PAGE_KEYS = {"title", "slug", "summary", "status", "lang", "template", "date", "modified", "author", "image", "imagealt", "imagecaption"}
STATUSES = {"published", "draft", "hidden"}
LANGS = {"vi", "en"}
_DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$")
_SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
TITLE_MAX = 150
# Addresses in a Markdown body: inline links and pictures, [text](target "title") and
# ![alt](<target>); reference definitions, [id]: target; and raw HTML attributes that Pelican and
# the browser read as addresses. Code (fenced blocks, `spans`) is blanked out first.
_LINK_RE = re.compile(r"(!?)\[(?:[^\[\]\n]|\[[^\]\n]*\])*\]\(\s*(<[^>\n]*>|[^)\s]+)(?:\s+(?:\"[^\"\n]*\"|'[^'\n]*'|\([^)\n]*\)))?\s*\)")
_REFERENCE_RE = re.compile(r"^ {0,3}\[[^\]\n]+\]:[ \t]*(<[^>\n]*>|\S+)", re.M)
_TAG_RE = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)\b([^>]*)>?")
_ATTRIBUTE_RE = re.compile(r"""(?:^|\s)(src|href|srcset|poster|data|cite|action|formaction)\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+)""", re.I)
_PICTURE_TAGS = {"img", "source", "picture", "video"}
_FENCE_RE = re.compile(r"^ {0,3}(```+|~~~+).*?(?:^ {0,3}\1[ \t]*$|\Z)", re.M | re.S)
_CODE_SPAN_RE = re.compile(r"(`+)[^\n]*?\1")
# Names of published files (STATIC_PATHS) that are addresses as they are: no spaces (srcset splits
# on them), no letters that need encoding (and whose composed and decomposed forms differ on disk).
_SAFE_NAME_RE = re.compile(r"^[A-Za-z0-9._-]+$")


def parse_date(text: str) -> datetime | None:
    """The one date form the portal accepts; None when it is not a real date."""
    match = _DATE_RE.match(text.strip())
    if not match:
        return None
    year, month, day, hour, minute, second = (int(p) if p else 0 for p in match.groups())
    try:
        return datetime(year, month, day, hour, minute, second)
    except ValueError:
        return None


def theme_templates(settings: dict) -> frozenset[str]:
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
            known = ", ".join(sorted(KEY_NAMES[k] for k in allowed_keys))
            problems.append(Problem(shown, line, messages.say("key-unknown", key=key, known=known), "warning"))
    title = meta.get("title")
    if not title:
        problems.append(Problem(shown, meta.line("title") if "title" in meta.values else 1, messages.say("title-missing")))
    else:
        if len(title) > TITLE_MAX:
            problems.append(Problem(shown, meta.line("title"), messages.say("title-too-long", length=len(title), limit=TITLE_MAX), "warning"))
        old = mixed_tone_words(title)
        if old:
            fixed = ", ".join(f"{w} -> {vntext.normalize(w)}" for w in old)
            problems.append(Problem(shown, meta.line("title"), messages.say("title-old-tone-marks", fixed=fixed), "warning"))
    slug = meta.get("slug")
    if slug is not None and not _SLUG_RE.match(slug):
        problems.append(Problem(shown, meta.line("slug"), messages.say("slug-invalid", slug=slug, example=vntext.slugify(slug) or "ke-hoach-cchc-2024")))
    elif slug is not None and len(slug) > vntext.SLUG_MAX:
        problems.append(Problem(shown, meta.line("slug"), messages.say("slug-too-long", length=len(slug), limit=vntext.SLUG_MAX)))
    elif slug is None and title and not vntext.slugify(title):
        problems.append(Problem(shown, meta.line("title"), messages.say("title-no-address", title=title)))
    template = meta.get("template")
    if template is not None and template not in theme_templates(settings):
        known = ", ".join(sorted(theme_templates(settings)))
        problems.append(Problem(shown, meta.line("template"), messages.say("template-unknown", template=template, known=known)))
    status = meta.get("status")
    if status is not None and status.lower() not in STATUSES:
        problems.append(Problem(shown, meta.line("status"), messages.say("status-unknown", status=status)))
    lang = meta.get("lang")
    if lang is not None and lang not in LANGS:
        problems.append(Problem(shown, meta.line("lang"), messages.say("lang-unknown", lang=lang, known=", ".join(sorted(LANGS)))))
    for key in ("date", "modified"):
        value = meta.get(key)
        if value is not None and parse_date(value) is None:
            problems.append(Problem(shown, meta.line(key), messages.say("date-invalid", key=KEY_NAMES[key], value=value)))
    return slug or (vntext.slugify(title) if title else None)


def mixed_tone_words(text: str) -> list[str]:
    """Words written with the other tone placement (hoá, Uỷ), in order, once each."""
    found = []
    for word in re.findall(r"\w+", text):
        if vntext.has_mixed_tone_placement(word) and word not in found:
            found.append(word)
    return found


# What leads outside the content folder: the front-matter key or the kind of body address.
_OUTSIDE_MESSAGES = {"Image": "outside-image", "Attachment": "outside-attachment", "picture": "outside-picture", "link": "outside-link"}


def _outside(content_path, shown, line, what, value) -> Problem:
    """A path that leads out of the content folder: never read, copied or written by the build."""
    root = display_path(content_path)
    return Problem(shown, line, messages.say(_OUTSIDE_MESSAGES[what], value=value, root=root))


def _escapes(content_path, relative) -> bool:
    return leads_outside(relative) or not inside(content_path, os.path.join(content_path, relative))


def _check_file(content_path, shown, line, key, value, problems):
    target = content_relative(value)
    if target and _escapes(content_path, target):
        problems.append(_outside(content_path, shown, line, key, value))
        return
    relative = value.lstrip("/")
    if relative.startswith("{static}"):
        relative = relative[len("{static}") :].lstrip("/")
    if not os.path.isfile(os.path.join(content_path, relative)):
        problems.append(Problem(shown, line, messages.say(_MISSING_MESSAGES[key], value=value, root=display_path(content_path))))


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
        problems.append(Problem(shown, 1, messages.say("date-missing")))
    else:
        date = parse_date(meta.get("date"))
    modified = parse_date(meta.get("modified") or "")
    if date and modified and modified < date:
        problems.append(
            Problem(shown, meta.line("modified"), messages.say("modified-before-date", modified=meta.get("modified"), date=meta.get("date")), "warning")
        )

    # articles/<section>/<year>/<file>.md: the folder is the section.
    parts = os.path.relpath(path, os.path.join(content_path, "articles")).split(os.sep)
    folder_section = parts[0] if len(parts) > 1 else None
    category = meta.get("category")
    known = ", ".join(sorted(sections))
    if folder_section is None:
        problems.append(Problem(shown, 0, messages.say("article-outside-section", known=known)))
    elif folder_section not in sections:
        problems.append(Problem(shown, 0, messages.say("folder-not-section", folder=folder_section, known=known)))
    if category is not None and category not in sections:
        problems.append(Problem(shown, meta.line("category"), messages.say("category-unknown", category=category, known=known)))
    elif category is not None and folder_section in sections and category != folder_section:
        problems.append(Problem(shown, meta.line("category"), messages.say("category-not-folder", category=category, folder=folder_section)))
    if date and len(parts) > 2 and parts[1].isdigit() and int(parts[1]) != date.year:
        problems.append(Problem(shown, meta.line("date"), messages.say("year-folder", folder=parts[1], year=date.year, section=parts[0]), "warning"))

    chosen = split_list(meta.get("topics"))
    for topic in chosen:
        if topic not in topics:
            problems.append(Problem(shown, meta.line("topics"), messages.say("topic-unknown", topic=topic, known=", ".join(topics))))
    if not chosen and topics:
        # An article in no reform area is missing from every Lĩnh vực page and from related news by area.
        line = meta.line("topics") if "topics" in meta.values else 1
        problems.append(Problem(shown, line, messages.say("topics-empty", known=", ".join(topics)), "warning"))

    image = meta.get("image")
    if image:
        _check_file(content_path, shown, meta.line("image"), "Image", image, problems)
        if not meta.get("imagealt"):
            problems.append(Problem(shown, meta.line("image"), messages.say("image-alt-missing")))
        if not meta.get("imagecaption"):
            problems.append(Problem(shown, meta.line("image"), messages.say("image-caption-missing"), "warning"))
    limit_mb = settings.get("ATTACHMENT_MAX_MB", 20)
    for item in split_list(meta.get("attachments")):
        attachment, _title = split_title(item)  # "files/x.pdf | Quyết định số 3012/QĐ-UBND"
        wrong_title = title_problem("Attachments", item)
        if wrong_title:
            problems.append(Problem(shown, meta.line("attachments"), wrong_title))
        _check_file(content_path, shown, meta.line("attachments"), "Attachment", attachment, problems)
        full = os.path.join(content_path, attachment.lstrip("/"))
        target = content_relative(attachment)
        if target and not _escapes(content_path, target) and os.path.isfile(full) and os.path.getsize(full) > limit_mb * 1024 * 1024:
            size = vntext.format_number(os.path.getsize(full) / 1024 / 1024, 1)
            problems.append(
                Problem(shown, meta.line("attachments"), messages.say("attachment-too-big", attachment=attachment, size=size, limit=limit_mb), "warning")
            )
    now = settings.get("CHECK_NOW") or datetime.now(_local_zone(settings)).replace(tzinfo=None)
    if date and date > now:
        problems.append(Problem(shown, meta.line("date"), messages.say("date-future", date=meta.get("date")), "warning"))

    featured = meta.get("featured")
    if featured is not None and yes_no(featured) is None:
        problems.append(Problem(shown, meta.line("featured"), messages.say("featured-invalid", featured=featured)))
    if not meta.get("summary"):
        problems.append(Problem(shown, 1, messages.say("summary-missing"), "warning"))
    problems += check_tags(meta, shown, settings)
    return problems, slug


def check_tags(meta, shown: str, settings: dict) -> list[Problem]:
    """Problems with the Tags line of an article's front matter (a sourcefiles.FrontMatter).

    A tag's page is TAG_URL with the tag's slug, made by Pelican's own slugify: a tag of only
    punctuation or emoji ("!!!", "🎉") has an empty slug and would link to "tu-khoa//".
    """

    def setting(key):
        return settings.get(key, DEFAULT_CONFIG.get(key))

    subs = settings.get("TAG_REGEX_SUBSTITUTIONS") or setting("SLUG_REGEX_SUBSTITUTIONS")
    problems = []
    for tag in split_list(meta.get("tags")):
        if not slugify(tag, regex_subs=subs, preserve_case=setting("SLUGIFY_PRESERVE_CASE"), use_unicode=setting("SLUGIFY_USE_UNICODE")):
            problems.append(Problem(shown, meta.line("tags"), messages.say("tag-no-address", tag=tag)))
    return problems


def _local_zone(settings):
    from zoneinfo import ZoneInfo

    return ZoneInfo(settings.get("TIMEZONE") or "Asia/Ho_Chi_Minh")


def _blank(match) -> str:
    return re.sub(r"[^\n]", " ", match.group())


def body_addresses(text: str, body_start: int = 1) -> list[tuple[int, str, str]]:
    """(line, kind, address) of every address in a Markdown body, kind "picture" or "link", in order.

    ``text`` is the whole file; lines before ``body_start`` (the front matter) are skipped.
    """
    offset = 0
    for _ in range(body_start - 1):
        offset = text.find("\n", offset) + 1
        if not offset:
            return []
    body = text[offset:]
    if "](" not in body and "]:" not in body and "=" not in body:
        return []
    body = _CODE_SPAN_RE.sub(_blank, _FENCE_RE.sub(_blank, body))
    found = []
    for match in _LINK_RE.finditer(body):
        found.append((match.start(), "picture" if match.group(1) else "link", match.group(2).strip("<>")))
    for match in _REFERENCE_RE.finditer(body):
        found.append((match.start(), "link", match.group(1).strip("<>")))
    for tag in _TAG_RE.finditer(body):
        kind = "picture" if tag.group(1).lower() in _PICTURE_TAGS else "link"
        for attribute in _ATTRIBUTE_RE.finditer(tag.group(2)):
            value = attribute.group(2).strip("\"'")
            position = tag.start(2) + attribute.start(2)
            values = [part.split()[0] for part in value.split(",") if part.strip()] if attribute.group(1).lower() == "srcset" else [value]
            found += [(position, kind, item) for item in values]
    numbered, line, counted = [], body_start, 0
    for position, kind, address in sorted(found):
        line += body.count("\n", counted, position)  # counted in C, only up to each address
        counted = position
        numbered.append((line, kind, address))
    return numbered


def _published_file(settings: dict, relative: str) -> bool:
    """Whether a site-root path is a file the build publishes as it is: under content/ or the theme's static folder."""
    if os.path.isfile(os.path.join(settings["PATH"], relative)):
        return True
    theme_dir = settings.get("THEME_STATIC_DIR", "theme").strip("/") + "/"
    theme = settings.get("THEME")
    if not theme:
        return False
    return relative.startswith(theme_dir) and os.path.isfile(os.path.join(theme, "static", relative[len(theme_dir) :]))


def check_body(path: str, body_start: int, text: str, settings: dict, known_urls: set[str] | None = None) -> list[Problem]:
    """Addresses in a Markdown body: errors for those that lead outside the content folder and for
    pictures and {static}/{attach} files that do not exist (the build would publish a broken page and
    its link check refuse it); with ``known_urls`` (what `invoke check` does), warnings for internal
    links that lead nowhere, with lines.
    """
    problems = []
    shown = display_path(path)
    if PLACEHOLDER_BODY in text:
        problems += _placeholder_problems(shown, text, body_start)
    content_path = settings["PATH"]
    source_dir = os.path.relpath(os.path.dirname(path), content_path)
    root = display_path(content_path)
    for number, kind, address in body_addresses(text, body_start):
        relative = content_relative(address, source_dir)
        if relative is None:
            continue
        if _escapes(content_path, relative):
            problems.append(_outside(content_path, shown, number, kind, address))
            continue
        marker = address.lstrip()[1:].split("}", 1)[0].split("|", 1)[0] if address.lstrip()[:1] in "{|" else ""
        if kind == "picture" or marker in ("static", "attach"):
            if not _published_file(settings, relative):
                problems.append(Problem(shown, number, messages.say(_BODY_MISSING[kind], address=address, file=f"{root}/{relative}")))
            continue
        if known_urls is None:
            continue
        target = address.split("#")[0].split("?")[0]
        if marker == "filename":
            if not os.path.isfile(os.path.join(content_path, relative)) and not os.path.isfile(os.path.join(content_path, target.split("}", 1)[1].lstrip("/"))):
                problems.append(Problem(shown, number, messages.say("link-file-missing", target=target), "warning"))
            continue
        if not target.startswith("/"):
            problems.append(Problem(shown, number, messages.say("link-relative", target=target), "warning"))
            continue
        if os.path.isfile(os.path.join(content_path, target.lstrip("/"))):
            continue
        normal = target if target.endswith("/") or "." in target.rsplit("/", 1)[-1] else target + "/"
        if normal not in known_urls:
            problems.append(Problem(shown, number, messages.say("link-page-missing", target=target), "warning"))
    return problems


def _placeholder_problems(shown: str, text: str, body_start: int) -> list[Problem]:
    """A warning on each line of the body that is still the scaffold's placeholder sentence."""
    return [
        Problem(shown, number, messages.say("placeholder-body", placeholder=PLACEHOLDER_BODY), "warning")
        for number, line in enumerate(text.split("\n"), start=1)
        if number >= body_start and line.strip() == PLACEHOLDER_BODY
    ]


def unsafe_static_files(content_path: str, output_path: str, files: list[tuple[str, str]]) -> list[tuple[str, Problem]]:
    """Of Pelican's static files, (source, save_as) pairs, those it must not copy, each with its
    problem: a source outside the content folder or reached through a symbolic link, or a
    destination outside the output folder.

    check_content stops the build before any of these reaches Pelican; this is the last guard, for
    an address in a form the body check does not read.
    """
    problems = []
    real_root = os.path.realpath(content_path)
    for source, save_as in files:
        full = os.path.join(content_path, source)
        real = os.path.realpath(full)
        if real != os.path.join(real_root, os.path.relpath(full, content_path)) or not inside(content_path, full):
            problems.append((source, Problem(display_path(os.path.normpath(full)), 0, messages.say("static-outside", root=display_path(content_path)))))
        elif not inside(output_path, os.path.join(output_path, save_as)):
            problems.append((source, Problem(display_path(full), 0, messages.say("static-written-outside", save_as=save_as))))
    return problems


def check_tree(settings: dict) -> tuple[list[Problem], bool]:
    """Symbolic links anywhere under the content folder, and published files whose names are not
    addresses as they are; returns the problems and whether any link was found.

    Every symbolic link is refused, also one that points inside content/: a link makes what is
    published depend on a file elsewhere, Pelican's static copying and its readers follow links, and a
    link that points inside today can be pointed at /etc by the next commit. Nothing is read through
    one: folders that are links are not entered.
    """
    content_path = settings["PATH"]
    root = display_path(content_path)
    static = tuple(p.strip("/") + "/" for p in settings.get("STATIC_PATHS", []))
    problems: list[Problem] = []
    linked = False

    def walk(folder: str, relative: str) -> None:
        nonlocal linked
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            return
        for entry in entries:
            inner = f"{relative}{entry.name}"
            if entry.is_symlink():
                linked = True
                target = os.readlink(entry.path)
                key = (
                    "symlink-inside"
                    if inside(content_path, entry.path) and os.path.exists(entry.path)
                    else "symlink-outside"
                    if os.path.exists(entry.path)
                    else "symlink-dangling"
                )
                problems.append(Problem(display_path(entry.path), 0, messages.say(key, target=target, root=root)))
                continue
            published = any((inner + "/").startswith(prefix) for prefix in static)
            if published and not _SAFE_NAME_RE.match(entry.name):
                stem, extension = os.path.splitext(entry.name) if entry.is_file() else (entry.name, "")
                better = (vntext.slugify(stem) or "ten-tep") + (extension.lower() if _SAFE_NAME_RE.match(extension or ".") else "." + vntext.slugify(extension))
                key = "folder-name-unsafe" if entry.is_dir() else "file-name-unsafe"
                problems.append(Problem(display_path(entry.path), 0, messages.say(key, better=better)))
            if entry.is_dir(follow_symlinks=False):
                walk(entry.path, inner + "/")

    walk(content_path, "")
    return problems, linked


def site_urls(settings: dict, articles: list[tuple[str | None, datetime | None, str]], pages: list[tuple[str | None, str]]) -> set[str]:
    """The addresses the build will write for these articles and pages, plus the generated lists."""
    urls = {"/"}
    for slug, date, lang in articles:
        if slug and date:
            urls.add("/" + settings["ARTICLE_URL"].format(slug=slug, date=date, lang=lang))
            urls.add("/" + settings["ARCHIVE_MONTH_URL"].format(date=date))
            urls.add("/" + settings["ARCHIVE_YEAR_URL"].format(date=date))
    for slug, lang in pages:
        if not slug:
            continue  # an unreadable page: it has no address (and "None/" is not one)
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
    from_title = not meta.get("slug")
    line = meta.line("slug") if meta.get("slug") else meta.line("title")
    if slug and lang == "vi" and slug in settings["SECTIONS_BY_ID"]:
        problems.append(Problem(shown, line, messages.say("page-slug-title-section" if from_title else "page-slug-section", slug=slug)))
    elif slug and lang == "vi" and (slug in generated_prefixes(settings) or slug.isdigit()):
        problems.append(Problem(shown, line, messages.say("page-slug-title-reserved" if from_title else "page-slug-reserved", slug=slug)))
    return problems, slug


def check_content(settings: dict, links: bool = False, files: AbstractSet[str] | None = None) -> list[Problem]:
    """Every problem in the content, errors and warnings: symbolic links and unpublishable names
    first, then each article's and page's front matter in file order, then their bodies.

    Bodies are always read for addresses that lead outside the content folder and for missing
    pictures and files (errors, the same in the build and in `invoke check`). With ``links`` (what
    `invoke check` does), internal links that lead nowhere are reported too, as warnings: the build
    leaves those to its link check of the written site.

    ``files`` (absolute paths; `./portal check FILE`) judges only those Markdown files and what they
    reference (their pictures and attachments): of every other file only the front matter is read,
    for the addresses and slugs the chosen ones must not clash with or may link to.
    """
    problems, linked = check_tree(settings)
    tree_problems = problems
    if files is not None:
        problems = []  # the tree's problems are kept below for the chosen files and what they use
    content_path = settings["PATH"]
    real_root = os.path.realpath(content_path)
    seen: dict[tuple, tuple[str, bool]] = {}
    articles, pages, metas = [], [], []
    referenced: set[str] = set()

    def remember(kind, slug, lang, path, line, chosen):
        if not slug:
            return
        key = (kind, lang, slug)
        if key not in seen:
            seen[key] = (display_path(path), chosen)
        elif chosen or files is None:
            problems.append(Problem(display_path(path), line, messages.say(_SLUG_TAKEN[kind], slug=slug, other=seen[key][0])))
        elif seen[key][1]:
            # The chosen file came first: the clash is still the chosen file's to fix.
            first = seen[key][0]
            problems.append(Problem(first, 0, messages.say(_SLUG_TAKEN[kind], slug=slug, other=display_path(path))))

    kinds = (("article", "ARTICLE_PATHS", ["articles"], check_article), ("page", "PAGE_PATHS", ["pages"], check_page))
    for kind, setting, default, check in kinds:
        for folder in settings.get(setting, default):
            for path in markdown_files(os.path.join(content_path, folder)):
                if linked and os.path.realpath(path) != os.path.join(real_root, os.path.relpath(path, content_path)):
                    continue  # reached through a symbolic link, reported above: never read it
                chosen = files is None or path in files
                if chosen:
                    text, meta = read_source(path)
                    found, slug = check(path, settings, meta)
                    problems += found
                else:
                    text, meta = None, _front_matter_only(path)
                    title = meta.get("title")
                    slug = meta.get("slug") or (vntext.slugify(title) if title else None)
                lang = meta.get("lang") or "vi"
                remember(kind, slug, lang, path, meta.line("slug") if meta.get("slug") else meta.line("title"), chosen)
                if kind == "article":
                    articles.append((slug, parse_date(meta.get("date") or ""), lang))
                else:
                    pages.append((slug, lang))
                if not chosen:
                    continue
                if files is not None and text is not None:
                    referenced |= _referenced_files(path, meta, text, settings)
                if not links and text is not None:
                    # The build: the body is checked from the text just read (each file read once).
                    problems += check_body(path, meta.body_line, text, settings, None)
                metas.append((path, meta))
    if links:
        # `./portal check`: page links are judged against every address, known only now; the
        # texts are read again rather than all held in memory.
        known = site_urls(settings, articles, pages)
        for path, meta in metas:
            if not meta.unreadable:
                problems += check_body(path, meta.body_line, read_text(path), settings, known)
    if files is not None:
        # Symbolic links and unpublishable names: those of the chosen files and of what they use.
        shown = {display_path(path) for path in set(files) | referenced}
        problems = [p for p in tree_problems if p.path in shown] + problems
    return problems


def _front_matter_only(path: str):
    """The front matter of a file that is not being judged, from its first lines only (its slug and
    date are all that is needed of it); nothing about it is reported."""
    head = b""
    try:
        with open(path, "rb") as handle:
            while b"\n\n" not in head.replace(b"\r\n", b"\n"):
                chunk = handle.read(4096)
                if not chunk:
                    break
                head += chunk
    except OSError:
        pass
    text = head.decode("utf-8-sig", errors="replace").replace("\r\n", "\n")
    return read_front_matter(path, text.split("\n\n", 1)[0] + "\n\n")


def _referenced_files(path: str, meta, text: str, settings: dict) -> set[str]:
    """The files under the content folder that a Markdown file uses: its Image and Attachments, and
    the pictures and {static}/{attach} files of its body (absolute paths)."""
    content_path = settings["PATH"]
    found = set()
    values = [meta.get("image") or "", *split_list(meta.get("attachments"))]
    source_dir = os.path.relpath(os.path.dirname(path), content_path)
    relatives = [content_relative(value) for value in values if value]
    for _, kind, address in body_addresses(text, meta.body_line):
        marker = address.lstrip()[1:].split("}", 1)[0].split("|", 1)[0] if address.lstrip()[:1] in "{|" else ""
        if kind == "picture" or marker in ("static", "attach"):
            relatives.append(content_relative(address, source_dir))
    for relative in relatives:
        if relative and not leads_outside(relative):
            found.add(os.path.join(content_path, relative))
    return found
