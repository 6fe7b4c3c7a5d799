"""Directive documents ("Văn bản chỉ đạo, điều hành"): a registry, and every cited number linked.

Each document is a Markdown file in content/documents/ (model.py says what goes in it). Pelican does
not read that folder (it is in neither ARTICLE_PATHS nor PAGE_PATHS); this plugin does:

- when the article generator starts, every document file is read and checked (numbers, dates, kinds,
  topics, files, ReplacedBy/AmendedBy naming registered documents); any error stops the build with
  file:line, as the strict plugin does for front matter. `invoke check` reports the same problems,
  and also every number an article cites that is not registered (a warning with file:line);
- as each article is read, after the sanitiser and the pictures (its body step, plugins/bodies), the
  first mention of each registered number in its body becomes a link to the document's page
  (references.py: never inside a link, a heading, code or a URL); once articles are read
  (article_generator_finalized) each document learns the published articles that cite it (title,
  Summary or body);
- numbers and year ranges are kept whole on a line: in bodies, the same step puts the ones it does
  not link in a no-wrap span (link_html's keep_whole); in titles, templates use the ``keep_whole`` filter this plugin adds;
- the writer writes the registry at DOCUMENTS_URL (newest first), a page per kind, issuer, year and
  topic (filters that need no JavaScript; theme/static/js/documents.js filters the full list in place
  when it can run), and a page per document.

Settings (in pelicanconf.py only; a missing one stops the build naming it): DOCUMENTS_DIR (under
PATH), DOCUMENTS_SECTION (the section whose breadcrumb the registry extends and whose page links to
it), DOCUMENTS_URL / DOCUMENTS_SAVE_AS,
DOCUMENT_URL / DOCUMENT_SAVE_AS (with {slug}, the number as an address: 2410-ubnd-kstt),
DOCUMENTS_FILTER_URL / DOCUMENTS_FILTER_SAVE_AS (with {facet} and {value}).
Template context: DOCUMENTS (newest first), DOCUMENTS_BY_KEY, DOCUMENT_FACETS, DOCUMENTS_TRAIL.
Each article gets ``cited_numbers`` (normalised numbers it cites, registered or not; the search
index reads them) and ``cited_documents`` (the registered Documents).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Set as AbstractSet

import bodies
import markdown
from htmlclean import clean, dangerous_lines
from pelican import signals
from sitefiles import describe_attachment

import messages
import vntext
from sourcefiles import ContentError, Problem, display_path, markdown_files, read_front_matter, read_text, setting, stop_build

from .model import KINDS, STATUSES, Document, link_relations, parse_document
from .references import Citation, cited_numbers, keep_whole_html, keep_whole_text, link_html, markdown_citations, scan_html, year_ranges
from .registry import FACETS, Facet, FacetValue, build_facets, filter_text, newest_first

__all__ = [
    "Document",
    "KINDS",
    "STATUSES",
    "FACETS",
    "Facet",
    "FacetValue",
    "Citation",
    "SETTINGS",
    "load_documents",
    "check",
    "check_documents",
    "place_documents",
    "render_body",
    "cite_article",
    "attach_articles",
    "build_facets",
    "newest_first",
    "filter_text",
    "scan_html",
    "link_html",
    "markdown_citations",
    "keep_whole_text",
    "keep_whole_html",
    "year_ranges",
    "register",
]

log = logging.getLogger(__name__)

# Its settings, defined in pelicanconf.py (nowhere else), and given to the templates as they are.
SETTINGS = (
    "DOCUMENTS_DIR",
    "DOCUMENTS_SECTION",
    "DOCUMENTS_URL",
    "DOCUMENTS_SAVE_AS",
    "DOCUMENT_URL",
    "DOCUMENT_SAVE_AS",
    "DOCUMENTS_FILTER_URL",
    "DOCUMENTS_FILTER_SAVE_AS",
)
REGISTRY_TITLE = "Tra cứu văn bản"


def load_documents(settings: dict) -> tuple[list[Document], list[Problem]]:
    """Every document file, read and checked; the usable documents (file order) and all problems."""
    folder = os.path.join(settings["PATH"], setting(settings, "DOCUMENTS_DIR"))
    documents, problems = [], []
    for path in markdown_files(folder):
        try:
            text = read_text(path)
        except ContentError as error:
            problems += error.problems
            continue
        document, found = parse_document(path, settings, text)
        problems += found
        if document is not None:
            documents.append(document)
            for line, what in dangerous_lines(text):
                if line >= document.body_line:
                    problems.append(Problem(display_path(path), line, messages.say("unsafe-html-removed", what=repr(what)), "warning"))
    problems += link_relations(documents)
    bad = {p.path for p in problems if p.level == "error"}
    # Address clashes: the registry's first folder must not be a section's.
    first = setting(settings, "DOCUMENTS_URL").strip("/").split("/")[0]
    if first in settings.get("SECTIONS_BY_ID", {}):
        problems.append(Problem("content/data/sections.yaml", 0, messages.say("document-section-clash", first=first)))
    return [d for d in documents if display_path(d.source_path) not in bad], problems


def article_citation_problems(settings: dict, registered: set[str], files: AbstractSet[str] | None = None) -> tuple[list[Problem], set[str]]:
    """A warning for each number an article cites that is not registered: once per file and number,
    at its first line (the form the editor wrote, and how to register it); and the numbers cited.
    ``files`` (absolute paths): only those articles are read."""
    problems, cited = [], set()
    for folder in settings.get("ARTICLE_PATHS", ["articles"]):
        for path in markdown_files(os.path.join(settings["PATH"], folder)):
            if files is not None and path not in files:
                continue
            try:
                text = read_text(path)
            except ContentError:
                continue  # not UTF-8 text: the article checks name the file and line
            if not vntext.find_document_numbers(text):
                continue
            meta = read_front_matter(path, text)
            seen = set()
            citations = markdown_citations(text, meta.body_line, meta.lines.get("title", 0), meta.lines.get("summary", 0))
            for line, raw, key in citations:
                cited.add(key)
                if key in registered or key in seen:
                    continue
                seen.add(key)
                shown_raw = " ".join(raw.split())
                problems.append(
                    Problem(display_path(path), line, messages.say("document-not-registered", number=shown_raw, slug=vntext.slugify(raw)), "warning")
                )
    return problems, cited


def check_documents(settings: dict, citations: bool = True, files: AbstractSet[str] | None = None) -> tuple[list[Document], list[Problem]]:
    """What the build and `invoke check` report: document files, then (``citations``) the numbers
    articles cite that are not registered.

    ``files`` (absolute paths; `./portal check FILE`): the problems of those files and of the
    registered documents they cite; the whole registry is still read, as citations are judged by it.
    """
    documents, problems = load_documents(settings)
    if files is None:
        if citations:
            problems += article_citation_problems(settings, {d.key for d in documents})[0]
        return documents, problems
    found, cited = article_citation_problems(settings, {d.key for d in documents}, files)
    shown = {display_path(path) for path in files} | {display_path(d.source_path) for d in documents if d.key in cited}
    return documents, [p for p in problems if p.path in shown] + (found if citations else [])


def check(settings: dict, editor: bool = False, files: AbstractSet[str] | None = None) -> list[Problem]:
    """Problems of the document files, as the build stops on them when the article generator starts.

    ``editor`` (`invoke check` only) adds a warning for every number an article cites that is not
    registered: reading every article for numbers is too slow and too noisy for every build.
    ``files``: only those files and the documents they cite (`./portal check FILE`).
    """
    return check_documents(settings, citations=editor, files=files)[1]


def render_body(document: Document, url_of) -> str:
    """The document's own text (optional Markdown) as sanitised HTML, other documents linked, numbers
    kept whole."""
    if not document.body_markdown.strip():
        return ""
    html = markdown.markdown(document.body_markdown, extensions=["markdown.extensions.extra", "markdown.extensions.sane_lists"], output_format="html")
    html, _ = link_html(clean(html), url_of, skip=document.key, keep_whole=True)
    return html


def place_documents(documents: list[Document], settings: dict) -> dict[str, Document]:
    """Addresses, topics, files (kind and size) and bodies; returns the documents by number."""
    siteurl = settings.get("SITEURL", "")
    topics = settings.get("TOPICS_BY_ID", {})
    by_key = {document.key: document for document in documents}
    for document in documents:
        document.url = setting(settings, "DOCUMENT_URL").format(slug=document.slug)
        document.save_as = setting(settings, "DOCUMENT_SAVE_AS").format(slug=document.slug)
        document.topics = [topics[t] for t in document.topic_ids if t in topics]
        document.files = [describe_attachment(settings["PATH"], value, siteurl) for value in document.file_paths]
        document.articles = []

    def url_of(key: str) -> str | None:
        found = by_key.get(key)
        return f"{siteurl}/{found.url}" if found is not None else None

    for document in documents:
        document.body = render_body(document, url_of)
    return by_key


def cite_article(article, by_key: dict[str, Document], siteurl: str) -> list[str]:
    """Link the registered numbers in an article's body; set ``cited_numbers`` and ``cited_documents``.

    The title and Summary count as citations too (they are not linked: the title is a link in every
    list, the Summary is shown in lists and feeds).
    """

    def url_of(key: str) -> str | None:
        found = by_key.get(key)
        return f"{siteurl}/{found.url}" if found is not None else None

    title = str(getattr(article, "title", "") or "")
    numbers = [key for _s, _e, _r, key in vntext.find_document_numbers(title)]
    summary = article.metadata.get("summary")
    if summary:
        numbers += cited_numbers(scan_html(str(summary)))
    body = getattr(article, "_content", None) or ""
    if body:
        article._content, found = link_html(body, url_of, keep_whole=True)
        numbers += found
    article.cited_numbers = list(dict.fromkeys(numbers))
    article.cited_documents = [by_key[key] for key in article.cited_numbers if key in by_key]
    return article.cited_numbers


def attach_articles(by_key: dict[str, Document], articles) -> None:
    """Each document's citing articles, newest first (``articles``: the published, listed ones)."""
    for document in by_key.values():
        document.articles = []
    for article in sorted(articles, key=lambda a: a.date, reverse=True):
        for document in getattr(article, "cited_documents", []):
            document.articles.append(article)


