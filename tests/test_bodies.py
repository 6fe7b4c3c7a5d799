"""Each body is rewritten once, at one signal, in the order of PLUGINS (plugins/bodies)."""

from __future__ import annotations

import bodies

import pelicanconf


class Article:  # the steps run for articles and pages, by class name, as Pelican's are named
    def __init__(self, plugins):
        self.settings = {"PLUGINS": plugins}
        self.done = []


class Static(Article):
    pass


def test_steps_run_in_the_order_of_plugins_and_only_for_this_builds_plugins(monkeypatch):
    monkeypatch.setattr(bodies, "_steps", {})
    monkeypatch.setattr(bodies, "_order", {})
    for name in ("later", "first", "gone"):  # added in another order than PLUGINS lists them
        bodies.add_step(name, lambda content, name=name: content.done.append(name))
    article = Article(["first", "other", "later"])
    bodies.run_steps(article)
    assert article.done == ["first", "later"]
    static = Static(["first", "later"])
    bodies.run_steps(static)
    assert static.done == []


def test_the_portal_rewrites_editors_html_before_adding_its_own_and_search_reads_the_result():
    # sanitize cleans what the editor wrote; media and documents rewrite it (pictures, links to
    # documents); tables then inserts the portal's own markup, which no later step may change; search
    # reads the final body.
    order = [pelicanconf.PLUGINS.index(name) for name in ("sanitize", "media", "documents", "tables", "search")]
    assert order == sorted(order)
