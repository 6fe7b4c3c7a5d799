"""Result tables: YAML files in content/data/tables/ become accessible tables, build-time SVG charts,
CSV and JSON downloads, and blocks an article embeds with one line (see docs/tables.md).

Settings (in pelicanconf.py only; a missing one stops the build naming it): TABLES_DIR (under PATH),
TABLES_ROOT_SECTION (the results section; a table belongs to it or one of its descendants), TABLE_URL
and TABLE_SAVE_AS (with {id}).
Template context: TABLES, TABLES_BY_ID, TABLES_BY_SECTION (a section id -> the tables of the section
and its descendants). Each table page gets ``table``; a table knows the articles that embed it.

Every table and every embed is checked when the article generator starts, before anything is read
or written; an error stops the build with file:line, as the strict plugin does for front matter.
An editor's own Markdown tables get a labelled box that scrolls sideways (scroll.py). Embeds are put
into each article and page as it is read (its body step, plugins/bodies), after the
plugins that rewrite or sanitise bodies (tables comes after them in PLUGINS): their markup is the
portal's own, with every YAML text escaped.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Set as AbstractSet

import bodies
from pelican import signals

import messages
from sourcefiles import Problem, display_path, markdown_files, setting, site_url, stop_build

from .chart import chart_svg
from .embed import Embed, EmbedExtension, check_embeds, find_embeds, render_embeds
from .export import to_csv, to_json
from .model import Table, load_tables, parse_table
from .scroll import wrap_tables

__all__ = [
    "check",
    "check_tables",
    "place_tables",
    "group_by_section",
    "load_tables",
    "parse_table",
    "find_embeds",
    "check_embeds",
    "render_embeds",
    "wrap_tables",
    "make_renderer",
    "to_csv",
    "to_json",
    "register",
]

log = logging.getLogger(__name__)

# How an article's Markdown asks for a block: the partial renders it with the site's own templates.
EMBED_TEMPLATE = '{% from "_data_table.html" import embed with context %}{{ embed(table, kind, prefix) }}'


def results_section_ids(settings: dict) -> set[str]:
    root = settings.get("SECTIONS_BY_ID", {}).get(setting(settings, "TABLES_ROOT_SECTION"))
    return root.ids if root is not None else set()


def _markdown_files(settings: dict) -> list[str]:
    folders = list(settings.get("ARTICLE_PATHS", ["articles"])) + list(settings.get("PAGE_PATHS", ["pages"]))
    return [path for folder in folders for path in markdown_files(os.path.join(settings["PATH"], folder))]


def check_tables(settings: dict, files: AbstractSet[str] | None = None) -> tuple[list[Table], dict[str, list[Embed]], list[Problem]]:
    """Every table and every embed in the articles and pages, checked: what the build and `invoke check` report.

    Returns the valid tables, the embeds by Markdown file (real path), and the problems. ``files``
    (absolute paths; `./portal check FILE`): only those Markdown files are read for embeds, and the
    problems are theirs and those of the tables they embed (and of chosen table files).
    """
    folder = os.path.join(settings["PATH"], setting(settings, "TABLES_DIR"))
    tables, table_problems = load_tables(folder, results_section_ids(settings))
    by_id = {table.id: table for table in tables}
    invalid = {os.path.splitext(os.path.basename(p.path))[0] for p in table_problems if p.level == "error"}
    problems: list[Problem] = []
    embeds: dict[str, list[Embed]] = {}
    for path in _markdown_files(settings):
        if files is not None and path not in files:
            continue
        found, found_problems = check_embeds(path, by_id, invalid=invalid)
        problems += found_problems
        if found:
            embeds[os.path.realpath(path)] = found
    if files is None:
        return tables, embeds, table_problems + problems
    used = {embed.table_id for found in embeds.values() for embed in found}
    shown = {display_path(path) for path in files}
    kept = [p for p in table_problems if p.path in shown or os.path.splitext(os.path.basename(p.path))[0] in used]
    return tables, embeds, kept + problems


def check(settings: dict, editor: bool = False, files: AbstractSet[str] | None = None) -> list[Problem]:
    """Problems of the result tables and the embeds (check_tables), as the build stops on them when
    the article generator starts (``editor`` adds nothing; ``files``: see check_tables)."""
    return check_tables(settings, files)[2]


def place_tables(tables: list[Table], settings: dict) -> None:
    """Give each table its address and its Section object."""
    for table in tables:
        table.url = setting(settings, "TABLE_URL").format(id=table.id)
        table.save_as = setting(settings, "TABLE_SAVE_AS").format(id=table.id)
        table.section = settings.get("SECTIONS_BY_ID", {}).get(table.section_id)


def group_by_section(tables: list[Table], top_sections) -> dict[str, list[Table]]:
    """Section id -> the tables of the section and its descendants, in section-tree then file order."""
    order: dict[str, int] = {}
    for top in top_sections:
        for section in top.walk():
            order.setdefault(section.id, len(order))
    ordered = sorted(tables, key=lambda t: (order.get(t.section_id, len(order)), t.id))
    result = {}
    for top in top_sections:
        for section in top.walk():
            ids = section.ids
            result[section.id] = [t for t in ordered if t.section_id in ids]
    return result


def make_renderer(env, tables_by_id: dict, siteurl: str):
    """render(kind, table_id, id_prefix) -> HTML of an embedded table or chart, None for an unknown id."""
    env.globals.setdefault("chart_svg", chart_svg)  # also in an environment Pelican did not make
    template = env.from_string(EMBED_TEMPLATE)

    def render(kind: str, table_id: str, prefix: str) -> str | None:
        table = tables_by_id.get(table_id)
        if table is None or (kind == "bieu-do" and table.chart is None):
            return None
        return template.render(table=table, kind=kind, prefix=prefix, SITEURL=siteurl).strip()

    return render


def _install_markdown_extension(settings: dict) -> None:
    markdown = settings.setdefault("MARKDOWN", {})
    # Once, also when the same process builds again (livereload).
    extensions = [e for e in markdown.get("extensions", []) if not isinstance(e, EmbedExtension)]
    markdown["extensions"] = extensions + [EmbedExtension()]


# --- Signal handlers: thin adapters ---------------------------------------------------------------

_build: dict = {}


def on_initialized(pelican) -> None:
    # Before the generators make their Jinja environments: the table page and embeds draw charts with it.
    pelican.settings.setdefault("JINJA_GLOBALS", {})["chart_svg"] = chart_svg


def on_article_generator_init(generator) -> None:
    settings = generator.settings
    tables, embeds, problems = check_tables(settings)
    stop_build(problems, log)
    place_tables(tables, settings)
    by_id = {table.id: table for table in tables}
    generator.context["TABLES"] = tables
    generator.context["TABLES_BY_ID"] = by_id
    generator.context["TABLES_BY_SECTION"] = group_by_section(tables, settings.get("SECTIONS", []))
    _install_markdown_extension(settings)
    _build.clear()
    _build.update(tables=tables, by_id=by_id, embeds=embeds, render=make_renderer(generator.env, by_id, settings.get("SITEURL", "")))


def on_article_generator_finalized(generator) -> None:
    """Let each table know the published articles that embed it, newest first."""
    by_id, embeds = _build.get("by_id", {}), _build.get("embeds", {})
    for table in by_id.values():
        table.articles = []
    for article in sorted(generator.articles, key=lambda a: a.date, reverse=True):
        used = {embed.table_id for embed in embeds.get(os.path.realpath(article.source_path), [])}
        for table_id in sorted(used):
            if table_id in by_id:
                by_id[table_id].articles.append(article)


def embed_tables(content) -> None:
    """The body step (plugins/bodies): the editor's own tables in scroll boxes (scroll.py), then the
    tables and charts an article or page embeds.

    A step, not part of the Markdown conversion: the steps before it (the sanitiser, document links)
    read the editor's HTML only, and the tables were loaded before any content was read. The boxes
    come first so that the embedded result tables, which have their own, are not boxed twice.
    """
    if "<table" in (content._content or ""):
        content._content = wrap_tables(content._content, getattr(content, "lang", "vi") or "vi")
    render = _build.get("render")
    if render is None or "[[" not in (content._content or ""):
        return
    content._content, missing = render_embeds(content._content, render)
    for code in missing:
        # check_tables has stopped the build for these already; a logged error fails it (strict).
        log.error("%s: %s", display_path(content.source_path), messages.say("embed-table-gone", code=code))


def on_article_writer_finalized(generator, writer) -> None:
    """A page per table, with its CSV and JSON beside it."""
    settings = generator.settings
    tables = _build.get("tables", [])
    if not tables:
        return
    template = generator.get_template("table")
    siteurl = site_url(settings)
    for table in tables:
        writer.write_file(
            table.save_as, template, generator.context, relative_urls=settings["RELATIVE_URLS"], template_name="table", url=table.url, table=table
        )
        folder = os.path.join(generator.output_path, os.path.dirname(table.save_as))
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, table.csv_name), "w", encoding="utf-8", newline="") as handle:
            handle.write(to_csv(table))
        with open(os.path.join(folder, table.json_name), "w", encoding="utf-8") as handle:
            handle.write(to_json(table, siteurl))


def register() -> None:
    signals.initialized.connect(on_initialized)
    signals.article_generator_init.connect(on_article_generator_init)
    signals.article_generator_finalized.connect(on_article_generator_finalized)
    bodies.add_step(__name__, embed_tables)
    signals.article_writer_finalized.connect(on_article_writer_finalized)