def registry_trail(settings: dict) -> list[tuple[str, str]]:
    """Breadcrumb items down to the registry: the documents section's trail, then the registry."""
    section = settings.get("SECTIONS_BY_ID", {}).get(setting(settings, "DOCUMENTS_SECTION"))
    trail = list(section.trail) if section is not None else []
    return trail + [(REGISTRY_TITLE, setting(settings, "DOCUMENTS_URL"))]


# --- Signal handlers: thin adapters ---------------------------------------------------------------

_build: dict = {}


def on_initialized(pelican) -> None:
    # Before the generators make their Jinja environments: titles in every list keep numbers whole.
    pelican.settings.setdefault("JINJA_FILTERS", {})["keep_whole"] = keep_whole_text


def on_article_generator_init(generator) -> None:
    settings = generator.settings
    documents, problems = check_documents(settings, citations=False)
    stop_build(problems, log)
    ordered = newest_first(documents)
    by_key = place_documents(ordered, settings)
    facets = build_facets(ordered, settings.get("TOPICS", []), setting(settings, "DOCUMENTS_FILTER_URL"), setting(settings, "DOCUMENTS_FILTER_SAVE_AS"))
    added = {
        "DOCUMENTS": ordered,
        "DOCUMENTS_BY_KEY": by_key,
        "DOCUMENT_FACETS": facets,
        "DOCUMENTS_TRAIL": registry_trail(settings),
        "DOCUMENT_STATUSES": STATUSES,
        **{name: setting(settings, name) for name in SETTINGS},
    }
    generator.context.update(added)  # the search index (plugins/search) reads DOCUMENTS here too
    _build.clear()
    _build.update(by_key=by_key)


