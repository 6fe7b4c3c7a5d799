"""The editors' desk in a browser (`./portal edit`): Decap CMS over the working copy, no hosted service.

The CMS is a face on the content model, never a second one: it reads and writes the same Markdown
files with Pelican's "Key: value" front matter (webeditor/pelican-format.js, keys in the orders below),
and its configuration is made here from the site data at start (sections, topics, document kinds,
the columns of each result table), so that it cannot drift from what the checks accept.

``backend`` speaks Decap's local_backend protocol (as decap-server does) with atomic writes and a git
commit a save; ``server`` serves /admin/ and that API on localhost only.

This package is a library, not a Pelican plugin: it has no ``register``.
"""

from __future__ import annotations

import os
import re
from datetime import date

import messages
import vntext
from sourcefiles import load_yaml

__all__ = ["ARTICLE_KEYS", "PAGE_KEYS", "DOCUMENT_KEYS", "document_number_pattern", "table_columns", "cms_config", "ADMIN_PATH", "API_PATH"]

ADMIN_PATH = "/admin/"
API_PATH = "/api/v1"
CHECK_PATH = "/api/check"

# Front matter keys in the order an editor writes them (README, editorial.new_article, the sample
# content): a new file is written in this order; an existing file keeps its own order, and a key it
# did not have goes in before the first later key of this order.
ARTICLE_KEYS = (
    "Title",
    "Date",
    "Category",
    "Slug",
    "Modified",
    "Summary",
    "Topics",
    "Tags",
    "Author",
    "Image",
    "ImageAlt",
    "ImageCaption",
    "Featured",
    "Attachments",
    "Related",
    "Status",
)
PAGE_KEYS = ("Title", "Slug", "Lang", "Summary", "Status")
# As the registry's files are written (content/documents/): the number first.
DOCUMENT_KEYS = ("Number", "Kind", "Issuer", "Signer", "Signed", "Effective", "Status", "ReplacedBy", "AmendedBy", "Title", "Topics", "Files", "Link")

# What a cell of a result table looks like, per column type (plugins/tables/model.py TYPES), as a
# JavaScript RegExp without flags (Decap's `pattern` compiles it so). The build's check is the judge;
# these catch a typing slip before the save. The message saying what a value looks like is the
# tables plugin's own (tables.model.TYPES), so the form and the build say it in the same words.
CELL_PATTERNS = {
    "integer": r"^-?\d+$",
    "number": r"^-?\d+(\.\d+)?$",
    "percent": r"^\d+(\.\d+)?$",
    "year": r"^(19|20)\d\d$",
    "date": r"^\d{4}-\d{2}-\d{2}$",
    "ratio": r"^\d+/\d+$",
}


def document_number_pattern() -> str:
    """vntext's document-number pattern as the source of a JavaScript RegExp (compiled with the "u"
    flag by webeditor/widgets.js): one rule, written once in Python, for the build and the form.

    Python's ``(?P<name>`` is JavaScript's ``(?<name>``; Python's ``\\d`` and ``\\w`` match any
    Unicode digit and word character, JavaScript's only ASCII ones, so they become property classes.
    """
    source = vntext._DOC_NUMBER_FIND_RE.pattern  # the one rule; private by name, shared on purpose
    out = []
    index = 0
    in_class = False
    while index < len(source):
        char = source[index]
        if char == "\\" and index + 1 < len(source):
            escaped = source[index + 1]
            if escaped == "d":
                out.append(r"\p{Nd}")
            elif escaped == "w":
                out.append(r"\p{L}\p{N}\p{Mn}_" if in_class else r"[\p{L}\p{N}\p{Mn}_]")
            else:
                out.append(char + escaped)
            index += 2
            continue
        if char == "[" and not in_class:
            in_class = True
        elif char == "]" and in_class:
            in_class = False
        elif char == "(" and source.startswith("(?P<", index):
            out.append("(?<")
            index += 4
            continue
        out.append(char)
        index += 1
    return "".join(out)


def table_columns(path: str) -> tuple[dict, list[dict]] | None:
    """A result table's heading data and columns, or None when the file is not a table the form can
    edit (the build's check reports what is wrong with it)."""
    try:
        data = load_yaml(path)
    except Exception:  # a broken table is the check's to report, not the editor's server's
        return None
    if not isinstance(data, dict) or not isinstance(data.get("columns"), list) or not isinstance(data.get("rows"), list):
        return None
    # One scalar a cell: what webeditor/pelican-format.js reads and writes back line for line.
    if any(not isinstance(row, dict) or any(isinstance(v, (dict, list)) for v in row.values()) for row in data["rows"]):
        return None
    columns = [c for c in data["columns"] if isinstance(c, dict) and isinstance(c.get("id"), str)]
    return data, columns


