"""Fragments rendered once a build: parts of a page that are the same on thousands of pages.

The menu is the same on every page but for the current section; an article's teaser is the same on
each of its section, topic, tag and archive pages. A template asks for such a part with

    {{ fragment("_menu.html", current=section_id, home=is_home) }}

and the first call renders the template (with the page's context and the parameters); later calls
with the same template, parameters and SITEURL get the same HTML back. The rule for a fragment
template: what it shows may depend only on its parameters and on what is the same for the whole
build (settings, SECTIONS, site data), never on the page that includes it. Parameters must be
hashable (strings, numbers, an Article).

The cache lives for one build: it is emptied when Pelican starts one (initialized), so
`invoke livereload`, which builds again in the same process, never shows an old fragment.
"""

from __future__ import annotations

from jinja2 import pass_context
from markupsafe import Markup
from pelican import signals

__all__ = ["fragment", "register"]

_cache: dict[tuple, Markup] = {}


@pass_context
def fragment(context, name: str, **params) -> Markup:
    key = (name, context.get("SITEURL"), tuple(sorted(params.items())))
    found = _cache.get(key)
    if found is None:
        template = context.environment.get_template(name)
        found = _cache[key] = Markup(template.render({**context.get_all(), **params}))
    return found


def on_initialized(pelican) -> None:
    _cache.clear()
    pelican.settings.setdefault("JINJA_GLOBALS", {})["fragment"] = fragment


def register() -> None:
    signals.initialized.connect(on_initialized)
