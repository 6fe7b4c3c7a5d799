"""Lead pictures and attachments of an article, ready for the templates.

Adds ``lead_image`` (url, alt, caption, width, height) and ``attachment_list`` (url, name, kind,
size in Vietnamese form) to each article. The strict checks have already made sure the files exist;
width and height come from the picture's header so the page does not jump while it loads.
"""

from __future__ import annotations

import logging
import os

from PIL import Image
from pelican import signals

import vntext

log = logging.getLogger(__name__)

KINDS = {
    ".pdf": "PDF", ".doc": "DOC", ".docx": "DOCX", ".xls": "XLS", ".xlsx": "XLSX",
    ".ppt": "PPT", ".pptx": "PPTX", ".odt": "ODT", ".ods": "ODS", ".zip": "ZIP", ".rar": "RAR",
}


def human_size(size: int) -> str:
    """File size as Vietnamese readers write it: '820 KB', '1,4 MB' (1 KB = 1024 bytes)."""
    if size < 1024 * 1024:
        return f"{vntext.format_number(max(1, round(size / 1024)))} KB"
    return f"{vntext.format_number(size / (1024 * 1024), 1)} MB"


def _content_relative(value: str) -> str:
    value = value.strip()
    if value.startswith("{static}"):
        value = value[len("{static}"):]
    return value.lstrip("/")


def describe_attachment(content_path: str, value: str, siteurl: str) -> dict:
    relative = _content_relative(value)
    full = os.path.join(content_path, relative)
    extension = os.path.splitext(relative)[1].lower()
    return {
        "url": f"{siteurl}/{relative}",
        "name": os.path.basename(relative),
        "kind": KINDS.get(extension, extension.lstrip(".").upper() or "TỆP"),
        "bytes": os.path.getsize(full) if os.path.isfile(full) else 0,
        "size": human_size(os.path.getsize(full)) if os.path.isfile(full) else "",
    }


def describe_image(content_path: str, value: str, alt: str, caption: str, siteurl: str) -> dict:
    relative = _content_relative(value)
    width = height = None
    try:
        with Image.open(os.path.join(content_path, relative)) as picture:
            width, height = picture.size
    except OSError as error:
        log.warning("%s: cannot read the picture's size: %s", relative, error)
    return {"url": f"{siteurl}/{relative}", "path": relative, "alt": alt, "caption": caption, "width": width, "height": height}


def enrich(article, content_path: str, siteurl: str) -> None:
    image = getattr(article, "image", None)
    article.lead_image = (
        describe_image(content_path, image, getattr(article, "imagealt", ""), getattr(article, "imagecaption", ""), siteurl) if image else None
    )
    names = [n.strip() for n in str(getattr(article, "attachments", "") or "").split(",") if n.strip()]
    article.attachment_list = [describe_attachment(content_path, n, siteurl) for n in names]


def on_content_object_init(content) -> None:
    settings = content.settings
    enrich(content, settings["PATH"], settings["SITEURL"])


def register() -> None:
    signals.content_object_init.connect(on_content_object_init)
