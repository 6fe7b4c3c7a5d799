"""Files an article or a document offers for download (content/files/), described for the templates.

``describe_attachment`` gives the address, the name, the title readers see, the kind (PDF, DOCX, ...)
and the size in the Vietnamese form readers expect ("820 KB", "1,4 MB"); the media plugin (articles'
Attachments) and the documents plugin (a document's Files) list files the same way. An item of those
lists may give its title after a bar, ``files/x.pdf | Quyết định số 3012/QĐ-UBND`` (``split_title``;
``title_problem`` is the check both plugins' checks run); without one the title is the file's name,
cleaned (``clean_file_name``).

This package is a library, not a Pelican plugin: it has no ``register``.
"""

from __future__ import annotations

import os

import messages
import vntext

__all__ = ["KINDS", "describe_attachment", "file_path", "human_size", "split_title", "clean_file_name", "title_problem"]

KINDS = {
    ".pdf": "PDF",
    ".doc": "DOC",
    ".docx": "DOCX",
    ".xls": "XLS",
    ".xlsx": "XLSX",
    ".ppt": "PPT",
    ".pptx": "PPTX",
    ".odt": "ODT",
    ".ods": "ODS",
    ".zip": "ZIP",
    ".rar": "RAR",
}


def human_size(size: int) -> str:
    """File size as Vietnamese readers write it: '820 KB', '1,4 MB' (1 KB = 1024 bytes)."""
    if size < 1024 * 1024:
        return f"{vntext.format_number(max(1, round(size / 1024)))} KB"
    return f"{vntext.format_number(size / (1024 * 1024), 1)} MB"


def file_path(value: str) -> str:
    """The path under the content folder of a front-matter file value ("/files/a.pdf", "{static}/files/a.pdf")."""
    return value.strip().removeprefix("{static}").lstrip("/")


def split_title(value: str) -> tuple[str, str]:
    """'files/x.pdf | Quyết định số 3012/QĐ-UBND' -> ('files/x.pdf', 'Quyết định số 3012/QĐ-UBND');
    an item without a bar -> (the item, '')."""
    path, _bar, title = str(value).partition("|")
    return path.strip(), " ".join(title.split())


def title_problem(field: str, value: str) -> str | None:
    """What is wrong with an item's title, for the checks (None when nothing is): a bar with no title."""
    path, title = split_title(value)
    if "|" in str(value) and not title:
        return messages.say("attachment-title-empty", field=field, path=path)
    return None


def clean_file_name(relative: str) -> str:
    """A file's name as a title when the editor gave none: 'ke-hoach_cchc-2021-2025.pdf' ->
    'Ke hoach cchc 2021-2025' (no extension, dashes and underscores between words as spaces, a year
    range kept as it is)."""
    stem = os.path.splitext(os.path.basename(relative))[0]
    words = stem.replace("_", " ").split("-")
    text = ""
    for index, word in enumerate(words):
        # A dash between two four-digit years is a range (2021-2025), not a word break.
        joined = index > 0 and words[index - 1][-4:].isdigit() and word[:4].isdigit() and len(word) >= 4 and len(words[index - 1]) >= 4
        text += ("-" if joined else " ") + word if index else word
    text = " ".join(text.split())
    return text[:1].upper() + text[1:] if text else os.path.basename(relative)


def describe_attachment(content_path: str, value: str, siteurl: str) -> dict:
    value, title = split_title(value)
    relative = file_path(value)
    full = os.path.join(content_path, relative)
    extension = os.path.splitext(relative)[1].lower()
    return {
        "url": f"{siteurl}/{relative}",
        "name": os.path.basename(relative),
        "title": title or clean_file_name(relative),
        "kind": KINDS.get(extension, extension.lstrip(".").upper() or "TỆP"),
        "bytes": os.path.getsize(full) if os.path.isfile(full) else 0,
        "size": human_size(os.path.getsize(full)) if os.path.isfile(full) else "",
    }
