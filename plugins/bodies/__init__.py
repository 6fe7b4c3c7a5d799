"""Each article and page body rewritten once, in plugin order, at one signal (a library: no register).

The plugins that rewrite a body (sanitize, media, documents, tables) or read the final one (search)
each add a step under their own name from their register(). ``run_steps``, which each of them
connects to content_object_init (blinker connects one function once), runs the steps of the plugins
of this build in the order of settings["PLUGINS"]: blinker gives no order between the receivers of a
signal, so the order lives here, in one handler. Everything that reads a body after that (the search
index, related news, the templates) reads the final one; nothing rewrites it again.

A step is ``step(content) -> None`` for an Article or a Page; it reads the state its plugin loaded
before any content is read (the tables and the document registry are loaded at
article_generator_init) and sets ``_content`` and any attribute it adds.

Pelican's content cache: its default layer (CONTENT_CACHING_LAYER "reader") keeps what the Markdown
reader made, and every content object still passes through content_object_init, so the steps run on
every build with this build's tables, documents and pictures. The "generator" layer keeps whole content
objects, rewritten bodies included, and they do not pass through content_object_init again: a table,
document or picture edited since would leave old embeds, links or sizes, and the pictures' responsive
copies would not be asked for. So a build that asks for that layer uses the reader layer (and says so).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from pelican import signals

__all__ = ["add_step", "run_steps", "ordered_steps"]

log = logging.getLogger(__name__)

KINDS = ("Article", "Page")

_steps: dict[str, Callable] = {}
_order: dict[tuple, list[Callable]] = {}


def add_step(plugin: str, step: Callable) -> None:
    """Run ``step(content)`` on every article and page as it is read, at ``plugin``'s place in PLUGINS.

    ``plugin`` is the plugin's module name (its ``__name__``, as Pelican lists it in PLUGINS).
    Called again by a later build in the same process (livereload), it replaces the step.
    """
    _steps[plugin] = step
    _order.clear()
    signals.content_object_init.connect(run_steps)
    signals.initialized.connect(on_initialized)


def ordered_steps(plugins) -> list[Callable]:
    """The steps of the plugins in ``plugins``, in that order (a step of a plugin this build does not
    use, added by an earlier build in the same process, is left out)."""
    key = tuple(plugins or ())
    if key not in _order:
        _order[key] = [_steps[name] for name in key if name in _steps]
    return _order[key]


def run_steps(content) -> None:
    if type(content).__name__ not in KINDS:
        return
    for step in ordered_steps(content.settings.get("PLUGINS")):
        step(content)


def on_initialized(pelican) -> None:
    settings = pelican.settings
    if settings.get("CONTENT_CACHING_LAYER") == "generator":
        # The generators read this setting when they are made, after this signal.
        settings["CONTENT_CACHING_LAYER"] = "reader"
        log.warning(
            'CONTENT_CACHING_LAYER = "generator" would keep old article bodies (tables, document links, '
            'pictures); the content cache keeps what the reader made instead (CONTENT_CACHING_LAYER = "reader")'
        )
