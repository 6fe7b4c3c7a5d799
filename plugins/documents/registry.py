"""The registry's lists: every document newest first, and one list per kind, issuer, year and topic.

The lists per value are written as pages of their own, so readers filter without JavaScript; the
page of all documents carries what documents.js needs to filter it in place.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import vntext

from .model import KINDS, Document

__all__ = ["FACETS", "Facet", "FacetValue", "newest_first", "build_facets", "filter_text"]

# (id in the address, label, heading of a filtered page)
FACETS = (
    ("loai", "Loại văn bản", "{label}"),
    ("co-quan", "Cơ quan ban hành", "Văn bản của {label}"),
    ("nam", "Năm ban hành", "Văn bản ban hành năm {label}"),
    ("linh-vuc", "Lĩnh vực", "Văn bản về {label_lower}"),
)


@dataclass(eq=False)
class FacetValue:
    facet: str  # "loai"
    facet_label: str  # "Loại văn bản"
    value: str  # "ke-hoach"
    label: str  # "Kế hoạch"
    heading: str  # "Kế hoạch", "Văn bản ban hành năm 2021"
    documents: list[Document] = field(default_factory=list)
    url: str = ""
    save_as: str = ""


@dataclass(eq=False)
class Facet:
    id: str
    label: str
    values: list[FacetValue] = field(default_factory=list)


def newest_first(documents: list[Document]) -> list[Document]:
    """By signing date, newest first; on one day, by number."""
    return sorted(documents, key=lambda d: (-d.signed.toordinal(), d.key))


def _values_of(document: Document, facet: str, topics_by_id: dict) -> list[tuple[str, str]]:
    if facet == "loai":
        return [(document.kind_slug, document.kind)]
    if facet == "co-quan":
        return [(document.issuer_slug, document.issuer)]
    if facet == "nam":
        return [(str(document.year), str(document.year))]
    return [(topic, topics_by_id[topic].title) for topic in document.topic_ids if topic in topics_by_id]


def build_facets(documents: list[Document], topics: list, url_format: str, save_as_format: str) -> list[Facet]:
    """The four facets with their values that have documents, each value's documents newest first.

    Kinds in the order of KINDS, issuers alphabetically (the first spelling met names an issuer),
    years newest first, topics in the order of topics.yaml.
    """
    ordered = newest_first(documents)
    topics_by_id = {topic.id: topic for topic in topics}
    facets = []
    for ident, label, heading in FACETS:
        values: dict[str, FacetValue] = {}
        for document in ordered:
            for value, value_label in _values_of(document, ident, topics_by_id):
                if value not in values:
                    lowered = value_label[:1].lower() + value_label[1:]
                    values[value] = FacetValue(
                        ident,
                        label,
                        value,
                        value_label,
                        heading.format(label=value_label, label_lower=lowered),
                        url=url_format.format(facet=ident, value=value),
                        save_as=save_as_format.format(facet=ident, value=value),
                    )
                values[value].documents.append(document)
        if ident == "loai":
            rank = {vntext.slugify(kind): i for i, kind in enumerate(KINDS)}
            items = sorted(values.values(), key=lambda v: rank.get(v.value, len(rank)))
        elif ident == "co-quan":
            items = sorted(values.values(), key=lambda v: vntext.fold(v.label).lower())
        elif ident == "nam":
            items = sorted(values.values(), key=lambda v: v.value, reverse=True)
        else:
            rank = {topic.id: i for i, topic in enumerate(topics)}
            items = sorted(values.values(), key=lambda v: rank.get(v.value, len(rank)))
        facets.append(Facet(ident, label, items))
    return facets


def filter_text(document: Document) -> str:
    """What the in-page filter matches typed words against: folded, lower case, the number as printed
    and normalised, the kind, issuer and excerpt (theme/static/js/documents.js folds the query alike)."""
    text = " ".join([document.number, document.key, document.kind, document.issuer, document.title, document.signer])
    return " ".join(vntext.fold(vntext.normalize(text)).lower().split())
