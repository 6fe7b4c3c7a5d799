"""The benchmark harness: a deterministic archive generator and a smoke run of `invoke bench --quick`."""

from __future__ import annotations

import hashlib
import os
import re
import signal
import subprocess
import sys
import time

import bench
from archive_generator import generate

from sourcefiles import read_front_matter


def digest(folder):
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*.md")):
        h.update(path.relative_to(folder).as_posix().encode() + path.read_bytes())
    return h.hexdigest()


def test_generator_is_deterministic_and_covers_the_site(tmp_path):
    first = generate(tmp_path / "a", 120)
    second = generate(tmp_path / "b", 120)
    assert digest(first) == digest(second)
    articles = sorted((first / "articles").rglob("*.md"))
    assert len(articles) == 120
    sections = {p.relative_to(first / "articles").parts[0] for p in articles}
    assert {"tin-tuc-su-kien", "kiem-tra-cchc", "chi-so-cchc", "hinh-anh"} <= sections
    years = {int(read_front_matter(str(p)).get("date")[:4]) for p in articles}
    assert years == set(range(2014, 2026))
    words = [len(p.read_text(encoding="utf-8").split("\n\n", 1)[1].split()) for p in articles]
    assert min(words) >= 280 and max(words) <= 1400
    assert any(re.search(r"\d+/(?:\d{4}/)?[A-ZĐ]+-[A-ZĐa-z]+", p.read_text(encoding="utf-8")) for p in articles)


def test_quick_bench_reports_bare_pelican_the_portal_and_hugo():
    report = bench.run([150], write=False, command="invoke bench --quick", edits=2)
    rows = [line for line in report.splitlines() if line.startswith("| 150 |") and line.split("|")[2].strip() in ("bare Pelican", "portal", "Hugo")]
    assert [row.split("|")[2].strip() for row in rows] == ["bare Pelican", "portal", "Hugo"]
    cells = {row.split("|")[2].strip(): [c.strip() for c in row.split("|")[1:-1]] for row in rows}
    for row in cells.values():
        assert float(row[2]) > 0 and float(row[3]) > 0 and float(row[6]) > 0, row  # wall s, CPU s, MB
        assert re.fullmatch(r"\d+\.\d\dx", row[4]) and re.fullmatch(r"\d+\.\d\dx", row[5]), row  # CPU and wall vs bare
        assert re.fullmatch(r"[\d.]+ KB / [\d.]+ KB / [\d.]+ KB", row[12]), row
    assert cells["bare Pelican"][4] == "1.00x" and cells["bare Pelican"][9] == "—"
    # Save to page: measured for the portal (livereload) and Hugo (hugo server), a median of seconds.
    assert float(cells["portal"][9]) > 0 and float(cells["Hugo"][9]) > 0
    assert re.fullmatch(r"[\d.]+x / [\d.]+x", cells["portal"][10]), "portal vs Hugo, wall and CPU"
    assert "Load during the run: median " in report and "Hugo v0." in report
    parts = [line for line in report.splitlines() if line.startswith("| 150 |") and line not in rows]
    assert len(parts) == 1, "the portal's own reports: related news and the search index"
    related_seconds, share, search_seconds, tail_seconds = [c.strip() for c in parts[0].split("|")[2:-1]]
    assert float(related_seconds) >= 0 and re.fullmatch(r"[\d.]+%", share)
    assert float(search_seconds) >= float(tail_seconds) > 0


def test_hugo_site_has_the_archive_s_articles_with_their_front_matter(tmp_path):
    import json

    import bench_hugo

    content = generate(tmp_path / "archive", 40)
    site = bench_hugo.hugo_site(content, tmp_path / "hugo")
    posts = [p for p in (site / "content" / "posts").rglob("*.md") if p.name != "_index.md"]
    assert len(posts) == 40
    source = sorted((content / "articles").rglob("*.md"))[0]
    meta = read_front_matter(str(source))
    front = json.loads(bench_hugo.article_source(site, meta.get("slug")).read_text(encoding="utf-8").split("---\n")[1])
    assert front["title"] == meta.get("title") and front["date"].startswith(meta.get("date").replace(" ", "T"))
    assert front["tags"] == [t.strip() for t in meta.get("tags").split(",")]


