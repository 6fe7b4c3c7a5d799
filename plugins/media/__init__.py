"""Lead pictures and attachments of an article, ready for the templates.

Adds ``lead_image`` (url, alt, caption, width, height, srcset) and ``attachment_list`` (url, name,
title, kind, size in Vietnamese form) to each article. The strict checks have already made sure the files
exist; width and height come from the picture's header so the page does not jump while it loads.
Pictures in article bodies get the same: size, lazy loading and responsive WebP and JPEG sources,
made with Pillow once and cached (see pictures.py).
"""

from __future__ import annotations

import logging
import os

import bodies
from pelican import signals
from PIL import Image
from sitefiles import describe_attachment, file_path, split_title

import messages
from sourcefiles import content_relative, display_path, inside, leads_outside, line_containing, split_list

from .pictures import enhance_body_pictures, ensure_variants, responsive

log = logging.getLogger(__name__)

_sizes: dict[str, tuple[int, int] | None] = {}
_variants: set = set()


def picture_size(content_path: str, relative: str) -> tuple[int, int] | None:
    """Width and height from the picture's header (Pillow reads no pixels), remembered per build."""
    key = os.path.join(content_path, relative)
    if key not in _sizes:
        try:
            with Image.open(key) as picture:
                _sizes[key] = picture.size
        except OSError as error:
            log.warning("%s", messages.say("picture-size-unreadable", path=relative, error=error))
            _sizes[key] = None
    return _sizes[key]


def describe_image(content_path: str, value: str, alt: str, caption: str, siteurl: str, widths: list[int]) -> dict:
    relative = file_path(value)
    size = picture_size(content_path, relative)
    width, height = size or (None, None)
    found: dict[str, object] = {
        "url": f"{siteurl}/{relative}",
        "path": relative,
        "alt": alt,
        "caption": caption,
        "width": width,
        "height": height,
        "srcset": None,
    }
    if size and widths:
        variants, found["srcset"] = responsive(relative, size[0], widths, siteurl)
        _variants.update(variants)
    return found


def _contained(content_path: str, value: str) -> bool:
    relative = content_relative(value)
    return relative is None or not (leads_outside(relative) or not inside(content_path, os.path.join(content_path, relative)))


def _refuse(article, what: str, value: str) -> None:
    # The strict checks stop the build before this; if a form they do not read got here, the file
    # is not read and the build fails (an error is logged) instead of publishing it.
    source = getattr(article, "source_path", "") or ""
    line = line_containing(source, value) if source else 0
    where = f"{display_path(source)}:{line}" if line else display_path(source)
    log.error("%s", messages.say("picture-outside", where=where, key=what, value=value))


def enrich(article, settings: dict) -> None:
    content_path, siteurl, widths = settings["PATH"], settings["SITEURL"], settings.get("IMAGE_WIDTHS", [])
    image = getattr(article, "image", None)
    if image and not _contained(content_path, image):
        _refuse(article, "Image", image)
        image = None
    article.lead_image = (
        describe_image(content_path, image, getattr(article, "imagealt", ""), getattr(article, "imagecaption", ""), siteurl, widths) if image else None
    )
    names = split_list(str(getattr(article, "attachments", "") or ""))
    for name in [n for n in names if not _contained(content_path, split_title(n)[0])]:
        _refuse(article, "Attachment", split_title(name)[0])
        names.remove(name)
    article.attachment_list = [describe_attachment(content_path, n, siteurl) for n in names]
    if widths and getattr(article, "_content", None):
        article._content, variants = enhance_body_pictures(
            article._content,
            content_path,
            widths,
            siteurl,
            lambda relative: picture_size(content_path, relative),
            refuse=lambda src: _refuse(article, "picture", src),
        )
        _variants.update(variants)


def on_initialized(pelican) -> None:
    _sizes.clear()
    _variants.clear()


def enrich_content(content) -> None:
    """The body step (plugins/bodies), after the sanitiser: its picture markup is the portal's own."""
    enrich(content, content.settings)


def on_finalized(pelican) -> None:
    settings = pelican.settings
    cache = os.path.join(settings.get("CACHE_PATH", "cache"), "images")
    made, reused = ensure_variants(_variants, settings["PATH"], cache, settings["OUTPUT_PATH"])
    log.info("Pictures: %d responsive copies made, %d taken from the cache", made, reused)


def register() -> None:
    signals.initialized.connect(on_initialized)
    bodies.add_step(__name__, enrich_content)
    signals.finalized.connect(on_finalized)
