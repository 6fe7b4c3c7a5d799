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
reader made, and every content object still passes through content_object_init, so the steps run
again on every build. The "generator" layer keeps whole content objects, rewritten bodies included,
and they do not pass through content_object_init again: a table, document or picture edited since
would leave old embeds, links or sizes in them. So with that layer each step names the files it
reads (``inputs``), and when their names, sizes and times or the plugins' code changed since the
last build that finished, this build does not load the content cache (it still writes it).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Callable

from pelican import signals

__all__ = ["add_step", "run_steps", "ordered_steps", "inputs_fingerprint"]

log = logging.getLogger(__name__)

INPUTS_FILE = "bodies-inputs.json"
KINDS = ("Article", "Page")

_steps: dict[str, Callable] = {}
_inputs: dict[str, Callable[[dict], list[str]]] = {}
_settings_read: dict[str, tuple[str, ...]] = {}
_order: dict[tuple, list[Callable]] = {}
_state: dict = {}


def add_step(plugin: str, step: Callable, inputs: Callable[[dict], list[str]] | None = None, settings_read: tuple[str, ...] = ()) -> None:
    """Run ``step(content)`` on every article and page as it is read, at ``plugin``'s place in PLUGINS.

    ``plugin`` is the plugin's module name (its ``__name__``, as Pelican lists it in PLUGINS);
    ``inputs(settings)``: the files and folders the step reads besides the content object, and
    ``settings_read`` the settings whose values it puts into bodies (see above).
    Called again by a later build in the same process (livereload), it replaces the step.
    """
    _steps[plugin] = step
    if inputs is not None:
        _inputs[plugin] = inputs
    _settings_read[plugin] = tuple(settings_read)
    _order.clear()
    signals.content_object_init.connect(run_steps)
    signals.initialized.connect(on_initialized)
    signals.finalized.connect(on_finalized)


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


# --- Pelican's content cache, generator layer -------------------------------------------------------------


def _stamps(path: str) -> list:
    if os.path.isfile(path):
        stat = os.stat(path)
        return [(path, stat.st_size, stat.st_mtime_ns)]
    found = []
    for root, dirs, files in os.walk(path):
        dirs.sort()
        for name in sorted(files):
            full = os.path.join(root, name)
            try:
                stat = os.stat(full)
            except OSError:
                continue  # gone while walking: the next build sees it
            found.append((os.path.relpath(full, path), stat.st_size, stat.st_mtime_ns))
    return found


def inputs_fingerprint(settings: dict) -> str:
    """Names, sizes and times of what this build's steps read, the settings they put into bodies, and
    the code of the plugins and libraries (the same for the same inputs, another for any change)."""
    hasher = hashlib.blake2b(digest_size=16)
    libraries = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    code = [os.path.join(root, name) for root, _dirs, names in os.walk(libraries) for name in names if name.endswith(".py")]
    parts = [sorted(_stamps(path)[0] for path in code)]
    for plugin in settings.get("PLUGINS") or ():
        if plugin in _steps:
            files = _inputs[plugin](settings) if plugin in _inputs else []
            values = [repr(settings.get(name)) for name in _settings_read.get(plugin, ())]
            parts.append([plugin, values, *[_stamps(path) for path in files]])
    hasher.update(json.dumps(parts, ensure_ascii=False).encode("utf-8", "surrogatepass"))
    return hasher.hexdigest()


def _inputs_path(settings: dict) -> str:
    return os.path.join(settings.get("CACHE_PATH", "cache"), INPUTS_FILE)


def on_initialized(pelican) -> None:
    _state.clear()
    settings = pelican.settings
    if settings.get("CONTENT_CACHING_LAYER") != "generator" or not settings.get("CACHE_CONTENT"):
        return
    current = inputs_fingerprint(settings)
    _state["fingerprint"] = current
    if not settings.get("LOAD_CONTENT_CACHE"):
        return
    try:
        with open(_inputs_path(settings), encoding="utf-8") as handle:
            stored = json.load(handle).get("fingerprint")
    except (OSError, ValueError, AttributeError):
        stored = None
    if stored != current:
        # The generators read this setting when they are made, after this signal.
        settings["LOAD_CONTENT_CACHE"] = False
        log.info("Tables, documents, pictures or plugin code changed since the last build: articles are read again")


def on_finalized(pelican) -> None:
    # Written only when the build got to the end: the content cache it saved matches these inputs.
    fingerprint = _state.pop("fingerprint", None)
    if fingerprint is None:
        return
    path = _inputs_path(pelican.settings)
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    temporary = f"{path}.{os.getpid()}.tmp"
    with open(temporary, "w", encoding="utf-8") as handle:
        json.dump({"fingerprint": fingerprint}, handle)
    os.replace(temporary, path)
