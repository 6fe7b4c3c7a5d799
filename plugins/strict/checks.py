"""Content checks that need no build: every article and page's front matter against the site data.

Pure functions from files and settings to a list of Problems, so the build (this plugin) and an
editor's `invoke check` report the same things with the same words.
"""

from __future__ import annotations

import functools
import os
import re
from datetime import datetime

from pelican.settings import DEFAULT_CONFIG
from pelican.utils import slugify
from sitefiles import split_title, title_problem

import vntext
from sourcefiles import (
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
}
PAGE_KEYS = {"title", "slug", "summary", "status", "lang", "template", "date", "modified", "author", "image", "imagealt", "imagecaption"}
STATUSES = {"published", "draft", "hidden"}
LANGS = {"vi", "en"}
_DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$")
_SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DATE_HINT = "use YYYY-MM-DD HH:MM, e.g. 2024-03-20 16:00"
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
            known = ", ".join(sorted(k.capitalize() for k in allowed_keys))
            problems.append(Problem(shown, line, f'unknown key "{key}"; is it misspelt? Known keys: {known}', "warning"))
    title = meta.get("title")
    if not title:
        problems.append(Problem(shown, meta.line("title") if "title" in meta.values else 1, 'missing "Title: ..." (the headline readers see)'))
    else:
        if len(title) > TITLE_MAX:
            problems.append(
                Problem(
                    shown,
                    meta.line("title"),
                    f"the title has {len(title)} characters; keep it under {TITLE_MAX} so it fits in lists and search results",
                    "warning",
                )
            )
        old = mixed_tone_words(title)
        if old:
            fixed = ", ".join(f"{w} -> {vntext.normalize(w)}" for w in old)
            problems.append(
                Problem(shown, meta.line("title"), f"the title writes tone marks in the old placement ({fixed}); the portal writes the new one", "warning")
            )
    slug = meta.get("slug")
    if slug is not None and not _SLUG_RE.match(slug):
        problems.append(
            Problem(
                shown,
                meta.line("slug"),
                f'Slug "{slug}" must be lower-case ASCII words joined by hyphens, e.g. "{vntext.slugify(slug) or "ke-hoach-cchc-2024"}"',
            )
        )
    elif slug is not None and len(slug) > vntext.SLUG_MAX:
        problems.append(
            Problem(
                shown,
                meta.line("slug"),
                f"Slug has {len(slug)} characters; keep it under {vntext.SLUG_MAX} (it becomes a folder name, and file systems refuse long ones)",
            )
        )
    elif slug is None and title and not vntext.slugify(title):
        problems.append(
            Problem(
                shown,
                meta.line("title"),
                f'the title "{title}" has no letters or digits to make an address from; add a line "Slug: ..." (lower-case words joined by hyphens, e.g. Slug: hoi-nghi-cchc-2024)',
            )
        )
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


_OUTSIDE_HINTS = {
    "Image": "put the picture under {root}/images/ and write images/<year>/<name>.jpg",
    "Attachment": "put the file under {root}/files/ and write files/<year>/<name>.pdf",
    "picture": 'write the address from the site root without "..", e.g. /images/2024/anh.jpg',
    "link": 'write the address from the site root without "..", e.g. /files/2024/bao-cao.pdf',
}


def _outside(content_path, shown, line, what, value) -> Problem:
    """A path that leads out of the content folder: never read, copied or written by the build."""
    root = display_path(content_path)
    hint = _OUTSIDE_HINTS[what].format(root=root)
    return Problem(shown, line, f'{what} "{value}" leads outside {root}/, and nothing outside it is published; {hint}')


def _escapes(content_path, relative) -> bool:
    return leads_outside(relative) or not inside(content_path, os.path.join(content_path, relative))


