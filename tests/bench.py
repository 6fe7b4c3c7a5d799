"""`invoke bench`: bare Pelican beside this project on the same generated archives, in one run.

For each archive size it measures, for bare Pelican (its default theme, no plugins), for the portal
and for Hugo (Debian's, on the same articles with a minimal theme: tests/bench_hugo.py): full build
wall time, CPU time (user + system of the whole process tree: os.wait4 counts the children each
process waited for, such as the portal's search worker) and peak memory (the child's own ru_maxrss),
a rebuild after editing one article with the content cache on, output size, the gzip page weight of
the home, a section and an article page (HTML plus the CSS and JS they load), and "save to page": the
seconds from saving an edit to one article until the served page shows it, the median of five edits,
with the server an editor runs (`invoke livereload` for the portal, `hugo server` for Hugo). The load
average is sampled during the whole run, since the machines are shared. Results go to stdout and to
BENCHMARKS.md between the markers, with the machine, the versions and the command.
"""

from __future__ import annotations

import gzip
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "plugins"))

import bench_hugo  # noqa: E402
from archive_generator import generate  # noqa: E402

import publishing  # noqa: E402

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
    cpu: float = 0.0  # user + system seconds of the process and the children it waited for


@dataclass
class Result:
    size: int
    rows: dict = field(default_factory=dict)
    parts: dict = field(default_factory=dict)  # the portal's own reports (related news, search index)


def _with_the_bench():
    """For a child's preexec_fn: the child ends when the bench does, even when the bench is killed
    (its ``finally`` does not run then), so no build or server is left running after it."""
    parent = os.getpid()
    return lambda: publishing.die_with_parent(parent)


def timed(command: list[str], cwd: Path) -> Run:
    """Wall time and the child's own peak resident memory (os.wait4 gives that child's rusage)."""
    log = tempfile.TemporaryFile()
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=log, stderr=subprocess.STDOUT, preexec_fn=_with_the_bench())
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    log.seek(0)
    text = log.read().decode("utf-8", "replace")
    return Run(seconds, usage.ru_maxrss / 1024, process.returncode == 0, text[-3000:], usage.ru_utime + usage.ru_stime)


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


EDITS = 5  # save-to-page: the median of this many edits


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", "replace")
    except (OSError, ValueError):
        return ""


def wait_for(predicate, timeout: float, step: float = 0.05) -> bool:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return False


def save_to_page(command: list[str], source: Path, url: str, settled, timeout: float, log, edits: int = EDITS) -> list[float]:
    """Seconds from saving each of ``edits`` edits to ``source`` until ``url`` shows it, with the server
    ``command`` running; ``settled(n)`` says the server has finished its work after the n-th edit
    (the portal's livereload goes on with the rest of the site after the page), so that edits do not
    pile up. The article is restored afterwards."""
    original = source.read_text(encoding="utf-8")
    server_log = tempfile.NamedTemporaryFile(prefix="bench-server-", suffix=".log", delete=False)
    if isinstance(settled, Settled):
        settled.log_file = Path(server_log.name)
    server = subprocess.Popen(command, cwd=ROOT, stdout=server_log, stderr=subprocess.STDOUT, process_group=0, preexec_fn=_with_the_bench())
    times: list[float] = []
    try:
        if not wait_for(lambda: "<html" in fetch(url), timeout, step=0.5):
            raise SystemExit(f"the server did not show {url} in {timeout:.0f} s: {Path(server_log.name).read_text(errors='replace')[-2000:]}")
        wait_for(lambda: settled(0), timeout, step=0.2)
        for n in range(1, edits + 1):
            marker = f"Đoạn sửa thứ {n} của phép đo lưu đến trang."
            text = original.replace("\n\n", f"\n\n{marker}\n\n", 1)
            staged = source.with_name(f".{source.name}.bench")
            staged.write_text(text, encoding="utf-8")
            started = time.perf_counter()
            os.replace(staged, source)  # as editors' programs save: the whole file at once
            if not wait_for(lambda marker=marker: marker in fetch(url), timeout):
                raise SystemExit(f"edit {n} did not reach {url} in {timeout:.0f} s")
            times.append(time.perf_counter() - started)
            wait_for(lambda n=n: settled(n), timeout, step=0.2)
            log(f"  edit {n}: {times[-1]:.2f} s")
    finally:
        source.write_text(original, encoding="utf-8")
        try:
            os.killpg(server.pid, 15)
        except ProcessLookupError:
            pass
        server.wait()
        os.unlink(server_log.name)
    return times


