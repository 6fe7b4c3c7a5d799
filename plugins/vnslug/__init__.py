"""ASCII slugs from Vietnamese titles with the shared text module, for content without a Slug line.

Pelican's own slugify goes through Unidecode; ours is the one the content checks use to find
duplicate slugs, so the address a check predicts is the address the build writes.
"""

from pelican import signals

import vntext


def slug_for(metadata: dict) -> str | None:
    if metadata.get("slug") or not metadata.get("title"):
        return None
    return vntext.slugify(str(metadata["title"]))


def on_context(generator, metadata) -> None:
    slug = slug_for(metadata)
    if slug:
        metadata["slug"] = slug


def register() -> None:
    signals.article_generator_context.connect(on_context)
    signals.page_generator_context.connect(on_context)
