"""Markdown files read with one converter a build, reset before each file.

Pelican's Markdown reader makes a new ``markdown.Markdown`` for every file it reads: the extensions
are loaded and set up again, and the first conversion with a new instance builds its inline
patterns again: 0.44 ms a file more than a reset converter on the generated articles, and
0.93x the CPU of a 1,000-article build with this reader (farm-bench, four pairs). ``reset()`` is
how Python-Markdown means one instance to be used for many documents: every extension clears what
it keeps (Meta, the table of contents, footnotes, abbreviations), so the HTML and the metadata are
the same as with a new instance (tests/test_plugins_units.py holds them equal on the sample site's
files). Pelican already resets the same instance to convert the Summary after the body; it takes
the Meta preprocessor out for that, and this reader puts it back for the next file.
"""

from __future__ import annotations

from markdown import Markdown
from pelican import signals
from pelican.readers import MarkdownReader
from pelican.utils import pelican_open

__all__ = ["OneConverterReader", "register"]

# Where markdown.extensions.meta registers its preprocessor (before normalize_whitespace at 30).
_META_PRIORITY = 27


class OneConverterReader(MarkdownReader):
    """Pelican's Markdown reader, with one converter for every file this reader reads."""

    _converter: Markdown | None = None

    def read(self, source_path):
        self._source_path = source_path
        if self._converter is None:
            self._converter = Markdown(**self.settings["MARKDOWN"])
        self._md = self._converter.reset()
        with pelican_open(source_path) as text:
            content = self._md.convert(text)
        metadata = self._parse_metadata(self._md.Meta) if hasattr(self._md, "Meta") else {}
        return content, metadata

    def _parse_metadata(self, meta):
        preprocessors = self._md.preprocessors
        front_matter = preprocessors["meta"] if "meta" in preprocessors else None
        try:
            return super()._parse_metadata(meta)
        finally:
            if front_matter is not None and "meta" not in preprocessors:
                preprocessors.register(front_matter, "meta", _META_PRIORITY)


def on_readers_init(readers) -> None:
    for extension, reader in list(readers.reader_classes.items()):
        if reader is MarkdownReader:
            readers.reader_classes[extension] = OneConverterReader


def register() -> None:
    signals.readers_init.connect(on_readers_init)