class Settled:
    """Whether the server has finished the work an edit started, so that each edit starts on an idle
    server: for the portal, the output link has been switched to a new build once per edit (the page
    may show the edit before the rest of the site is rebuilt); for `hugo server`, its log has said
    "Total in ... ms" once per edit (it too serves the edited page before it has rebuilt the rest:
    an editor's save replaces the file, which Hugo takes as a new file, and rebuilds everything).
    ``log_file`` is set by save_to_page to the server's own log."""

    def __init__(self, link: Path | None = None, log_line: str | None = None):
        self.link, self.log_line, self.seen = link, log_line, []
        self.log_file: Path | None = None

    def __call__(self, edits: int) -> bool:
        if self.log_line is not None:
            try:
                text = self.log_file.read_text(encoding="utf-8", errors="replace") if self.log_file else ""
            except OSError:
                return False
            return text.count(self.log_line) >= edits
        try:
            target = os.readlink(self.link)
        except OSError:
            return False
        if not self.seen or self.seen[-1] != target:
            self.seen.append(target)
        return len(self.seen) >= edits + 1


def article_url(content: Path, base: str) -> tuple[Path, str]:
    """The article the edits go to (the largest, as for the page weight) and its address."""
    source = max((content / "articles").rglob("*.md"), key=lambda p: p.stat().st_size)
    text = source.read_text(encoding="utf-8")
    slug = re.search(r"^Slug: (.+)$", text, re.M).group(1).strip()
    date = re.search(r"^Date: (\d{4})-(\d{2})", text, re.M)
    return source, f"{base}/{date[1]}/{date[2]}/{slug}/"


class LoadSampler(threading.Thread):
    """The 1-minute load average every few seconds of the run: what else the machine was doing."""

    def __init__(self, every: float = 5.0):
        super().__init__(daemon=True)
        self.every, self.samples, self.done = every, [], threading.Event()

    def run(self):
        while not self.done.is_set():
            self.samples.append(os.getloadavg()[0])
            self.done.wait(self.every)

    def summary(self) -> str:
        if not self.samples:
            return "not sampled"
        return f"median {statistics.median(self.samples):.2f}, min {min(self.samples):.2f}, max {max(self.samples):.2f} (1-minute load average every {self.every:.0f} s)"


def measure(size: int, work: Path, log, save: bool = True, edits: int = EDITS) -> Result:
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
        result.rows[name] = {"full": full, "rebuild": rebuild, "output": out_size, "weights": weights, "save": []}
    timeout = 120 + size * 0.05
    if save:
        source, url = article_url(content, "")
        port = free_port()
        log(f"portal: save to page, {edits} edits under invoke livereload")
        livereload = [sys.executable, "-m", "invoke", "livereload", "--port", str(port), "--content", str(content)]
        livereload += ["--output", str(work / f"live-{size}"), "--cache", str(work / f"live-cache-{size}")]
        result.rows["portal"]["save"] = save_to_page(livereload, source, f"http://127.0.0.1:{port}{url}", Settled(work / f"live-{size}"), timeout, log, edits)
        shutil.rmtree(work / f"live-{size}", ignore_errors=True)
        for leftover in work.glob(f".live-{size}*"):
            shutil.rmtree(leftover, ignore_errors=True)
        shutil.rmtree(work / f"live-cache-{size}", ignore_errors=True)
    hugo = bench_hugo.ensure_hugo(log)
    if hugo:
        site = bench_hugo.hugo_site(content, work / f"hugo-{size}")
        output = work / f"out-hugo-{size}"
        log("Hugo: full build")
        full = timed(bench_hugo.build_command(hugo, site, output), ROOT)
        if not full.ok:
            raise SystemExit(f"Hugo failed to build {size} articles:\n{full.log}")
        slug = largest_article_slug(content)
        section = output / "posts" / "tin-tuc-su-kien" / "index.html"
        pages = {"home": output / "index.html", "section": section, "article": next(output.glob(f"*/*/{slug}/index.html"))}
        weights = {k: page_weight(output, p) for k, p in pages.items()}
        out_size = folder_size(output)
        source = bench_hugo.article_source(site, slug)
        original = source.read_text(encoding="utf-8")
        source.write_text(original.replace("\n\n", "\n\nBài viết được cập nhật thêm thông tin.\n\n", 1), encoding="utf-8")
        log("Hugo: rebuild after one edit")
        rebuild = timed(bench_hugo.build_command(hugo, site, output), ROOT)  # Hugo keeps no cache of content between builds
        source.write_text(original, encoding="utf-8")
        shutil.rmtree(output)
        saves: list[float] = []
        if save:
            port = free_port()
            log(f"Hugo: save to page, {edits} edits under hugo server")
            url = re.sub(r"^" + re.escape(str(output)), "", str(pages["article"].parent)) + "/"
            saves = save_to_page(
                bench_hugo.server_command(hugo, site, port), source, f"http://127.0.0.1:{port}{url}", Settled(log_line="Total in "), timeout, log, edits
            )
        shutil.rmtree(site)
        result.rows["Hugo"] = {"full": full, "rebuild": rebuild, "output": out_size, "weights": weights, "save": saves}
    else:
        log("Hugo: not installed and cannot be installed here (needs root and apt-get); its rows are left out")
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

    hugo = shutil.which("hugo")
    found = subprocess.run([hugo, "version"], capture_output=True, text=True, check=False).stdout.split()[1] if hugo else "not installed"
    return f"Python {platform.python_version()}, Pelican {pelican_module.__version__}, Hugo {found}"