_ID_RE = re.compile(r"^[a-z0-9_-]+$")

# What the form calls each key: Vietnamese, with the key as editors write it in a file.
LABELS = {
    "Title": "edit-label-title",
    "Date": "edit-label-date",
    "Category": "edit-label-category",
    "Summary": "edit-label-summary",
    "Topics": "edit-label-topics",
    "Tags": "edit-label-tags",
    "Author": "edit-label-author",
    "Image": "edit-label-image",
    "ImageAlt": "edit-label-image-alt",
    "ImageCaption": "edit-label-image-caption",
    "Featured": "edit-label-featured",
    "Attachments": "edit-label-attachments",
    "Status": "edit-label-status",
    "File": "edit-label-file",
    "Number": "edit-label-number",
    "Kind": "edit-label-kind",
    "Issuer": "edit-label-issuer",
    "Signer": "edit-label-signer",
    "Signed": "edit-label-signed",
    "Effective": "edit-label-effective",
    "Files": "edit-label-files",
    "Link": "edit-label-link",
}


def _labelled(fields: list[dict]) -> list[dict]:
    for field in fields:
        if field.get("label") in LABELS:
            field["label"] = messages.say(LABELS[field["label"]])
        if isinstance(field.get("field"), dict):
            _labelled([field["field"]])
    return fields


def _required(label: str) -> dict:
    return {"label": label, "required": True}


def _article_collection(settings: dict) -> dict:
    sections = [{"label": f"{'— ' * s.get('depth', 0)}{s['title']}", "value": s["id"]} for s in _sections_in_order(settings)]
    topics = [{"label": t.title, "value": t.id} for t in settings["TOPICS"]]
    year = "{{fields.date | date('YYYY')}}"
    return {
        "name": "articles",
        "label": messages.say("edit-collection-articles"),
        "label_singular": messages.say("edit-collection-article"),
        "folder": "content/articles",
        # Decap lower-cases a path template and turns its dots into dashes ({{fields.x}} and date
        # filters cannot work there): _year is set by webeditor/editor.js before each save, from
        # Date as written, in local time as Pelican reads it.
        "path": "{{category}}/{{_year}}/{{slug}}",
        "slug": "{{slug}}",
        "extension": "md",
        "format": "pelican-article",
        "create": True,
        "summary": "{{title}} ({{fields.date | date('DD/MM/YYYY')}})",
        "sortable_fields": ["date", "title"],
        "media_folder": "/content/images/" + year,
        "public_folder": "images/" + year,
        "fields": [
            {"name": "title", "widget": "string", **_required("Title")},
            {
                "name": "date",
                "widget": "datetime",
                "format": "YYYY-MM-DD HH:mm",
                "date_format": "DD/MM/YYYY",
                "time_format": "HH:mm",
                "picker_utc": False,
                "default": "{{now}}",
                **_required("Date"),
            },
            {"name": "category", "widget": "select", "options": sections, **_required("Category")},
            {"name": "summary", "widget": "text", "required": False, "label": "Summary"},
            {"name": "topics", "widget": "select", "multiple": True, "options": topics, "required": False, "label": "Topics"},
            {"name": "tags", "widget": "string", "required": False, "label": "Tags", "hint": messages.say("edit-hint-tags")},
            {"name": "author", "widget": "string", "required": False, "label": "Author"},
            {"name": "image", "widget": "image", "required": False, "label": "Image", "choose_url": False},
            {
                "name": "imagealt",
                "widget": "portal-image-alt",
                "required": False,
                "label": "ImageAlt",
                "image_field": "image",
                "hint": messages.say("edit-hint-image-alt"),
            },
            {"name": "imagecaption", "widget": "string", "required": False, "label": "ImageCaption"},
            {"name": "featured", "widget": "boolean", "default": False, "required": False, "label": "Featured"},
            {
                "name": "attachments",
                "widget": "list",
                "required": False,
                "label": "Attachments",
                "field": {
                    "name": "file",
                    "label": "File",
                    "widget": "file",
                    "choose_url": False,
                    "media_folder": "/content/files/" + year,
                    "public_folder": "files/" + year,
                },
            },
            {
                "name": "status",
                "widget": "select",
                "required": False,
                "label": "Status",
                "options": [
                    {"label": messages.say("edit-status-published"), "value": ""},
                    {"label": messages.say("edit-status-draft"), "value": "draft"},
                    {"label": messages.say("edit-status-hidden"), "value": "hidden"},
                ],
                "default": "",
            },
            {"name": "body", "widget": "markdown", "label": messages.say("edit-field-body"), "required": False},
        ],
    }


