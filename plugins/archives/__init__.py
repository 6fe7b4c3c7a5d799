"""Year and month archive pages (/2017/, /2017/03/) and the counts on the archive index.

Pelican's own period archives test every article against every period's list (quadratic: seconds at
10,000 articles), so they are switched off in pelicanconf.py and built here in one pass. The context
keeps Pelican's shape: ``period_archives`` = {"year": [...], "month": [...]}, each entry with
period_num, url, save_as and the period's articles, newest first; and ``older`` / ``newer``, the
nearest period of the same kind that has articles (its period_num and url; None at either end), so a
month page leads to the months around it without a dead link to an empty month.

Pelican's tag, category and author pages have the same kind of filter: for each of them it keeps
the site's date-ordered articles that are ``in`` that tag's list, a list scan an article (2.5 s of
CPU for the tags alone at 10,000 generated articles, in bare Pelican too). Their lists become
``Members``, lists whose ``in`` asks a set; what the pages list, and in which order, is unchanged.
"""

from __future__ import annotations

from collections import defaultdict

from pelican import signals


def group_periods(articles, year_url: str, year_save_as: str, month_url: str, month_save_as: str) -> dict[str, list[dict]]:
    """Articles (newest first) grouped by year and by month, in one pass, order kept."""
    years: dict[int, dict] = {}
    months: dict[tuple[int, int], dict] = {}
    for article in articles:
        date = article.date
        year = years.get(date.year)
        if year is None:
            year = years[date.year] = {"period_num": (date.year,), "url": year_url.format(date=date), "save_as": year_save_as.format(date=date), "articles": []}
        year["articles"].append(article)
        key = (date.year, date.month)
        month = months.get(key)
        if month is None:
            month = months[key] = {"period_num": key, "url": month_url.format(date=date), "save_as": month_save_as.format(date=date), "articles": []}
        month["articles"].append(article)
    ordered_years = sorted(years.values(), key=lambda p: p["period_num"], reverse=True)
    ordered_months = sorted(months.values(), key=lambda p: p["period_num"], reverse=True)
    for ordered in (ordered_years, ordered_months):
        for index, period in enumerate(ordered):
            period["period"] = period["period_num"]
            period["dates"] = period["articles"]
            # Copies of the neighbours' address, not the neighbours themselves: no cycle in the context.
            period["older"] = _neighbour(ordered[index + 1]) if index + 1 < len(ordered) else None
            period["newer"] = _neighbour(ordered[index - 1]) if index > 0 else None
    return {"year": ordered_years, "month": ordered_months}


class Members(list):
    """A tag's, category's or author's articles: a list, with ``in`` by identity through a set (the
    articles define no equality of their own, so ``in`` meant identity already)."""

    def __init__(self, items=()):
        super().__init__(items)
        self._ids = {id(item) for item in self}

    def __contains__(self, item) -> bool:
        return id(item) in self._ids


def with_members(generator) -> None:
    """generator.tags (a dict, as Pelican's), categories and authors (lists of pairs) with Members lists, and the
    context's copies of them (Pelican put them there as lists of pairs)."""
    generator.tags = defaultdict(Members, {tag: Members(articles) for tag, articles in generator.tags.items()})
    generator.categories = [(category, Members(articles)) for category, articles in generator.categories]
    generator.authors = [(author, Members(articles)) for author, articles in generator.authors]
    generator.context["tags"] = list(generator.tags.items())
    generator.context["categories"] = generator.categories
    generator.context["authors"] = generator.authors


def _neighbour(period: dict) -> dict:
    return {"period_num": period["period_num"], "url": period["url"]}


def on_article_generator_finalized(generator) -> None:
    with_members(generator)
    s = generator.settings
    newest_first = sorted(generator.articles, key=lambda a: a.date, reverse=True)
    generator.context["period_archives"] = group_periods(
        newest_first, s["ARCHIVE_YEAR_URL"], s["ARCHIVE_YEAR_SAVE_AS"], s["ARCHIVE_MONTH_URL"], s["ARCHIVE_MONTH_SAVE_AS"]
    )


def on_article_writer_finalized(generator, writer) -> None:
    template = generator.get_template("period_archives")
    for granularity in ("year", "month"):
        for period in generator.context["period_archives"][granularity]:
            writer.write_file(
                period["save_as"],
                template,
                generator.context,
                relative_urls=generator.settings["RELATIVE_URLS"],
                template_name="period_archives",
                url=period["url"],
                period=period["period"],
                period_num=period["period_num"],
                articles=period["articles"],
                dates=period["dates"],
                older=period["older"],
                newer=period["newer"],
            )


def register() -> None:
    signals.article_generator_finalized.connect(on_article_generator_finalized)
    signals.article_writer_finalized.connect(on_article_writer_finalized)
