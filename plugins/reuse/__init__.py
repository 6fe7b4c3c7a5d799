"""Rebuilds that render only the pages whose inputs changed (REUSE_UNCHANGED_PAGES, for `invoke livereload`).

Pelican renders every page on every build, also with its content cache on; after an editor fixes a typo
in one article, that is thousands of pages to render again for one that changed. With this plugin on,
each page written gets a key: a fingerprint of everything the page may show. When the last good site
has the page under the same key (and the file there is still what that build wrote), its HTML is taken
from there instead of rendering the template again. Pelican still writes every file, into the build's
own folder, so a build into a fresh staging folder (`invoke build`, `invoke livereload`) stays all or
nothing.

What a key covers, on purpose broader than any one page needs (a wrong guess must cost a render, never
show an old page):
- the site's fingerprint: the theme's templates, the plugins' code, the settings (their plain values),
  the data and document files, the names, sizes and times of pictures and attachments, every article
  and page (all its attributes, whichever plugin set them: address, status, metadata, picture, cited
  documents, ...; its body only when it has no Summary of its own, as Pelican then makes the summary
  from it), and every other object the plugins put in the template context (tables, documents, facets
  and the articles they list);
- the page's own: its file name, template and SITEURL, and for an article's or page's own page its body
  and what only that page shows (OWN_PAGE_ONLY: the three lists, related, same section, newest).
Attributes are read generically (``stable``), so a plugin that adds one cannot leave old pages behind;
a value without a stable form (an object printed with its address) makes every page render again.
So editing the body of an article that has a Summary renders that article's page again, and the pages
of the few articles whose related list the edit changed; every other page comes from the last build.
Editing a title, a date, a template or a data file renders everything.

Settings: REUSE_UNCHANGED_PAGES (False: every page is rendered, as for publishing), REUSE_FROM (the folder
of the last good site: OUTPUT_PATH when building in place; `invoke livereload` names output/). The keys
of the last build are kept in CACHE_PATH/reuse-pages.json.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import json
import logging
import os

from pelican import signals
from pelican.contents import Content, Static
from pelican.writers import Writer

from sourcefiles import content_objects

__all__ = ["site_fingerprint", "plain_settings", "stable", "register"]

log = logging.getLogger(__name__)

KEYS_FILE = "reuse-pages.json"
# Settings that name this build's folders, not what the pages show.
_VOLATILE_SETTINGS = {"OUTPUT_PATH", "REUSE_FROM", "CACHE_PATH", "RELATED_REPORT", "SEARCH_REPORT"}
# Attributes of an article or page that only its own page shows: in its page's key, not in the site's,
# so an edit that changes them renders that page only. Anything not named here counts for every page.
OWN_PAGE_ONLY = ("_content", "related_articles", "section_latest", "site_latest")
# Never read: the settings (fingerprinted as plain values) and the context, shared by every object.
_SKIPPED = {"settings", "_context"}

_state: dict = {}


def _digest(*parts) -> str:
    hasher = hashlib.blake2b(digest_size=16)
    for part in parts:
        hasher.update(part if isinstance(part, bytes) else str(part).encode("utf-8", "surrogatepass"))
        hasher.update(b"\0")
    return hasher.hexdigest()


def plain_settings(value):
    """The settings as plain values; objects (sections, documents, ...) come from files fingerprinted apart."""
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [plain_settings(v) for v in value]
        return sorted(items, key=repr) if isinstance(value, (set, frozenset)) else items
    if isinstance(value, dict):
        return {str(k): plain_settings(v) for k, v in sorted(value.items(), key=lambda item: str(item[0])) if k not in _VOLATILE_SETTINGS}
    return type(value).__name__


def _files(folder: str, suffixes: tuple[str, ...] | None, contents: bool) -> list:
    found: list[tuple] = []  # (path, digest) or (path, size, mtime)
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            if suffixes and not name.endswith(suffixes):
                continue
            path = os.path.join(root, name)
            relative = os.path.relpath(path, folder)
            if contents:
                with open(path, "rb") as handle:
                    found.append((relative, _digest(handle.read())))
            else:
                stat = os.stat(path)
                found.append((relative, stat.st_size, stat.st_mtime_ns))
    return found


def stable(value, memo: dict | None = None) -> str:
    """A text that is the same for equal values in any build: plain values and containers as JSON
    (dictionaries sorted), dates as ISO text, an article or page as a reference (its source: its
    attributes are read on their own), any other object as its type and attributes (``memo``: by id,
    each object read once; a cycle reads as a reference)."""
    memo = {} if memo is None else memo

    def default(obj):
        if isinstance(obj, (datetime.date, datetime.time)):
            return obj.isoformat()
        if isinstance(obj, Content):
            return f"<{type(obj).__name__} {getattr(obj, 'source_path', '')}>"
        if isinstance(obj, (set, frozenset)):
            return sorted(stable(item, memo) for item in obj)
        known = memo.get(id(obj))
        if known is not None:
            return known
        fields = _attributes(obj)
        if fields is None:
            # No attributes to read: what it prints as; with its address, a new text each build,
            # so the pages render again rather than show something old.
            text = f"{type(obj).__name__}({obj!s})"
        else:
            memo[id(obj)] = f"<{type(obj).__name__} ...>"
            text = type(obj).__name__ + stable(fields, memo)
        memo[id(obj)] = text
        return text

    try:
        return json.dumps(value, default=default, sort_keys=True, ensure_ascii=False, check_circular=False)
    except TypeError:  # a dictionary with keys JSON cannot sort (objects, tuples): read pair by pair
        return json.dumps(_keys_as_text(value, memo), default=default, sort_keys=True, ensure_ascii=False, check_circular=False)


def _keys_as_text(value, memo: dict):
    if isinstance(value, dict):
        return sorted([stable(key, memo), _keys_as_text(item, memo)] for key, item in value.items())
    if isinstance(value, (list, tuple)):
        return [_keys_as_text(item, memo) for item in value]
    return value


def _attributes(value) -> dict | None:
    if dataclasses.is_dataclass(value):
        return {f.name: getattr(value, f.name, None) for f in dataclasses.fields(value) if f.name not in _SKIPPED}
    found = getattr(value, "__dict__", None)
    if not isinstance(found, dict):
        return None
    return {key: item for key, item in found.items() if key not in _SKIPPED and not callable(item)}


def _content_facts(content, memo: dict) -> str:
    """Every attribute of an article or page but what only its own page shows; its body too when it
    has no Summary (Pelican makes the summary from it)."""
    fields = {key: value for key, value in vars(content).items() if key not in _SKIPPED and key not in OWN_PAGE_ONLY}
    summary_source = "" if content.metadata.get("summary") else _digest(getattr(content, "_content", "") or "")
    return _digest(type(content).__name__, stable(fields, memo), summary_source)


def _own_page_facts(content) -> str:
    """What only the article's or page's own page shows: its body and its three lists (an edit
    elsewhere may change who is related to it)."""
    return _digest(*(stable(getattr(content, name, None)) for name in OWN_PAGE_ONLY))


def _context_facts(context: dict, settings: dict, memo: dict) -> str:
    """What the plugins and generators added to the template context, and the objects a plugin put
    in the settings (plain settings are read apart)."""
    added = {}
    for key, value in context.items():
        if key in _SKIPPED or (key in settings and plain_settings(value) == value):
            continue
        if isinstance(value, list) and value and all(isinstance(item, Static) for item in value):
            # Pelican lists static files in set order, another each build; no page shows that order.
            value = sorted(getattr(item, "source_path", "") for item in value)
        added[key] = value
    return stable(added, memo)


def site_fingerprint(settings: dict, generators, context: dict) -> str:
    """What every page may show besides the body of the article or page it is about."""
    here = os.path.dirname(os.path.abspath(__file__))
    plugin_roots = [p if os.path.isabs(p) else os.path.join(os.getcwd(), p) for p in settings.get("PLUGIN_PATHS", [])] or [os.path.dirname(here)]
    content_path = settings["PATH"]
    parts = [
        json.dumps(plain_settings(settings), sort_keys=True, ensure_ascii=False),
        _files(os.path.join(settings["THEME"], "templates"), None, contents=True),
        [_files(root, (".py",), contents=True) for root in plugin_roots],
        _files(os.path.join(content_path, settings.get("SITE_DATA_DIR", "data")), None, contents=True),
        _files(os.path.join(content_path, settings.get("DOCUMENTS_DIR", "documents")), None, contents=True),
        [_files(os.path.join(content_path, folder), None, contents=False) for folder in settings.get("STATIC_PATHS", [])],
    ]
    memo: dict = {}
    parts.append(sorted(_content_facts(content, memo) for content in content_objects(generators)))
    parts.append(_context_facts(context, settings, memo))
    return _digest(*parts)


def _keys_path(settings: dict) -> str:
    return os.path.join(settings.get("CACHE_PATH", "cache"), KEYS_FILE)


def _previous_folder(settings: dict) -> str:
    # Not realpath: output/ is a link switched to each new build, and the link, not the build it
    # points at now, names the site the next build reuses from.
    return os.path.abspath(settings.get("REUSE_FROM") or settings["OUTPUT_PATH"])


class _Reusing:
    """Stands in for a template: gives the last build's HTML of an unchanged page, renders the others."""

    def __init__(self, template):
        self._template = template
        self.name = getattr(template, "name", None)

    def render(self, localcontext):
        name = localcontext["output_file"]
        content = localcontext.get("article") or localcontext.get("page")
        own = _own_page_facts(content) if content is not None else ""
        key = _digest(_state["site"], name, self.name, localcontext.get("SITEURL"), own)
        html = _previous_html(name, key)
        if html is None:
            html = self._template.render(localcontext)
            _state["rendered"] += 1
        else:
            _state["reused"] += 1
        _state["written"][name] = [key, _digest(html.encode("utf-8"))]
        return html