def _sections_in_order(settings: dict) -> list[dict]:
    found: list[dict] = []

    def walk(items, depth):
        for item in items or []:  # sitedata's Section objects, in menu order
            found.append({"id": item.id, "title": item.title, "depth": depth})
            walk(item.children, depth + 1)

    walk(settings["SECTIONS"], 0)
    return found


def _page_collection() -> dict:
    return {
        "name": "pages",
        "label": messages.say("edit-collection-pages"),
        "label_singular": messages.say("edit-collection-page"),
        "folder": "content/pages",
        "extension": "md",
        "format": "pelican-page",
        "create": True,
        "slug": "{{slug}}",
        "fields": [
            {"name": "title", "widget": "string", **_required("Title")},
            {"name": "summary", "widget": "text", "required": False, "label": "Summary"},
            {"name": "body", "widget": "markdown", "label": messages.say("edit-field-body"), "required": False},
        ],
    }


def _document_collection(settings: dict) -> dict:
    from documents import KINDS, STATUSES  # the registry's own lists, read, not copied

    topics = [{"label": t.title, "value": t.id} for t in settings["TOPICS"]]
    day = {"widget": "datetime", "format": "YYYY-MM-DD", "date_format": "DD/MM/YYYY", "time_format": False, "picker_utc": False}
    return {
        "name": "documents",
        "label": messages.say("edit-collection-documents"),
        "label_singular": messages.say("edit-collection-document"),
        "folder": "content/documents",
        "path": "{{_year}}/{{slug}}",
        "slug": "{{fields.number}}",
        "identifier_field": "number",
        "extension": "md",
        "format": "pelican-document",
        "create": True,
        "summary": "{{number}} — {{title}}",
        "media_folder": "/content/files/{{fields.signed | date('YYYY')}}",
        "public_folder": "files/{{fields.signed | date('YYYY')}}",
        "fields": [
            {"name": "number", "widget": "portal-document-number", **_required("Number"), "hint": messages.say("edit-hint-number")},
            {"name": "kind", "widget": "select", "options": list(KINDS), **_required("Kind")},
            {"name": "issuer", "widget": "string", **_required("Issuer")},
            {"name": "signer", "widget": "string", "required": False, "label": "Signer"},
            {"name": "signed", **day, **_required("Signed")},
            {"name": "effective", **day, "required": False, "label": "Effective"},
            # A string, not a select: files write the status in their own case ("còn hiệu lực").
            {"name": "status", "widget": "string", "required": False, "label": "Status", "hint": ", ".join(STATUSES.values())},
            {"name": "title", "widget": "string", **_required("Title")},
            {"name": "topics", "widget": "select", "multiple": True, "options": topics, "required": False, "label": "Topics"},
            {
                "name": "files",
                "widget": "list",
                "required": False,
                "label": "Files",
                "field": {"name": "file", "label": "File", "widget": "file", "choose_url": False},
            },
            {"name": "link", "widget": "string", "required": False, "label": "Link"},
            {"name": "body", "widget": "markdown", "label": messages.say("edit-field-body"), "required": False},
        ],
    }


def _cell_field(column: dict) -> dict:
    kind = column.get("type", "text")
    field = {"name": column["id"], "label": str(column.get("label") or column["id"]), "widget": "string", "required": False}
    if kind in CELL_PATTERNS:
        from tables.model import TYPES  # the build's words for each column type, read, not copied

        field["pattern"] = [CELL_PATTERNS[kind], messages.say(TYPES[kind])]
    return field


def _table_collection(content: str) -> dict | None:
    folder = os.path.join(content, "data", "tables")
    files = []
    for name in sorted(os.listdir(folder)) if os.path.isdir(folder) else []:
        if not name.endswith(".yaml") or not _ID_RE.match(name[:-5]):
            continue
        found = table_columns(os.path.join(folder, name))
        if found is None:
            continue
        data, columns = found
        files.append(
            {
                "name": name[:-5],
                "label": str(data.get("title") or name[:-5]),
                "file": f"content/data/tables/{name}",
                "fields": [
                    {
                        "name": "rows",
                        "label": messages.say("edit-table-rows"),
                        "label_singular": messages.say("edit-table-row"),
                        "widget": "list",
                        "collapsed": False,  # a table has a few rows: all cells in view
                        "fields": [_cell_field(c) for c in columns],
                    }
                ],
            }
        )
    if not files:
        return None
    # The format is the collection's (Decap reads no per-file format): only the rows are rewritten.
    return {
        "name": "tables",
        "label": messages.say("edit-collection-tables"),
        "format": "portal-table-rows",
        "extension": "yaml",
        "editor": {"preview": False},
        "files": files,
    }


