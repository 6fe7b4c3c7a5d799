"""Writing a Draft as the portal's files: the article, its pictures and attachments; never over a file.

content/articles/<section>/<year>/<slug>.md in the front matter order of the sample articles and of
``editorial.new_article``; pictures in content/images/<year>/, attachments in content/files/<year>/,
named as the containment checks want them (a-z, 0-9, "-", "_", "."). The article records where it
came from (``ImportedFrom:``): importing the same source again finds that article and writes nothing
(unchanged), or reports that the source has changed and still writes nothing (an editor may have
corrected the article since, and an import never undoes an editor's work).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

import vntext
from sourcefiles import inside, markdown_files, read_front_matter

from .body import Asset, Draft, Note

# The order of the keys, as in the sample articles and editorial.new_article.
KEYS = ("Title", "Date", "Slug", "Summary", "Topics", "Tags", "Author", "Image", "ImageAlt", "ImageCaption", "Attachments", "ImportedFrom")


class ImportRefused(Exception):
    """A draft that cannot be written: its Note says why."""

    def __init__(self, note: Note):
        self.note = note
        super().__init__(note.key)


@dataclass
class Existing:
    """What the content folder already holds: every article's slug, and the imported ones by source."""

    slugs: dict[str, str] = field(default_factory=dict)  # slug -> article path
    by_source: dict[str, str] = field(default_factory=dict)  # ImportedFrom -> article path


@dataclass
class Written:
    path: str  # the article's file
    status: str  # "written", "unchanged" (imported before, the same) or "kept" (imported before, the source changed)
    files: list[str] = field(default_factory=list)  # pictures and attachments copied
    notes: list[Note] = field(default_factory=list)


def existing_articles(content_path: str, folders: list[str] | None = None) -> Existing:
    """Slugs and sources of every article under the content folder (read once per import run)."""
    existing = Existing()
    for folder in folders or ["articles"]:
        for path in markdown_files(os.path.join(content_path, folder)):
            meta = read_front_matter(path)
            if meta.unreadable:
                continue
            title = meta.get("title") or ""
            slug = meta.get("slug") or vntext.slugify(title) or os.path.splitext(os.path.basename(path))[0]
            existing.slugs.setdefault(slug, path)
            source = meta.get("importedfrom")
            if source:
                existing.by_source.setdefault(source, path)
    return existing


def safe_name(name: str, fallback: str) -> str:
    """A file name the containment checks accept: 'Ảnh Hội nghị 01.JPG' -> 'anh-hoi-nghi-01.jpg'."""
    base = os.path.basename(name.replace("\\", "/"))
    stem, extension = os.path.splitext(base)
    extension = "." + (vntext.slugify(extension) or "bin") if extension else ""
    return (vntext.slugify(stem)[:80].strip("-") or fallback) + extension


def _folder(content_path: str, *parts: str) -> str:
    folder = os.path.join(content_path, *parts)
    # Never through a link (docs/security.md): the checks would refuse it, and a write through one
    # can land anywhere on the machine.
    current = content_path
    for part in parts:
        current = os.path.join(current, part)
        if os.path.islink(current):
            raise ImportRefused(Note("import-folder-is-link", {"path": current}, "error"))
    if not inside(content_path, folder):
        raise ImportRefused(Note("import-folder-is-link", {"path": folder}, "error"))
    return folder


def place(asset: Asset, content_path: str, year: int, taken: set[str]) -> bool:
    """Choose the asset's path under content/<kind>/<year>/: its own name when free or holding the
    same bytes, else name-2, name-3, ...; returns whether the file must be written."""
    folder = _folder(content_path, asset.kind, str(year))
    name = safe_name(asset.name, "anh" if asset.kind == "images" else "tep")
    stem, extension = os.path.splitext(name)
    number = 1
    while True:
        candidate = name if number == 1 else f"{stem}-{number}{extension}"
        relative = f"{asset.kind}/{year}/{candidate}"
        full = os.path.join(folder, candidate)
        if relative not in taken:
            if not os.path.lexists(full):
                asset.path = relative
                taken.add(relative)
                return True
            if os.path.isfile(full) and not os.path.islink(full) and _same_bytes(full, asset.data):
                asset.path = relative
                taken.add(relative)
                return False
        number += 1


