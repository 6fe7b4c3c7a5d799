"""sitemap.xml and robots.txt for every HTML page the build wrote.

The sitemap is built from what was actually written (Pelican's content_written signal), so section,
topic, archive and paginated pages are in it without each plugin having to declare them.
"""

from __future__ import annotations

import os
from xml.sax.saxutils import escape

from pelican import signals

from sourcefiles import site_url

EXCLUDED = ("404.html", "ban-nhap/")

_written: dict[str, str | None] = {}


def page_url(relative_path: str) -> str:
    """'2017/03/slug/index.html' -> '2017/03/slug/'."""
    relative_path = relative_path.replace(os.sep, "/")
    if relative_path == "index.html":
        return ""
    if relative_path.endswith("/index.html"):
        return relative_path[: -len("index.html")]
    return relative_path


def sitemap_xml(siteurl: str, entries: dict[str, str | None]) -> str:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for url in sorted(entries):
        lines.append(f"<url><loc>{escape(siteurl + '/' + url)}</loc>")
        if entries[url]:
            lines.append(f"<lastmod>{entries[url]}</lastmod>")
        lines.append("</url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def robots_txt(siteurl: str) -> str:
    return f"User-agent: *\nDisallow: /ban-nhap/\n\nSitemap: {siteurl}/sitemap.xml\n"


def on_initialized(pelican) -> None:
    _written.clear()


def on_content_written(path, context) -> None:
    output = context.get("OUTPUT_PATH")
    if not path.endswith(".html") or not output:
        return
    relative = os.path.relpath(path, output).replace(os.sep, "/")
    if relative.startswith(EXCLUDED):
        return
    item = context.get("article") or context.get("page")
    if getattr(item, "status", "published") != "published":
        return  # a draft or hidden page of a local build is noindex: no sitemap line either
    lastmod = None
    if item is not None and getattr(item, "date", None):
        lastmod = getattr(item, "modified", None) or item.date
        lastmod = lastmod.isoformat(timespec="seconds")
    _written[page_url(relative)] = lastmod


def on_finalized(pelican) -> None:
    siteurl = site_url(pelican.settings)
    output = pelican.settings["OUTPUT_PATH"]
    with open(os.path.join(output, "sitemap.xml"), "w", encoding="utf-8") as handle:
        handle.write(sitemap_xml(siteurl, _written))
    with open(os.path.join(output, "robots.txt"), "w", encoding="utf-8") as handle:
        handle.write(robots_txt(siteurl))


def register() -> None:
    signals.initialized.connect(on_initialized)
    signals.content_written.connect(on_content_written)
    signals.finalized.connect(on_finalized)
