"""Files an article or a document offers for download (content/files/), described for the templates.

``describe_attachment`` gives the address, the name, the kind (PDF, DOCX, ...) and the size in the
Vietnamese form readers expect ("820 KB", "1,4 MB"); the media plugin (articles' Attachments) and the
documents plugin (a document's Files) list files the same way.

This package is a library, not a Pelican plugin: it has no ``register``.
"""

from __future__ import annotations

import os

import vntext

__all__ = ["KINDS", "describe_attachment", "file_path", "human_size"]

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


def describe_attachment(content_path: str, value: str, siteurl: str) -> dict:
    relative = file_path(value)
    full = os.path.join(content_path, relative)
    extension = os.path.splitext(relative)[1].lower()
    return {
        "url": f"{siteurl}/{relative}",
        "name": os.path.basename(relative),
        "kind": KINDS.get(extension, extension.lstrip(".").upper() or "TỆP"),
        "bytes": os.path.getsize(full) if os.path.isfile(full) else 0,
        "size": human_size(os.path.getsize(full)) if os.path.isfile(full) else "",
    }