def _same_bytes(path: str, data: bytes) -> bool:
    try:
        if os.path.getsize(path) != len(data):
            return False
        with open(path, "rb") as handle:
            return handle.read() == data
    except OSError:
        return False


def _value(text: str) -> str:
    return " ".join(str(text).split())


def render(draft: Draft, slug: str, date: datetime) -> str:
    """The article's file: front matter in the portal's order, a blank line, the Markdown body."""
    values = {
        "Title": draft.title,
        # Without a time in the source, none is made up: the editor may add the hour.
        "Date": f"{date:%Y-%m-%d %H:%M}" if draft.has_time or draft.date is None else f"{date:%Y-%m-%d}",
        "Slug": slug,
        "Summary": draft.summary,
        "Topics": "",
        "Tags": ", ".join(t.replace(",", " ") for t in draft.tags),
        "Author": draft.author,
        "Image": draft.image.path if draft.image else "",
        "ImageAlt": draft.image.alt if draft.image else "",
        "ImageCaption": draft.image.caption if draft.image else "",
        "Attachments": ", ".join(a.path for a in draft.attachments),
        "ImportedFrom": draft.source,
    }
    # Topics is always written, empty: the reform areas are the editor's choice, and the line says so.
    always = {"Title", "Date", "Slug", "Summary", "Topics"} | ({"ImageAlt"} if draft.image else set())
    lines = [f"{key}: {_value(values[key])}".rstrip() if values[key] else f"{key}: " for key in KEYS if values[key] or key in always]
    return "\n".join(lines) + "\n\n" + draft.markdown()


def write_draft(draft: Draft, settings: dict, section: str, existing: Existing, now: datetime | None = None) -> Written:
    """Write the draft under the content folder (see the module's docstring); raises ImportRefused
    when it cannot be written at all (no title, a folder that is a link)."""
    if not draft.title or not vntext.slugify(draft.title):
        raise ImportRefused(Note("import-no-title", {}, "error"))
    content_path = settings["PATH"]
    notes = list(draft.notes)
    date = draft.date
    if date is None:
        date = (now or datetime.now(ZoneInfo(settings.get("TIMEZONE") or "Asia/Ho_Chi_Minh"))).replace(tzinfo=None, second=0, microsecond=0)
        notes.append(Note("import-no-date", {"date": vntext.format_datetime(date, weekday=False)}))
    previous = existing.by_source.get(draft.source) if draft.source else None
    if previous is not None and not draft.source_unique and read_front_matter(previous).get("title") != draft.title:
        previous = None  # another document under the same file name: a new article

    taken: set[str] = set()
    to_write = [asset for asset in ([draft.image] if draft.image else []) + draft.pictures + draft.attachments if place(asset, content_path, date.year, taken)]

    if previous is not None:
        slug = read_front_matter(previous).get("slug") or os.path.splitext(os.path.basename(previous))[0]
        with open(previous, encoding="utf-8") as handle:
            same = handle.read() == render(draft, slug, date)
        return Written(previous, "unchanged" if same else "kept", [], notes)

    folder = _folder(content_path, "articles", section, str(date.year))
    base = vntext.slugify(draft.title)
    slug, number = base, 1
    while slug in existing.slugs or os.path.lexists(os.path.join(folder, f"{slug}.md")):
        number += 1
        slug = f"{base[: vntext.SLUG_MAX - 4]}-{number}"
    path = os.path.join(folder, f"{slug}.md")
    os.makedirs(folder, exist_ok=True)
    written = []
    for asset in to_write:
        target = os.path.join(content_path, asset.path)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "xb") as handle:  # "x": never over a file
            handle.write(asset.data)
        written.append(target)
    with open(path, "x", encoding="utf-8") as handle:
        handle.write(render(draft, slug, date))
    existing.slugs[slug] = path
    if draft.source:
        existing.by_source[draft.source] = path
    return Written(path, "written", written, notes)
