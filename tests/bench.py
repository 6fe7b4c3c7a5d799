"""`invoke bench`: bare Pelican beside this project on the same generated archives, in one run.

For each archive size it measures, for bare Pelican (its default theme, no plugins) and for the
portal: full build wall time and peak memory (the child's own ru_maxrss), a rebuild after editing
one article with Pelican's content cache on, output size, and the gzip page weight of the home,
a section and an article page (HTML plus the CSS and JS they load). Results go to stdout and to
BENCHMARKS.md between the markers, with the machine, the versions and the command.
"""

from __future__ import annotations

import gzip
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from archive_generator import generate  # noqa: E402

BARE_SETTINGS = """\
PATH = "content"
SITENAME = "Bare Pelican"
SITEURL = ""
TIMEZONE = "Asia/Ho_Chi_Minh"
DEFAULT_LANG = "vi"
ARTICLE_PATHS = ["articles"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["images"]
READERS = {"rst": None}
"""
START, END = "<!-- bench:start -->", "<!-- bench:end -->"


@dataclass
class Run:
    seconds: float
    peak_mb: float
    ok: bool
    log: str = ""


@dataclass
class Result:
    size: int
    rows: dict = field(default_factory=dict)
    parts: dict = field(default_factory=dict)  # the portal's own reports (related news, search index)


def timed(command: list[str], cwd: Path) -> Run:
    """Wall time and the child's own peak resident memory (os.wait4 gives that child's rusage)."""
    log = tempfile.TemporaryFile()
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=log, stderr=subprocess.STDOUT)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    log.seek(0)
    text = log.read().decode("utf-8", "replace")
    return Run(seconds, usage.ru_maxrss / 1024, process.returncode == 0, text[-3000:])


def pelican(content: Path, settings: Path, output: Path, overrides: dict | None = None) -> list[str]:
    command = [sys.executable, "-m", "pelican", str(content), "-s", str(settings), "-o", str(output), "--log-handler", "plain"]
    if overrides:
        command += ["-e", *[f"{k}={json.dumps(v)}" for k, v in overrides.items()]]
    return command


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def page_weight(output: Path, page: Path) -> int:
    """Gzipped bytes of an HTML page and the local CSS and JS it loads (pictures excluded)."""
    html = page.read_bytes()
    total = len(gzip.compress(html, 9))
    for asset in set(re.findall(rb'(?:href|src)="(/[^"]+\.(?:css|js))"', html)):
        path = output / asset.decode().lstrip("/")
        if path.is_file():
            total += len(gzip.compress(path.read_bytes(), 9))
    return total


def largest_article_slug(content: Path) -> str:
    largest = max((content / "articles").rglob("*.md"), key=lambda p: p.stat().st_size)
    return re.search(r"^Slug: (.+)$", largest.read_text(encoding="utf-8"), re.M).group(1).strip()


def pick_pages(output: Path, slug: str) -> dict[str, Path]:
    """Home, the news section's first page, and the page of the largest article, in either layout."""
    home = output / "index.html"
    article = next(p for p in [*output.glob(f"*/*/{slug}/index.html"), output / f"{slug}.html"] if p.exists())
    section = next((p for p in [output / "tin-tuc-su-kien/index.html", output / "category/tin-tuc-su-kien.html"] if p.exists()), home)
    return {"home": home, "section": section, "article": article}


def edit_one_article(content: Path) -> Path:
    article = sorted((content / "articles").rglob("*.md"))[len(list((content / "articles").rglob("*.md"))) // 2]
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("\n\n", "\n\nBài viết được cập nhật thêm thông tin.\n\n", 1), encoding="utf-8")
    return article


def measure(size: int, work: Path, log) -> Result:
    content = work / f"archive-{size}"
    log(f"generating {size} articles")
    generate(content, size)
    bare_settings = work / "bare_settings.py"
    bare_settings.write_text(BARE_SETTINGS, encoding="utf-8")
    result = Result(size)
    for name, settings in (("bare Pelican", bare_settings), ("portal", ROOT / "pelicanconf.py")):
        output = work / f"out-{name.split()[0]}-{size}"
        log(f"{name}: full build")
        reports = {"RELATED_REPORT": str(work / "related.json"), "SEARCH_REPORT": str(work / "search.json")} if name == "portal" else {}
        full = timed(pelican(content, settings, output, reports), ROOT)
        if reports:
            result.parts = {key: json.loads(Path(path).read_text(encoding="utf-8")) for key, path in reports.items()}
        if not full.ok:
            raise SystemExit(f"{name} failed to build {size} articles:\n{full.log}")
        weights = {k: page_weight(output, p) for k, p in pick_pages(output, largest_article_slug(content)).items()}
        out_size = folder_size(output)
        shutil.rmtree(output)
        cache = work / f"cache-{name.split()[0]}-{size}"
        cached = {"CACHE_CONTENT": True, "LOAD_CONTENT_CACHE": True, "CACHE_PATH": str(cache), "CHECK_MODIFIED_METHOD": "mtime"}
        if name == "portal":  # as `invoke livereload` rebuilds: unchanged pages taken from the last build (plugins/reuse)
            cached["REUSE_UNCHANGED_PAGES"] = True
        log(f"{name}: cached build, edit one article, rebuild")
        timed(pelican(content, settings, output, cached), ROOT)
        edited = edit_one_article(content)
        rebuild = timed(pelican(content, settings, output, cached), ROOT)
        edited.write_text(edited.read_text(encoding="utf-8").replace("\n\nBài viết được cập nhật thêm thông tin.", "", 1), encoding="utf-8")
        shutil.rmtree(output, ignore_errors=True)
        shutil.rmtree(cache, ignore_errors=True)
        result.rows[name] = {"full": full, "rebuild": rebuild, "output": out_size, "weights": weights}
    shutil.rmtree(content)
    return result