def _check_file(content_path, shown, line, key, value, problems, what):
    target = content_relative(value)
    if target and _escapes(content_path, target):
        problems.append(_outside(content_path, shown, line, key, value))
        return
    relative = value.lstrip("/")
    if relative.startswith("{static}"):
        relative = relative[len("{static}") :].lstrip("/")
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
        problems.append(
            Problem(shown, meta.line("category"), f'Category "{category}" differs from the folder "{folder_section}"; move the file or fix the Category')
        )
    if date and len(parts) > 2 and parts[1].isdigit() and int(parts[1]) != date.year:
        problems.append(
            Problem(shown, meta.line("date"), f"the file is in the {parts[1]} folder but dated {date.year}; move it to {parts[0]}/{date.year}/", "warning")
        )

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
    for item in split_list(meta.get("attachments")):
        attachment, _title = split_title(item)  # "files/x.pdf | Quyết định số 3012/QĐ-UBND"
        wrong_title = title_problem("Attachments", item)
        if wrong_title:
            problems.append(Problem(shown, meta.line("attachments"), wrong_title))
        _check_file(content_path, shown, meta.line("attachments"), "Attachment", attachment, problems, "file")
        full = os.path.join(content_path, attachment.lstrip("/"))
        target = content_relative(attachment)
        if target and not _escapes(content_path, target) and os.path.isfile(full) and os.path.getsize(full) > limit_mb * 1024 * 1024:
            size = vntext.format_number(os.path.getsize(full) / 1024 / 1024, 1)
            problems.append(
                Problem(
                    shown,
                    meta.line("attachments"),
                    f'Attachment "{attachment}" is {size} MB, over the {limit_mb} MB limit; compress it or publish a smaller version',
                    "warning",
                )
            )
    now = settings.get("CHECK_NOW") or datetime.now(_local_zone(settings)).replace(tzinfo=None)
    if date and date > now:
        problems.append(
            Problem(shown, meta.line("date"), f"Date {meta.get('date')} is in the future; the article will be listed as if already published", "warning")
        )

    featured = meta.get("featured")
    if featured is not None and yes_no(featured) is None:
        problems.append(Problem(shown, meta.line("featured"), f'Featured "{featured}" must be yes or no'))
    if not meta.get("summary"):
        problems.append(Problem(shown, 1, 'no "Summary: ..."; the lead paragraph is taken from the text', "warning"))
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
            problems.append(
                Problem(
                    shown,
                    meta.line("tags"),
                    f'tag "{tag}" has no letters or digits, so its page gets no address; write it in words, e.g. "một cửa", or remove it',
                )
            )
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
                problems.append(Problem(shown, number, f'{kind} "{address}": there is no file {root}/{relative}; add it or fix the address'))
            continue
        if known_urls is None:
            continue
        target = address.split("#")[0].split("?")[0]
        if marker == "filename":
            if not os.path.isfile(os.path.join(content_path, relative)) and not os.path.isfile(os.path.join(content_path, target.split("}", 1)[1].lstrip("/"))):
                problems.append(Problem(shown, number, f'link to "{target}": no such file; check the path', "warning"))
            continue
        if not target.startswith("/"):
            problems.append(Problem(shown, number, f'link "{target}" is relative; write site addresses from the root, e.g. /2024/03/ten-bai/', "warning"))
            continue
        if os.path.isfile(os.path.join(content_path, target.lstrip("/"))):
            continue
        normal = target if target.endswith("/") or "." in target.rsplit("/", 1)[-1] else target + "/"
        if normal not in known_urls:
            problems.append(
                Problem(shown, number, f'page "{target}" does not exist on the site; check the address (articles are at /YYYY/MM/slug/)', "warning")
            )
    return problems


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
            problems.append(
                (
                    source,
                    Problem(
                        display_path(os.path.normpath(full)),
                        0,
                        f"is outside {display_path(content_path)}/ or reached through a symbolic link; it is not published",
                    ),
                )
            )
        elif not inside(output_path, os.path.join(output_path, save_as)):
            problems.append((source, Problem(display_path(full), 0, f'would be written to "{save_as}", outside the output folder; it is not published')))
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
                where = (
                    ""
                    if inside(content_path, entry.path) and os.path.exists(entry.path)
                    else f", outside {root}/"
                    if os.path.exists(entry.path)
                    else ", which does not exist"
                )
                problems.append(
                    Problem(
                        display_path(entry.path),
                        0,
                        f"is a symbolic link to {target}{where}; {root}/ may hold only real files and folders (a link can publish any file of the machine): put the file itself here",
                    )
                )
                continue
            published = any((inner + "/").startswith(prefix) for prefix in static)
            if published and not _SAFE_NAME_RE.match(entry.name):
                stem, extension = os.path.splitext(entry.name) if entry.is_file() else (entry.name, "")
                better = (vntext.slugify(stem) or "ten-tep") + (extension.lower() if _SAFE_NAME_RE.match(extension or ".") else "." + vntext.slugify(extension))
                what = "folder" if entry.is_dir() else "file"
                problems.append(
                    Problem(
                        display_path(entry.path),
                        0,
                        f'the {what} name has spaces or letters other than a-z, 0-9, "-", "_" and "."; its address would break in pages and links: rename it to {better} (and the articles that use it)',
                    )
                )
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
    made = "" if meta.get("slug") else " (made from the title)"
    line = meta.line("slug") if meta.get("slug") else meta.line("title")
    if slug and lang == "vi" and slug in settings["SECTIONS_BY_ID"]:
        problems.append(
            Problem(
                shown, line, f'Slug "{slug}" is also a section id{made}; the page would replace the section page at /{slug}/; give the page another "Slug: ..."'
            )
        )
    elif slug and lang == "vi" and (slug in generated_prefixes(settings) or slug.isdigit()):
        problems.append(
            Problem(shown, line, f'Slug "{slug}"{made} is an address the site uses for its own pages (/{slug}/); give the page another "Slug: ..."')
        )
    return problems, slug