def test_lighthouse_report_names_what_keeps_a_page_under_100():
    import bench_lighthouse

    def category(score, failing=()):
        refs = [{"id": "ok", "weight": 1}] + [{"id": name, "weight": 1} for name in failing]
        return {"score": score, "auditRefs": refs}

    result = {
        "categories": {
            "performance": category(0.995),
            "accessibility": category(0.96, ["target-size"]),
            "best-practices": category(1.0),
            "seo": category(0.69, ["is-crawlable"]),
        },
        "audits": {
            "ok": {"score": 1, "title": "Fine"},
            "target-size": {"score": 0, "title": "Touch targets are too small", "details": {"items": [{"node": {"selector": "footer a", "snippet": "<a>"}}]}},
            "is-crawlable": {"score": 0, "title": "Page is blocked from indexing"},
        },
    }
    assert bench_lighthouse.scores(result) == {"performance": 100, "accessibility": 96, "best-practices": 100, "seo": 69}
    assert bench_lighthouse.shortfalls(result) == ["accessibility: Touch targets are too small", "seo: Page is blocked from indexing"]
    assert bench_lighthouse.failing_nodes(result) == ["target-size: footer a <a>"]
    rows = {"home": {"scores": bench_lighthouse.scores(result), "shortfalls": bench_lighthouse.shortfalls(result)}}
    table = bench_lighthouse.table(rows)
    assert "| home | `/` | 100 | 96 | 100 | 69 |" in table
    assert "- home: accessibility: Touch targets are too small, seo: Page is blocked from indexing" in table


def test_a_killed_bench_leaves_no_build_or_server_running():
    """The bench's children (builds, livereload, hugo server) end with it, even when it is killed."""
    script = (
        "import subprocess, sys, time; sys.path.insert(0, 'tests'); import bench; "
        "child = subprocess.Popen(['sleep', '120'], preexec_fn=bench._with_the_bench()); "
        "print(child.pid, flush=True); time.sleep(120)"
    )
    parent = subprocess.Popen([sys.executable, "-c", script], cwd=bench.ROOT, stdout=subprocess.PIPE, text=True)
    child = int(parent.stdout.readline())
    parent.send_signal(signal.SIGKILL)
    parent.wait()

    def running() -> bool:
        try:
            with open(f"/proc/{child}/stat", encoding="ascii") as stat:
                return stat.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
        except FileNotFoundError:
            return False

    deadline = time.monotonic() + 10
    while running() and time.monotonic() < deadline:
        time.sleep(0.05)
    alive = running()
    if alive:
        os.kill(child, signal.SIGKILL)
    assert not alive


def test_the_next_edit_waits_until_the_server_has_finished_the_last_one(tmp_path):
    # hugo server shows an edited page before it has rebuilt the rest; an edit made meanwhile waits
    # behind that rebuild, so the bench waits for the log's "Total in" of each edit first.
    settled = bench.Settled(log_line="Total in ")
    assert not settled(1)  # no log yet
    settled.log_file = tmp_path / "server.log"
    settled.log_file.write_text("Built in 49808 ms\nChange detected, rebuilding site.\n", encoding="utf-8")
    assert settled(0) and not settled(1)
    settled.log_file.write_text(settled.log_file.read_text(encoding="utf-8") + "Total in 38664 ms\n", encoding="utf-8")
    assert settled(1) and not settled(2)
    link = tmp_path / "live"
    portal = bench.Settled(link)
    assert not portal(0)
    link.symlink_to(tmp_path / ".live-1")
    assert portal(0) and not portal(1)
    link.unlink()
    link.symlink_to(tmp_path / ".live-2")
    assert portal(1)