def _previous_html(name: str, key: str) -> str | None:
    previous = _state["previous"].get(name)
    if not previous or previous[0] != key:
        return None
    try:
        with open(os.path.join(_state["previous_folder"], name), "rb") as handle:
            data = handle.read()
    except OSError:
        return None
    if _digest(data) != previous[1]:  # changed since that build wrote it: render
        return None
    return data.decode("utf-8")


class ReusingWriter(Writer):
    def write_file(self, name, template, context, *args, **kwargs):
        if _state.get("site") is None:
            return super().write_file(name, template, context, *args, **kwargs)
        return super().write_file(name, _Reusing(template), context, *args, **kwargs)


def on_get_writer(pelican):
    if pelican.settings.get("REUSE_UNCHANGED_PAGES"):
        return ReusingWriter
    return None


def on_initialized(pelican) -> None:
    _state.clear()


def on_all_generators_finalized(generators) -> None:
    settings = generators[0].settings
    if not settings.get("REUSE_UNCHANGED_PAGES"):
        return
    previous = {}
    try:
        with open(_keys_path(settings), encoding="utf-8") as handle:
            stored = json.load(handle)
        if stored.get("folder") == _previous_folder(settings):
            previous = stored.get("pages", {})
    except (OSError, ValueError):
        pass
    _state.update(
        site=site_fingerprint(settings, generators, generators[0].context),
        previous=previous,
        previous_folder=_previous_folder(settings),
        written={},
        rendered=0,
        reused=0,
    )


def on_finalized(pelican) -> None:
    if _state.get("site") is None:
        return
    settings = pelican.settings
    os.makedirs(settings.get("CACHE_PATH", "cache"), exist_ok=True)
    # The keys describe the folder the site will be served from (REUSE_FROM once a staging build is
    # moved there); a build that fails later leaves keys whose file digests no longer match: no reuse.
    stored = {"folder": _previous_folder(settings), "rendered": _state["rendered"], "reused": _state["reused"], "pages": _state["written"]}
    temporary = _keys_path(settings) + ".tmp"
    with open(temporary, "w", encoding="utf-8") as handle:
        json.dump(stored, handle)
    os.replace(temporary, _keys_path(settings))
    log.info("Pages: %d rendered, %d unchanged taken from the last build", _state["rendered"], _state["reused"])


def register() -> None:
    signals.initialized.connect(on_initialized)
    signals.get_writer.connect(on_get_writer)
    signals.all_generators_finalized.connect(on_all_generators_finalized)
    signals.finalized.connect(on_finalized)