def link_citations(content) -> None:
    """The body step (plugins/bodies): an article's registered numbers linked (the registry was loaded
    before any was read) and, in the same pass, every other number and year range kept whole on a
    line; a page's only kept whole (pages do not cite: they are not listed with articles)."""
    by_key = _build.get("by_key")
    if by_key is None:
        return
    if type(content).__name__ == "Article":
        cite_article(content, by_key, content.settings.get("SITEURL", ""))
    elif getattr(content, "_content", None):
        content._content = keep_whole_html(content._content)


def on_article_generator_finalized(generator) -> None:
    by_key = _build.get("by_key")
    if by_key is not None:
        attach_articles(by_key, generator.articles)


def on_article_writer_finalized(generator, writer) -> None:
    context = generator.context
    documents = context.get("DOCUMENTS")
    if not documents:  # a portal without registered documents has no registry
        return
    settings = generator.settings
    trail = context["DOCUMENTS_TRAIL"]
    listing = generator.get_template("documents")
    page = generator.get_template("document")
    common = {"relative_urls": settings["RELATIVE_URLS"]}
    writer.write_file(
        setting(settings, "DOCUMENTS_SAVE_AS"),
        listing,
        context,
        template_name="documents",
        url=setting(settings, "DOCUMENTS_URL"),
        documents=documents,
        facet_value=None,
        trail=trail,
        filter_texts={d.key: filter_text(d) for d in documents},
        **common,
    )
    for facet in context["DOCUMENT_FACETS"]:
        for value in facet.values:
            writer.write_file(
                value.save_as,
                listing,
                context,
                template_name="documents",
                url=value.url,
                documents=value.documents,
                facet_value=value,
                trail=trail + [(value.heading, value.url)],
                filter_texts={},
                **common,
            )
    for document in documents:
        writer.write_file(
            document.save_as,
            page,
            context,
            template_name="document",
            url=document.url,
            document=document,
            trail=trail + [(document.heading, document.url)],
            **common,
        )


def register() -> None:
    signals.initialized.connect(on_initialized)
    signals.article_generator_init.connect(on_article_generator_init)
    bodies.add_step(__name__, link_citations)
    signals.article_generator_finalized.connect(on_article_generator_finalized)
    signals.article_writer_finalized.connect(on_article_writer_finalized)
