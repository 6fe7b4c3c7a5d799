"""Fragments (plugins/fragments): parts rendered once a build, and still right on every page."""

from __future__ import annotations

from types import SimpleNamespace

import jinja2
from bs4 import BeautifulSoup

import fragments


def _environment(templates: dict[str, str]) -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.DictLoader(templates), autoescape=True)
    env.globals["fragment"] = fragments.fragment
    return env


def _new_build() -> None:
    fragments.on_initialized(SimpleNamespace(settings={}))


def test_a_fragment_is_rendered_once_per_parameters_and_siteurl():
    _new_build()
    calls = []
    env = _environment({"part.html": "{{ count() }}:{{ who }}@{{ SITEURL }}", "page.html": '{{ fragment("part.html", who=who) }}'})
    env.globals["count"] = lambda: calls.append(1) or len(calls)
    render = env.get_template("page.html").render
    assert render(who="a", SITEURL="") == "1:a@"
    assert render(who="a", SITEURL="") == "1:a@", "the same parameters: the first rendering again"
    assert render(who="b", SITEURL="") == "2:b@"
    assert render(who="a", SITEURL="https://x") == "3:a@https://x", "another SITEURL is another fragment"
    _new_build()
    assert render(who="a", SITEURL="") == "4:a@", "a new build renders again"


def test_fragment_output_is_markup_not_escaped_twice():
    _new_build()
    env = _environment({"part.html": "<b>{{ text }}</b>", "page.html": '<p>{{ fragment("part.html", text=text) }}</p>'})
    assert env.get_template("page.html").render(text="<script>") == "<p><b>&lt;script&gt;</b></p>"


def test_menu_marks_the_current_section_on_each_page(site):
    """The menu is one fragment per current section: each page still marks its own section."""
    checks = {"index.html": "/", "tin-tuc-su-kien/index.html": "/tin-tuc-su-kien/", "chi-so-cchc/index.html": "/chi-so-cchc/"}
    for path, current in checks.items():
        soup = BeautifulSoup((site.output / path).read_text(encoding="utf-8"), "html.parser")
        menus = soup.select(".site-nav .menu-list")
        assert len(menus) == 2, path
        for menu in menus:
            marked = [a["href"] for a in menu.select('a[aria-current="page"]')]
            assert marked == [current], (path, marked)
    article = next(site.output.glob("20*/*/*/index.html"))
    soup = BeautifulSoup(article.read_text(encoding="utf-8"), "html.parser")
    assert soup.select(".site-nav .menu-list") and not soup.select('.site-nav a[aria-current="page"][href="/"]')
