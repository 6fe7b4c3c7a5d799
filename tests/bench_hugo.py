"""Hugo beside the portal in `invoke bench`: the static-site generator an office would pick instead.

The generated archive is the portal's (tests/archive_generator.py: Pelican's "Key: value" front
matter); Hugo reads YAML front matter, so ``hugo_site`` writes the same articles as a Hugo project,
outside the timings, with a minimal theme that renders the page kinds the portal renders: each
article's page, the home page and each section's list (paginated by 10 like the portal's), a page
for every tag and topic with its list, the lists of tags and topics, an Atom-like RSS feed for the
site and each section, and a sitemap. What Hugo builds none of: related news, month and year
archives, the search index, the documents registry, the results tables and the portal's checks of
every link and file; so the ratio is an upper bound of what those cost.

Debian's hugo is the anchor (``ensure_hugo`` installs it when missing and the bench may use apt).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

HUGO_PACKAGE = "hugo"  # Debian bookworm: 0.111.3

CONFIG = {
    "baseURL": "http://localhost:1313/",
    "languageCode": "vi",
    "title": "Bench",
    "disableKinds": [],
    "paginate": 10,
    "taxonomies": {"tag": "tags", "topic": "topics"},
    "permalinks": {"posts": "/:year/:month/:slug/"},
    "outputs": {"home": ["HTML", "RSS"], "section": ["HTML", "RSS"], "taxonomy": ["HTML"], "term": ["HTML"]},
    "markup": {"goldmark": {"renderer": {"unsafe": False}}},
}

LAYOUTS = {
    "_default/baseof.html": """<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ block "title" . }}{{ .Title }} | {{ .Site.Title }}{{ end }}</title></head>
<body><header><a href="/">{{ .Site.Title }}</a>
<nav>{{ range .Site.Sections }}<a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ end }}</nav></header>
<main>{{ block "main" . }}{{ end }}</main><footer>{{ .Site.Title }}</footer></body></html>
""",
    "_default/single.html": """{{ define "main" }}<article><h1>{{ .Title }}</h1>
<p><time datetime="{{ .Date.Format "2006-01-02T15:04" }}">{{ .Date.Format "02/01/2006 15:04" }}</time> {{ with .Params.author }}· {{ . }}{{ end }}</p>
<p><strong>{{ .Summary }}</strong></p>
{{ with .Params.image }}<figure><img src="/{{ . }}" alt="{{ $.Params.imagealt }}"><figcaption>{{ $.Params.imagecaption }}</figcaption></figure>{{ end }}
{{ .Content }}
<p>{{ range .GetTerms "tags" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</p></article>{{ end }}
""",
    "_default/list.html": """{{ define "main" }}<h1>{{ .Title }}</h1>
{{ $pages := .RegularPagesRecursive }}{{ if .IsHome }}{{ $pages = where .Site.RegularPages "Section" "posts" }}{{ end }}
{{ range (.Paginate $pages.ByDate.Reverse).Pages }}<article><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
<p>{{ .Date.Format "02/01/2006" }}</p><p>{{ .Summary }}</p></article>{{ end }}
{{ template "_internal/pagination.html" . }}{{ end }}
""",
    "_default/terms.html": """{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Data.Terms.ByCount }}
<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>{{ end }}
""",
}


def ensure_hugo(log) -> str | None:
    """The hugo command, installed from Debian when missing and apt may be used; None when it cannot be had."""
    found = shutil.which("hugo")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        log("installing Debian's hugo (apt-get install hugo)")
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "install", "-y", "-q", HUGO_PACKAGE], env=env, check=False, capture_output=True)
    return shutil.which("hugo")


def _front_matter(text: str) -> tuple[dict, str]:
    head, _, body = text.partition("\n\n")
    meta = {}
    for line in head.splitlines():
        key, _, value = line.partition(":")
        meta[key.strip().lower()] = value.strip()
    return meta, body


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def hugo_site(content: Path, site: Path) -> Path:
    """Write the portal archive ``content`` as a Hugo project in ``site``; returns ``site``."""
    if site.exists():
        shutil.rmtree(site)
    (site / "content" / "posts").mkdir(parents=True)
    (site / "hugo.json").write_text(json.dumps(CONFIG, ensure_ascii=False, indent=1), encoding="utf-8")
    for name, text in LAYOUTS.items():
        path = site / "layouts" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    if (content / "images").is_dir():
        shutil.copytree(content / "images", site / "static" / "images")
    sections: set[str] = set()
    for source in sorted((content / "articles").rglob("*.md")):
        meta, body = _front_matter(source.read_text(encoding="utf-8"))
        section = meta.get("category") or source.relative_to(content / "articles").parts[0]
        sections.add(section)
        front = {
            "title": meta["title"],
            "date": meta["date"].replace(" ", "T") + ":00+07:00",
            "slug": meta["slug"],
            "summary": meta.get("summary", ""),
            "tags": _split(meta.get("tags", "")),
            "topics": _split(meta.get("topics", "")),
            "author": meta.get("author", ""),
        }
        for key in ("image", "imagealt", "imagecaption"):
            if key in meta:
                front[key] = meta[key]
        # A section is a folder under content/ in Hugo; the articles' own address stays /year/month/slug/.
        target = site / "content" / "posts" / section / f"{meta['slug']}.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("---\n" + json.dumps(front, ensure_ascii=False) + "\n---\n\n" + body, encoding="utf-8")
    for section in sections:
        index = site / "content" / "posts" / section / "_index.md"
        index.write_text("---\n" + json.dumps({"title": section}) + "\n---\n", encoding="utf-8")
    return site


def build_command(hugo: str, site: Path, output: Path) -> list[str]:
    return [hugo, "--quiet", "--source", str(site), "--destination", str(output), "--cleanDestinationDir"]


def server_command(hugo: str, site: Path, port: int) -> list[str]:
    """`hugo server` as a user runs it while editing: renders to memory, reloads the browser on save."""
    return [hugo, "server", "--source", str(site), "--port", str(port), "--bind", "127.0.0.1"]


def article_source(site: Path, slug: str) -> Path:
    return next((site / "content" / "posts").rglob(f"{slug}.md"))