def check_content(settings: dict, links: bool = False) -> list[Problem]:
    """Every problem in the content, errors and warnings: symbolic links and unpublishable names
    first, then each article's and page's front matter in file order, then their bodies.

    Bodies are always read for addresses that lead outside the content folder and for missing
    pictures and files (errors, the same in the build and in `invoke check`). With ``links`` (what
    `invoke check` does), internal links that lead nowhere are reported too, as warnings: the build
    leaves those to its link check of the written site.
    """
    problems, linked = check_tree(settings)
    content_path = settings["PATH"]
    real_root = os.path.realpath(content_path)
    seen: dict[tuple, str] = {}
    articles, pages, metas = [], [], []

    def remember(kind, slug, lang, path, line):
        if not slug:
            return
        key = (kind, lang, slug)
        if key in seen:
            problems.append(
                Problem(
                    display_path(path), line, f'slug "{slug}" is already used by {seen[key]}; two {kind}s cannot share an address, change one Slug or Title'
                )
            )
        else:
            seen[key] = display_path(path)

    kinds = (("article", "ARTICLE_PATHS", ["articles"], check_article), ("page", "PAGE_PATHS", ["pages"], check_page))
    for kind, setting, default, check in kinds:
        for folder in settings.get(setting, default):
            for path in markdown_files(os.path.join(content_path, folder)):
                if linked and os.path.realpath(path) != os.path.join(real_root, os.path.relpath(path, content_path)):
                    continue  # reached through a symbolic link, reported above: never read it
                text, meta = read_source(path)
                found, slug = check(path, settings, meta)
                problems += found
                lang = meta.get("lang") or "vi"
                remember(kind, slug, lang, path, meta.line("slug") if meta.get("slug") else meta.line("title"))
                if kind == "article":
                    articles.append((slug, parse_date(meta.get("date") or ""), lang))
                else:
                    pages.append((slug, lang))
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
    return problems