def kb(value: int) -> str:
    return f"{value / 1024:.1f} KB"


def table(results: list[Result], edits: int = EDITS) -> str:
    lines = [
        "| articles | build | full build (s) | CPU (s) | CPU vs bare | wall vs bare | peak memory (MB) | rebuild after one edit (s) |"
        " rebuild vs bare | save to page (s) | portal vs Hugo (wall / CPU) | output (MB) | home / section / article (gzip) |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---|",
    ]
    for result in results:
        bare = result.rows["bare Pelican"]
        hugo = result.rows.get("Hugo")
        for name, row in result.rows.items():
            ratio = row["full"].seconds / bare["full"].seconds
            cpu_ratio = row["full"].cpu / bare["full"].cpu if bare["full"].cpu else 0.0
            rebuild_ratio = row["rebuild"].seconds / bare["rebuild"].seconds
            save = f"{statistics.median(row['save']):.2f}" if row["save"] else "—"
            versus = "—"
            if name == "portal" and hugo:
                versus = f"{row['full'].seconds / hugo['full'].seconds:.1f}x / {row['full'].cpu / max(hugo['full'].cpu, 1e-3):.1f}x"
            w = row["weights"]
            lines.append(
                f"| {result.size:,} | {name} | {row['full'].seconds:.1f} | {row['full'].cpu:.1f} | {cpu_ratio:.2f}x | {ratio:.2f}x | "
                f"{row['full'].peak_mb:.0f} | {row['rebuild'].seconds:.1f} | {rebuild_ratio:.2f}x | {save} | {versus} | "
                f"{row['output'] / 1e6:.0f} | {kb(w['home'])} / {kb(w['section'])} / {kb(w['article'])} |"
            )
    lines += [
        "",
        f"Save to page: the median of {edits} edits to the largest article, from the file saved to the served page showing the"
        " new text (`invoke livereload`; `hugo server`, which renders to memory). Hugo's rebuild is a second full build:"
        " it keeps no content cache between builds.",
    ]
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


def run(sizes: list[int], write: bool, command: str, save: bool = True, edits: int = EDITS) -> str:
    results = []
    load = LoadSampler()
    load.start()
    with tempfile.TemporaryDirectory(prefix="portal-bench-") as work:
        for size in sizes:
            results.append(measure(size, Path(work), lambda m: print(f"[bench] {m}", flush=True), save=save, edits=edits))
    load.done.set()
    report = "\n".join(
        [
            START,
            f"Command: `{command}`  ",
            f"Machine: {machine()}  ",
            f"Work folder: {work_folder()}  ",
            f"Load during the run: {load.summary()}  ",
            f"Versions: {versions()}  ",
            f"Date: {time.strftime('%Y-%m-%d')}",
            "",
            table(results, edits),
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