def cms_config(settings: dict, api_url: str = "", backend: dict | None = None) -> dict:
    """Decap CMS's configuration for this site (CMS.init({config})), made from its data now.

    With ``api_url``: the local backend of ``./portal edit``. With ``backend`` instead (an editors'
    host, see export_admin): that git host's backend, e.g. {"name": "gitlab", "repo": ...}, and its
    "publish_mode" if it has one."""
    content = settings["PATH"]
    collections = [_article_collection(settings), _page_collection(), _document_collection(settings)]
    for collection in collections:
        _labelled(collection["fields"])
    tables = _table_collection(content)
    if tables:
        collections.append(tables)
    remote = dict(backend or {})
    publish_mode = remote.pop("publish_mode", "simple")
    config = {
        "load_config_file": False,
        # Decap's proxy backend on our own server; the git-gateway name only satisfies the schema
        # (local_backend replaces it). An editors' host names gitlab, gitea or github instead.
        "backend": remote or {"name": "git-gateway"},
        "local_backend": {"url": api_url},
        "locale": "vi",
        "publish_mode": publish_mode,
        "site_url": settings.get("SITEURL") or "",
        "media_folder": "content/images",
        "public_folder": "images",
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "collections": collections,
        # Ours, read by webeditor/*.js: the formats' key orders and the document-number rule.
        "portal": {
            "keys": {"pelican-article": list(ARTICLE_KEYS), "pelican-page": list(PAGE_KEYS), "pelican-document": list(DOCUMENT_KEYS)},
            "lists": ["Topics", "Attachments", "Files"],
            "booleans": ["Featured"],
            "document_number": document_number_pattern(),
            "checks": bool(api_url),  # only ./portal edit runs the checks after a save; CI does elsewhere
            "sections": {s["id"]: s["title"] for s in _sections_in_order(settings)},
            "topics": {t.id: t.title for t in settings["TOPICS"]},
            "text": {
                "image_alt_missing": messages.say("edit-image-alt-missing"),
                "number_invalid": messages.say("edit-number-invalid"),
                "checks_title": messages.say("edit-checks-title"),
                "checks_running": messages.say("edit-checks-running"),
                "checks_failed": messages.say("edit-checks-failed"),
                "list_add": messages.say("edit-list-add", item="%{item}"),  # Decap's placeholder syntax
                "attachments": "Tệp đính kèm",  # the article template's heading, as readers see it
            },
            # Monday first, as date.weekday() counts (2024-01-01 was a Monday): the preview's dates.
            "weekdays": [vntext.weekday_name(date(2024, 1, 1 + day)) for day in range(7)],
        },
    }
    if not api_url:
        del config["local_backend"]
    return config


def export_admin(project: str, target: str, config: dict) -> list[str]:
    """Write an editors' host's /admin/ (and the preview's /theme/ files) into ``target``: our page
    and scripts, the pinned CMS build from node_modules, and ``config``. An explicit opt-in for a host
    only editors reach; never part of a build of the public site. Returns the files written."""
    import json
    import shutil

    admin = os.path.join(target, "admin")
    os.makedirs(os.path.join(admin, "decap"), exist_ok=True)
    written = []
    for name in ("index.html", "pelican-format.js", "editor.js"):
        written.append(shutil.copy2(os.path.join(project, "webeditor", name), os.path.join(admin, name)))
    dist = os.path.join(project, "node_modules", "decap-cms", "dist")
    for name in sorted(os.listdir(dist)):
        if name.endswith("decap-cms.js") or name.endswith(".wasm"):  # the bundle and its lazy chunks
            written.append(shutil.copy2(os.path.join(dist, name), os.path.join(admin, "decap", name)))
    for relative in ("css/site.css", "images/favicon.svg"):
        os.makedirs(os.path.dirname(os.path.join(target, "theme", relative)), exist_ok=True)
        written.append(shutil.copy2(os.path.join(project, "theme", "static", relative), os.path.join(target, "theme", relative)))
    path = os.path.join(admin, "config.json")
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(config, handle, ensure_ascii=False, indent=1)
    written.append(path)
    return written
