"""Responsive copies of the editors' pictures: smaller widths in JPEG and WebP, made once and cached.

The original stays where the editor put it (Pelican copies it); the copies go to
``images/_sizes/<path>-<width>.<jpg|webp>`` in the output. A copy is made with Pillow the first time
and kept in the cache folder under a key of the source's path, size and modification time, so a
later build copies it from the cache instead of resizing again.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
from dataclasses import dataclass

from bs4 import BeautifulSoup
from PIL import Image

import messages
from sourcefiles import content_relative, inside, leads_outside

log = logging.getLogger(__name__)

SIZES_FOLDER = "images/_sizes"
JPEG_QUALITY = 78
WEBP_QUALITY = 74


@dataclass(frozen=True)
class Variant:
    source: str  # path relative to the content folder, e.g. images/2024/hoi-nghi.jpg
    width: int
    format: str  # "jpg" or "webp"

    @property
    def target(self) -> str:
        stem = os.path.splitext(self.source)[0]
        if stem.startswith("images/"):
            stem = stem[len("images/") :]
        return f"{SIZES_FOLDER}/{stem}-{self.width}.{self.format}"


def widths_for(original_width: int, widths: list[int]) -> list[int]:
    """The configured widths narrower than the original, and the original width itself."""
    return sorted({w for w in widths if w < original_width} | {original_width})


def responsive(source: str, width: int, widths: list[int], siteurl: str) -> tuple[list[Variant], dict]:
    """Variants to make for a picture and the srcset strings that name them."""
    chosen = widths_for(width, widths)
    variants = [Variant(source, w, fmt) for fmt in ("webp", "jpg") for w in chosen]
    srcsets = {fmt: ", ".join(f"{siteurl}/{v.target} {v.width}w" for v in variants if v.format == fmt) for fmt in ("webp", "jpg")}
    return variants, srcsets


def _cache_key(variant: Variant, full_path: str) -> str:
    stat = os.stat(full_path)
    raw = f"{variant.source}|{stat.st_size}|{stat.st_mtime_ns}|{variant.width}|{variant.format}|{JPEG_QUALITY}|{WEBP_QUALITY}"
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()


def _make(full_path: str, variant: Variant, destination: str) -> None:
    with Image.open(full_path) as opened:
        picture: Image.Image = opened.convert("RGB") if opened.mode not in ("RGB", "L") else opened
        if picture.width != variant.width:
            height = round(picture.height * variant.width / picture.width)
            picture = picture.resize((variant.width, height), Image.Resampling.LANCZOS)
        temporary = destination + ".part"
        if variant.format == "webp":
            picture.save(temporary, "WEBP", quality=WEBP_QUALITY, method=4)
        else:
            picture.save(temporary, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
        os.replace(temporary, destination)


def ensure_variants(variants, content_path: str, cache_dir: str, output_path: str) -> tuple[int, int]:
    """Put every variant in the output, resizing only those not in the cache. Returns (made, reused)."""
    os.makedirs(cache_dir, exist_ok=True)
    made = reused = 0
    for variant in sorted(set(variants), key=lambda v: v.target):
        full_path = os.path.join(content_path, variant.source)
        target = os.path.join(output_path, variant.target)
        if not inside(content_path, full_path) or not inside(output_path, target):
            # The checks refuse such paths before the build reads anything; never read or write one.
            log.error("%s", messages.say("picture-copy-outside", source=variant.source, target=variant.target))
            continue
        cached = os.path.join(cache_dir, f"{_cache_key(variant, full_path)}.{variant.format}")
        if os.path.exists(cached):
            reused += 1
        else:
            _make(full_path, variant, cached)
            made += 1
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copyfile(cached, target)
    return made, reused


def local_picture(src: str) -> str | None:
    """'/images/a.jpg' or '{static}/images/a.jpg' -> 'images/a.jpg'; None for other addresses,
    and for any that leads outside the content folder ('/images/../../x.jpg', also %-encoded)."""
    relative = content_relative(src)
    if not relative or leads_outside(relative):
        return None
    return relative if relative.startswith("images/") and not relative.startswith(SIZES_FOLDER) else None


BODY_SIZES = "(min-width: 48rem) 44rem, 100vw"


def enhance_body_pictures(html: str, content_path: str, widths: list[int], siteurl: str, measure, refuse=None) -> tuple[str, list[Variant]]:
    """Give each local <img> in an article body its size, lazy loading and responsive sources.

    A picture whose address leads outside the content folder is never read: ``refuse(src)`` is
    called for it.
    """
    if "<img" not in html:
        return html, []
    soup = BeautifulSoup(html, "html.parser")
    variants: list[Variant] = []
    for img in soup.find_all("img"):
        img["loading"] = "lazy"
        img["decoding"] = "async"
        src = img.get("src", "")
        if not isinstance(src, str):
            continue  # a list only for attributes such as class; html.parser never makes one of src
        source = local_picture(src)
        if not source:
            relative = content_relative(src)
            if refuse and relative is not None and leads_outside(relative):
                refuse(src)
            continue
        if not inside(content_path, os.path.join(content_path, source)):
            if refuse:
                refuse(src)
            continue
        size = measure(source)
        if not size:
            continue
        width, height = size
        img["width"], img["height"] = str(width), str(height)
        found, srcsets = responsive(source, width, widths, siteurl)
        variants += found
        img["srcset"] = srcsets["jpg"]
        img["sizes"] = BODY_SIZES
        picture = soup.new_tag("picture")
        webp = soup.new_tag("source", attrs={"type": "image/webp", "srcset": srcsets["webp"], "sizes": BODY_SIZES})
        img.wrap(picture)
        img.insert_before(webp)
    return str(soup), variants