def machine() -> str:
    cpu = "unknown CPU"
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    memory = ""
    try:
        kb = int(next(line.split()[1] for line in open("/proc/meminfo") if line.startswith("MemTotal")))
        memory = f", {kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, StopIteration):
        pass
    return f"{cpu}, {os.cpu_count()} cores{memory}, {platform.system()} {platform.release()}"


def work_folder() -> str:
    """Where the archives and outputs are written, and its file system: a tmpfs (TMPDIR=/dev/shm)
    keeps the disk's write-back out of the timings."""
    folder = tempfile.gettempdir()
    kind = "unknown file system"
    try:
        mounts = [line.split() for line in open("/proc/mounts")]
        best = max((m for m in mounts if os.path.realpath(folder).startswith(m[1])), key=lambda m: len(m[1]))
        kind = best[2]
    except (OSError, ValueError):
        pass
    return f"{folder} ({kind})"


def versions() -> str:
    import pelican as pelican_module

    return f"Python {platform.python_version()}, Pelican {pelican_module.__version__}"


def kb(value: int) -> str:
    return f"{value / 1024:.1f} KB"


def table(results: list[Result]) -> str:
    lines = [
        "| articles | build | full build (s) | peak memory (MB) | full vs bare | rebuild after one edit (s) | rebuild vs bare | output (MB) | home / section / article (gzip) |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for result in results:
        bare = result.rows["bare Pelican"]
        for name, row in result.rows.items():
            ratio = row["full"].seconds / bare["full"].seconds
            rebuild_ratio = row["rebuild"].seconds / bare["rebuild"].seconds
            w = row["weights"]
            lines.append(
                f"| {result.size:,} | {name} | {row['full'].seconds:.1f} | {row['full'].peak_mb:.0f} | {ratio:.2f}x | "
                f"{row['rebuild'].seconds:.1f} | {rebuild_ratio:.2f}x | {row['output'] / 1e6:.0f} | "
                f"{kb(w['home'])} / {kb(w['section'])} / {kb(w['article'])} |"
            )
    lines += [
        "",
        "Inside the portal's full build (the plugins' own reports, RELATED_REPORT and SEARCH_REPORT):",
        "",
        "| articles | related news: ranking and lists (s) | of bare Pelican's full build | search index: worker's work (s) | of which after the last article was read (s) |",
        "|---:|---:|---:|---:|---:|",
    ]
    for result in results:
        bare = result.rows["bare Pelican"]["full"].seconds
        related, search = result.parts.get("RELATED_REPORT", {}), result.parts.get("SEARCH_REPORT", {})
        if related and search:
            lines.append(
                f"| {result.size:,} | {related['seconds']:.1f} | {related['seconds'] / bare:.1%} | "
                f"{search['seconds']:.1f} | {search.get('tail_seconds', search['seconds']):.1f} |"
            )
    return "\n".join(lines)


def run(sizes: list[int], write: bool, command: str) -> str:
    results = []
    with tempfile.TemporaryDirectory(prefix="portal-bench-") as work:
        for size in sizes:
            results.append(measure(size, Path(work), lambda m: print(f"[bench] {m}", flush=True)))
    report = "\n".join(
        [
            START,
            f"Command: `{command}`  ",
            f"Machine: {machine()}  ",
            f"Work folder: {work_folder()}  ",
            f"Versions: {versions()}  ",
            f"Date: {time.strftime('%Y-%m-%d')}",
            "",
            table(results),
            END,
        ]
    )
    print(report)
    if write:
        write_between_markers(report, START, END)
    return report


def write_between_markers(report: str, start: str, end: str, heading: str = "") -> None:
    """Put ``report`` (which begins with ``start`` and ends with ``end``) in BENCHMARKS.md in place of
    what stands between those markers; a file without them gets them at its end, under ``heading``."""
    target = ROOT / "BENCHMARKS.md"
    text = target.read_text(encoding="utf-8") if target.exists() else "# Benchmarks\n"
    if start not in text:
        title = f"{heading}\n\n" if heading else ""
        text = text.rstrip("\n") + f"\n\n{title}{start}\n{end}\n"
    before, rest = text.split(start, 1)
    target.write_text(before + report + rest.split(end, 1)[1], encoding="utf-8")
